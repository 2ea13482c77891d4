// Any channel's tab but Instagram's, drawn from the channel's self-description: live status,
// the account and Disconnect, a connect form from its connect fields, the webhook URL, and the QR
// code or link its connect answer carries.

import { useCallback, useState } from 'preact/hooks';
import { paths, webhookUrl } from '../lib/api.js';
import { connectLinkOf } from '../lib/channels.js';
import { usePolling } from '../lib/polling.js';
import { ChannelAccount } from './ChannelAccount.jsx';
import { ChannelConnectForm } from './ChannelConnectForm.jsx';
import { ChannelQrCard } from './ChannelQrCard.jsx';
import { CopyField } from './CopyField.jsx';
import { ErrorNote } from './ErrorNote.jsx';
import { PollNote } from './PollNote.jsx';
import { StatusBadge } from './StatusBadge.jsx';

// As the Instagram tab: every few seconds, for five minutes of visible time.
const kStatusIntervalMs = 3000;
const kStatusWindowMs = 5 * 60 * 1000;

/** channel: one entry of lib/channels.js channelsFromList. */
export function ChannelPanel({ api, subaccount, agentId, channel }) {
  const [status, setStatus] = useState(null);
  const [statusError, setStatusError] = useState(null);
  const [link, setLink] = useState(null); // from the last connect answer
  const name = channel.name;
  const route = (op) => paths.channel(subaccount, agentId, name, op);
  const hint =
    `Paste it in ${channel.displayName}’s webhook settings. ` +
    'It must be reachable over HTTPS.';

  const checkStatus = useCallback(async () => {
    try {
      setStatus(await api.get(paths.channel(subaccount, agentId, name, 'status')));
      setStatusError(null);
    } catch (error) {
      setStatusError(error);
    }
  }, [api, subaccount, agentId, name]);

  const polling = usePolling(checkStatus, {
    intervalMs: kStatusIntervalMs,
    maxMs: kStatusWindowMs,
    key: `${subaccount}/${agentId}/${name}`,
  });

  async function connect(body) {
    const answer = await api.post(route('connect'), body);
    setLink(connectLinkOf(answer));
    polling.restart();
  }

  async function disconnect() {
    await api.post(route('disconnect'));
    setLink(null);
    await checkStatus();
  }

  const connected = Boolean(status && status.isConnected);
  const needsReconnect = connected && !status.isActive;
  const statusHeading = `${name}-status-heading`;
  const webhookHeading = `${name}-webhook-heading`;

  return (
    <div class="channel-grid" data-channel={name}>
      <div class="stack">
        <section class="card" aria-labelledby={statusHeading}>
          <div class="card-head">
            <h2 id={statusHeading}>{channel.displayName} connection</h2>
            <StatusBadge status={status} />
          </div>
          {!status && !statusError && <p class="muted">Checking status…</p>}
          {connected && (
            <ChannelAccount channel={channel} status={status} onDisconnect={disconnect} />
          )}
          {status && !connected && (
            <p class="muted">
              Not connected. Fill in the form to connect a {channel.displayName} account.
            </p>
          )}
          <ErrorNote error={statusError} />
          <PollNote polling={polling} />
        </section>
        {status && (!connected || needsReconnect) && (
          <section class="card">
            <ChannelConnectForm channel={channel} reconnect={needsReconnect} onConnect={connect} />
          </section>
        )}
        <section class="card webhook-card" aria-labelledby={webhookHeading}>
          <h2 id={webhookHeading}>Webhook</h2>
          <CopyField
            id={`${name}-webhook-url`}
            label={`Callback URL for ${channel.displayName}`}
            value={webhookUrl(window.location.origin, subaccount, agentId, name)}
            hint={hint}
          />
        </section>
      </div>
      {link ? (
        <ChannelQrCard channel={channel} link={link} connected={connected} />
      ) : (
        <ChannelAbout channel={channel} />
      )}
    </div>
  );
}

function ChannelAbout({ channel }) {
  const required = channel.connectFields.filter((f) => f.required).map((f) => f.label);
  return (
    <section class="card side-card" aria-labelledby={`${channel.name}-about-heading`}>
      <h2 id={`${channel.name}-about-heading`}>Before you connect</h2>
      <ol class="checklist">
        {required.length > 0 && <li>Have at hand: {required.join(', ')}.</li>}
        <li>Connect with the form; the status turns to Connected by itself.</li>
        <li>
          Paste the webhook URL into {channel.displayName}’s settings, so that messages reach the
          agent.
        </li>
      </ol>
    </section>
  );
}
