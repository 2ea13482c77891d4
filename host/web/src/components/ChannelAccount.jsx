// The account a channel is connected to: who it is, whether it answers, when its token expires,
// and Disconnect (and Reconnect, where the channel offers it). Used by every channel's tab,
// Instagram's included.

import { isoTime } from '../lib/chats.js';
import { formatDateTime } from '../lib/window.js';
import { ConfirmDisconnect } from './ConfirmDisconnect.jsx';
import { ErrorNote } from './ErrorNote.jsx';

/**
 * onDisconnect: performs the request (throws an ApiError on failure).
 * Optional, for a channel that has them:
 * - hasAccountTypes: the type is shown even when the host could not tell it (UNKNOWN);
 * - tokenRenews: the host renews the token by itself, so its expiry is said to be no worry;
 * - reconnect: {onReconnect, disabled, opening, error} puts a Reconnect button next to the
 *   warning of an inactive connection (opening: it is on its way to the sign-in page; error:
 *   why it could not go there). Without it the warning points to the connect form.
 */
export function ChannelAccount({
  channel,
  status,
  onDisconnect,
  hasAccountTypes = false,
  tokenRenews = false,
  reconnect = null,
}) {
  const info = status.accountInfo || {};
  const shownName = info.username ? `@${info.username}` : info.id || channel.displayName;
  const accountType = info.accountType || 'UNKNOWN';
  const showType = hasAccountTypes || accountType !== 'UNKNOWN';
  const expiresAt =
    typeof info.tokenExpiresAt === 'number' && info.tokenExpiresAt > 0 ? info.tokenExpiresAt : 0;
  return (
    <div class="account">
      <div class={`account-avatar account-avatar--${channel.name}`} aria-hidden="true">
        {(info.username || channel.displayName || '?').slice(0, 1).toUpperCase()}
      </div>
      <dl class="account-facts">
        {info.username && (
          <>
            <dt>Account</dt>
            <dd class="account-username">@{info.username}</dd>
          </>
        )}
        {showType && (
          <>
            <dt>Type</dt>
            <dd>{accountType}</dd>
          </>
        )}
        <dt>ID</dt>
        <dd class="mono">{info.id}</dd>
        <dt>State</dt>
        <dd>
          {status.isActive ? (
            'Active: incoming messages are answered'
          ) : (
            <span class="warn-text">
              Needs reconnect{status.inactiveReason ? `: ${status.inactiveReason}` : ''}
            </span>
          )}
        </dd>
        {expiresAt > 0 && (
          <>
            <dt>Token</dt>
            <dd class="token-expiry">
              {tokenRenews ? 'Token renews automatically; expires' : 'Expires'}{' '}
              <time dateTime={isoTime(expiresAt)} title={isoTime(expiresAt)}>
                {formatDateTime(expiresAt)}
              </time>
            </dd>
          </>
        )}
      </dl>
      <div class="account-actions">
        {!status.isActive &&
          (reconnect ? (
            <ReconnectRow channel={channel} reconnect={reconnect} />
          ) : (
            <p class="muted small">
              {channel.displayName} no longer accepts this connection; messages are not answered
              until you connect it again with the form below.
            </p>
          ))}
        <ConfirmDisconnect accountName={shownName} onDisconnect={onDisconnect} />
      </div>
    </div>
  );
}

function ReconnectRow({ channel, reconnect }) {
  return (
    <div class="reconnect-row">
      <p class="muted small">
        {channel.displayName} no longer accepts this connection; messages are not answered until you
        reconnect.
      </p>
      <button
        type="button"
        class="button primary"
        disabled={reconnect.disabled}
        onClick={reconnect.onReconnect}
      >
        {reconnect.opening ? `Opening ${channel.displayName}…` : 'Reconnect'}
      </button>
      <ErrorNote error={reconnect.error} id={`${channel.name}-reconnect-error`} />
    </div>
  );
}
