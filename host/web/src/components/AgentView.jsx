// One agent: a tab per channel the host has loaded (Instagram's own panel, any other channel's
// drawn from its description), its conversations and its settings.

import { useEffect, useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import {
  agentTabs,
  channelsFromList,
  kFallbackChannels,
  resolveAgentRoute,
} from '../lib/channels.js';
import { routePath } from '../lib/route.js';
import { AgentSettings } from './AgentSettings.jsx';
import { AgentTabs } from './AgentTabs.jsx';
import { ChannelPanel } from './ChannelPanel.jsx';
import { ConnectResultBanner } from './ConnectResultBanner.jsx';
import { Conversations } from './Conversations.jsx';
import { ErrorNote } from './ErrorNote.jsx';
import { InstagramPanel } from './InstagramPanel.jsx';

/**
 * The agent and the host's channels, read once. When the channel list cannot be read, the page
 * shows Instagram alone (as before channels were listed) and says why.
 */
function useAgentAndChannels(api, subaccount, agentId) {
  const [agent, setAgent] = useState(null);
  const [error, setError] = useState(null);
  const [channels, setChannels] = useState(null);
  const [channelsError, setChannelsError] = useState(null);
  useEffect(() => {
    let live = true;
    api
      .get(paths.agent(subaccount, agentId))
      .then((a) => live && setAgent(a))
      .catch((e) => live && setError(e));
    api
      .get(paths.channels(subaccount))
      .then((data) => live && setChannels(channelsFromList(data)))
      .catch((e) => {
        if (!live) return;
        setChannels(kFallbackChannels);
        setChannelsError(e);
      });
    return () => {
      live = false;
    };
  }, [api, subaccount, agentId]);
  return { agent, setAgent, error, channels, channelsError };
}

export function AgentView({
  api,
  subaccount,
  route,
  navigate,
  onChanged,
  connectResult,
  onDismissConnectResult,
}) {
  const agentId = route.agentId;
  const { agent, setAgent, error, channels, channelsError } = useAgentAndChannels(
    api,
    subaccount,
    agentId,
  );
  const shown = channels ? resolveAgentRoute(route, channels) : route;

  // The address bar follows what is shown (a link to a channel this host has not loaded).
  const replaceWith = routePath(shown);
  useEffect(() => {
    if (channels && replaceWith !== routePath(route)) navigate(shown, { replace: true });
  }, [channels, replaceWith]);

  const back = (
    <a
      class="back-link"
      href="/"
      onClick={(e) => {
        e.preventDefault();
        navigate({ view: 'list' });
      }}
    >
      ← Agents
    </a>
  );

  if (error)
    return (
      <section class="panel">
        {back}
        <h1>Agent {agentId}</h1>
        <ConnectResultBanner
          result={connectResult && connectResult.result === 'error' ? connectResult : null}
          onDismiss={onDismissConnectResult}
        />
        <ErrorNote error={error} />
      </section>
    );
  if (!agent || !channels)
    return (
      <section class="panel">
        {back}
        <p class="muted">Loading agent…</p>
      </section>
    );

  const tabs = agentTabs(channels);
  const tab = tabs.find((t) => t.id === shown.tab);
  const openConversations = (channel, chatId = '') =>
    navigate({ view: 'agent', agentId, tab: 'conversations', channel, chatId });

  return (
    <section class="panel agent-view">
      {back}
      <header class="agent-header">
        <h1>{agent.name}</h1>
        <p class="muted">
          <span class="badge">{agent.type}</span> <span class="mono">{agent.id}</span>
        </p>
      </header>
      {channelsError && (
        <p class="notice channels-note" role="status">
          The host’s channels could not be read ({channelsError.message}); only Instagram is
          shown.
        </p>
      )}
      <AgentTabs
        tabs={tabs}
        selected={shown.tab}
        onSelect={(id) => navigate({ view: 'agent', agentId, tab: id })}
      />
      <div
        class="tabpanel"
        role="tabpanel"
        id={`tabpanel-${shown.tab}`}
        aria-labelledby={`tab-${shown.tab}`}
      >
        {shown.tab === 'instagram' && (
          <InstagramPanel
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            channel={tab.channel}
            connectResult={connectResult}
            onDismissResult={onDismissConnectResult}
          />
        )}
        {tab.channel && shown.tab !== 'instagram' && (
          <ChannelPanel
            key={tab.id}
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            channel={tab.channel}
          />
        )}
        {shown.tab === 'conversations' && (
          <Conversations
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            channels={channels}
            channel={shown.channel}
            chatId={shown.chatId}
            onChannel={(channel) => openConversations(channel)}
            onOpenChat={(chatId) => openConversations(shown.channel, chatId)}
          />
        )}
        {shown.tab === 'settings' && (
          <AgentSettings
            api={api}
            subaccount={subaccount}
            agent={agent}
            onSaved={(a) => {
              setAgent(a);
              onChanged();
            }}
            onDeleted={() => {
              onChanged();
              navigate({ view: 'list' }, { replace: true });
            }}
          />
        )}
      </div>
    </section>
  );
}
