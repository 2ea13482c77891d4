// Instagram for one agent: connect (with Instagram, or with an access token), QR code, live
// status, account card, webhook URL, reconnect, disconnect.

import { useCallback, useState } from 'preact/hooks';
import { paths, webhookUrl } from '../lib/api.js';
import { safeAuthorizeUrl } from '../lib/oauth.js';
import { usePolling } from '../lib/polling.js';
import { formatDateTime } from '../lib/window.js';
import { isoTime } from '../lib/chats.js';
import { ConfirmDisconnect } from './ConfirmDisconnect.jsx';
import { ConnectForm } from './ConnectForm.jsx';
import { ConnectResultBanner } from './ConnectResultBanner.jsx';
import { CopyField } from './CopyField.jsx';
import { ErrorNote } from './ErrorNote.jsx';
import { PollNote } from './PollNote.jsx';
import { StatusBadge } from './StatusBadge.jsx';

// As the seed flow does: check every few seconds, give up after five minutes (of visible time).
const kStatusIntervalMs = 3000;
const kStatusWindowMs = 5 * 60 * 1000;
const kWebhookHint =
  'Paste it in your Meta app (Webhooks → Instagram) with the verification token, and subscribe ' +
  'to the fields messages, messaging_postbacks, messaging_seen, messaging_referral and ' +
  'message_reactions. It must be reachable over HTTPS.';

/** "Connect with Instagram": asks the host for Instagram's authorize URL, then goes there. */
function useOAuthStart(api, subaccount, agentId) {
  const [state, setState] = useState({ busy: false, error: null, source: '' });
  const start = useCallback(
    async (source) => {
      setState({ busy: true, error: null, source });
      try {
        const data = await api.post(paths.instagram(subaccount, agentId, 'oauth/start'), {});
        const url = safeAuthorizeUrl(data && data.authorizeUrl);
        if (!url) {
          setState({
            busy: false,
            source,
            error: 'The server did not answer with a valid Instagram sign-in link.',
          });
          return;
        }
        window.location.href = url; // the page unloads; busy stays on until then
      } catch (error) {
        setState({ busy: false, error, source });
      }
    },
    [api, subaccount, agentId],
  );
  return { ...state, start };
}

export function InstagramPanel({ api, subaccount, agentId, connectResult, onDismissResult }) {
  const [status, setStatus] = useState(null);
  const [statusError, setStatusError] = useState(null);
  const [qr, setQr] = useState(null);
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const oauth = useOAuthStart(api, subaccount, agentId);

  const checkStatus = useCallback(async () => {
    try {
      setStatus(await api.get(paths.instagram(subaccount, agentId, 'status')));
      setStatusError(null);
    } catch (error) {
      setStatusError(error);
    }
  }, [api, subaccount, agentId]);

  const polling = usePolling(checkStatus, {
    intervalMs: kStatusIntervalMs,
    maxMs: kStatusWindowMs,
    key: `${subaccount}/${agentId}`,
  });

  async function connect(body) {
    const data = await api.post(paths.instagram(subaccount, agentId, 'connect'), body);
    setQr(data);
    polling.restart();
  }

  const connected = status && status.isConnected;
  const needsReconnect = connected && !status.isActive;
  const oauthAvailable = Boolean(status && status.oauthAvailable);

  function reconnect() {
    if (oauthAvailable) {
      oauth.start('reconnect');
      return;
    }
    // The token form is shown under the card while the connection needs reconnecting.
    const first = document.getElementById('connect-accessToken');
    first?.scrollIntoView({ block: 'center' });
    first?.focus();
  }

  return (
    <div class="instagram-grid">
      <div class="stack">
        <ConnectResultBanner result={connectResult} status={status} onDismiss={onDismissResult} />
        <section class="card" aria-labelledby="status-heading">
          <div class="card-head">
            <h2 id="status-heading">Connection</h2>
            <StatusBadge status={status} />
          </div>
          {!status && !statusError && <p class="muted">Checking status…</p>}
          {connected && (
            <AccountCard
              api={api}
              subaccount={subaccount}
              agentId={agentId}
              status={status}
              oauth={oauth}
              onReconnect={reconnect}
              onDisconnected={() => {
                setQr(null);
                checkStatus();
              }}
            />
          )}
          {status && !connected && (
            <p class="muted">
              {oauthAvailable
                ? 'Not connected. Connect an Instagram account below.'
                : 'Not connected. Fill in the form to connect an Instagram account.'}
            </p>
          )}
          <ErrorNote error={statusError} />
          <PollNote polling={polling} />
        </section>
        {status && (!connected || needsReconnect) && (
          <section class="card" aria-labelledby="connect-heading">
            {oauthAvailable ? (
              <>
                <h2 id="connect-heading">
                  {needsReconnect ? 'Reconnect Instagram' : 'Connect Instagram'}
                </h2>
                {needsReconnect ? (
                  <p class="muted">
                    <strong>Reconnect</strong> above signs in with Instagram again. Or use an access
                    token:
                  </p>
                ) : (
                  <>
                    <p class="muted">
                      Sign in with the Instagram Business or Creator account and allow messaging.
                      Instagram then sends you back here.
                    </p>
                    <div class="actions">
                      <button
                        type="button"
                        class="button primary oauth-button"
                        disabled={oauth.busy}
                        onClick={() => oauth.start('connect')}
                      >
                        {oauth.busy && oauth.source === 'connect'
                          ? 'Opening Instagram…'
                          : 'Connect with Instagram'}
                      </button>
                    </div>
                    {oauth.source === 'connect' && (
                      <ErrorNote error={oauth.error} id="oauth-error" />
                    )}
                  </>
                )}
                <details
                  class="token-connect"
                  open={advancedOpen}
                  onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}
                >
                  <summary>Advanced: connect with an access token</summary>
                  <ConnectForm onConnect={connect} reconnect={needsReconnect} embedded />
                </details>
              </>
            ) : (
              <ConnectForm onConnect={connect} reconnect={needsReconnect} />
            )}
          </section>
        )}
        <section class="card webhook-card" aria-labelledby="webhook-heading">
          <h2 id="webhook-heading">Webhook</h2>
          <CopyField
            id="webhook-url"
            label="Callback URL for Meta"
            value={webhookUrl(window.location.origin, subaccount, agentId)}
            hint={kWebhookHint}
          />
        </section>
      </div>
      {qr || connected ? (
        <QrCard qr={qr} status={status} />
      ) : (
        <Prerequisites oauthAvailable={oauthAvailable} />
      )}
    </div>
  );
}

function Prerequisites({ oauthAvailable }) {
  return (
    <section class="card side-card" aria-labelledby="prereq-heading">
      <h2 id="prereq-heading">Before you connect</h2>
      {oauthAvailable ? (
        <>
          <ol class="checklist">
            <li>An Instagram Business or Creator account.</li>
            <li>
              Press <strong>Connect with Instagram</strong>, sign in to that account and allow
              messaging.
            </li>
            <li>Instagram sends you back to this page; the token then renews by itself.</li>
          </ol>
          <p class="muted small">
            With an access token instead (under <em>Advanced</em>) you need a Meta app with
            Instagram messaging, a Page access token with <code>instagram_basic</code>,{' '}
            <code>instagram_manage_messages</code> and <code>pages_messaging</code>, the Instagram
            account ID and the Page ID.
          </p>
        </>
      ) : (
        <ol class="checklist">
          <li>An Instagram Business or Creator account, linked to a Facebook Page.</li>
          <li>A Meta app with the Messenger product and Instagram messaging set up.</li>
          <li>
            A Page access token with <code>instagram_basic</code>,{' '}
            <code>instagram_manage_messages</code> and <code>pages_messaging</code>.
          </li>
          <li>The Instagram account ID and the Page ID (both numbers).</li>
        </ol>
      )}
      <p class="muted small">
        After connecting, a QR code opens a direct message with the account. The webhook URL on this
        page goes into the Meta app.
      </p>
    </section>
  );
}

function AccountCard({ api, subaccount, agentId, status, oauth, onReconnect, onDisconnected }) {
  const info = status.accountInfo || {};
  const expiresAt =
    typeof info.tokenExpiresAt === 'number' && info.tokenExpiresAt > 0 ? info.tokenExpiresAt : 0;

  async function disconnect() {
    await api.post(paths.instagram(subaccount, agentId, 'disconnect'));
    onDisconnected();
  }

  return (
    <div class="account">
      <div class="account-avatar" aria-hidden="true">
        {(info.username || '?').slice(0, 1).toUpperCase()}
      </div>
      <dl class="account-facts">
        <dt>Account</dt>
        <dd class="account-username">@{info.username}</dd>
        <dt>Type</dt>
        <dd>{info.accountType || 'UNKNOWN'}</dd>
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
              Token renews automatically; expires{' '}
              <time dateTime={isoTime(expiresAt)} title={isoTime(expiresAt)}>
                {formatDateTime(expiresAt)}
              </time>
            </dd>
          </>
        )}
      </dl>
      <div class="account-actions">
        {!status.isActive && (
          <div class="reconnect-row">
            <p class="muted small">
              Instagram no longer accepts this connection; messages are not answered until you
              reconnect.
            </p>
            <button
              type="button"
              class="button primary"
              disabled={oauth.busy}
              onClick={onReconnect}
            >
              {oauth.busy && oauth.source === 'reconnect' ? 'Opening Instagram…' : 'Reconnect'}
            </button>
            {oauth.source === 'reconnect' && <ErrorNote error={oauth.error} id="reconnect-error" />}
          </div>
        )}
        <ConfirmDisconnect accountName={`@${info.username}`} onDisconnect={disconnect} />
      </div>
    </div>
  );
}

function QrCard({ qr, status }) {
  const username = (qr && qr.username) || status?.accountInfo?.username || '';
  const link = (qr && qr.qrCode) || (username ? `https://ig.me/m/${username}` : '');
  const connected = status && status.isConnected;
  return (
    <section class="card qr-card" aria-labelledby="qr-heading">
      <h2 id="qr-heading">Message @{username}</h2>
      {qr && qr.qrCodeDataUrl ? (
        <img
          class="qr-image"
          src={qr.qrCodeDataUrl}
          alt={`QR code that opens a direct message to @${username} on Instagram`}
          width="240"
          height="240"
        />
      ) : null}
      <p class="muted">
        {qr && qr.qrCodeDataUrl
          ? 'Scan with a phone camera to open a direct message with the account.'
          : 'Open this link on a phone to message the account.'}
      </p>
      {link && (
        <p>
          <a class="qr-link" href={link} target="_blank" rel="noopener noreferrer">
            {link}
          </a>
        </p>
      )}
      {qr && qr.instagramUrl && (
        <p>
          <a href={qr.instagramUrl} target="_blank" rel="noopener noreferrer">
            View profile on Instagram
          </a>
        </p>
      )}
      {qr && (
        <p class="qr-status" role="status">
          {connected ? (qr.alreadyConnected ? 'Already connected.' : 'Connected!') : 'Connecting…'}
        </p>
      )}
    </section>
  );
}
