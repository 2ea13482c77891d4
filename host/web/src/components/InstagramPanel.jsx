// Instagram for one agent: connect (with Instagram, or with an access token), QR code, live
// status, account card, webhook URL, reconnect, disconnect. The account and QR cards are every
// channel's (ChannelAccount, ChannelQrCard), with Instagram's Reconnect and words.

import { useCallback, useState } from 'preact/hooks';
import { paths, webhookUrl } from '../lib/api.js';
import { instagramCardLink } from '../lib/instagram.js';
import { usePolling } from '../lib/polling.js';
import { safeUrl } from '../lib/url.js';
import { ChannelAccount } from './ChannelAccount.jsx';
import { ChannelQrCard } from './ChannelQrCard.jsx';
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
        const url = safeUrl(data && data.authorizeUrl);
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

/** channel: Instagram's entry of lib/channels.js channelsFromList (or its fallback). */
export function InstagramPanel({
  api,
  subaccount,
  agentId,
  channel,
  connectResult,
  onDismissResult,
}) {
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

  async function disconnect() {
    await api.post(paths.instagram(subaccount, agentId, 'disconnect'));
    setQr(null);
    checkStatus();
  }

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
            <ChannelAccount
              channel={channel}
              status={status}
              onDisconnect={disconnect}
              hasAccountTypes
              tokenRenews
              reconnect={{
                onReconnect: reconnect,
                disabled: oauth.busy,
                opening: oauth.busy && oauth.source === 'reconnect',
                error: oauth.source === 'reconnect' ? oauth.error : null,
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
        <ChannelQrCard
          channel={channel}
          link={instagramCardLink(qr, status?.accountInfo?.username)}
          connected={connected}
          showStatus={Boolean(qr)}
          directMessage
        />
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
