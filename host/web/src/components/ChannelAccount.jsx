// The account a channel is connected to: who it is, whether it answers, when its token expires,
// and Disconnect.

import { isoTime } from '../lib/chats.js';
import { formatDateTime } from '../lib/window.js';
import { ConfirmDisconnect } from './ConfirmDisconnect.jsx';

/** onDisconnect: performs the request (throws an ApiError on failure). */
export function ChannelAccount({ channel, status, onDisconnect }) {
  const info = status.accountInfo || {};
  const shownName = info.username ? `@${info.username}` : info.id || channel.displayName;
  const expiresAt =
    typeof info.tokenExpiresAt === 'number' && info.tokenExpiresAt > 0 ? info.tokenExpiresAt : 0;
  return (
    <div class="account">
      <div class="account-avatar account-avatar--plain" aria-hidden="true">
        {(info.username || channel.displayName || '?').slice(0, 1).toUpperCase()}
      </div>
      <dl class="account-facts">
        {info.username && (
          <>
            <dt>Account</dt>
            <dd class="account-username">@{info.username}</dd>
          </>
        )}
        {info.accountType && info.accountType !== 'UNKNOWN' && (
          <>
            <dt>Type</dt>
            <dd>{info.accountType}</dd>
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
              Expires{' '}
              <time dateTime={isoTime(expiresAt)} title={isoTime(expiresAt)}>
                {formatDateTime(expiresAt)}
              </time>
            </dd>
          </>
        )}
      </dl>
      <div class="account-actions">
        {!status.isActive && (
          <p class="muted small">
            {channel.displayName} no longer accepts this connection; messages are not answered
            until you connect it again with the form below.
          </p>
        )}
        <ConfirmDisconnect accountName={shownName} onDisconnect={onDisconnect} />
      </div>
    </div>
  );
}
