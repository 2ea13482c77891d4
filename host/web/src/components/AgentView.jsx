// One agent: its Instagram connection, its conversations and its settings, as tabs.

import { useEffect, useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import { AgentForm } from './AgentForm.jsx';
import { ConnectResultBanner } from './ConnectResultBanner.jsx';
import { Conversations } from './Conversations.jsx';
import { ErrorNote } from './ErrorNote.jsx';
import { InstagramPanel } from './InstagramPanel.jsx';

const kTabs = [
  ['instagram', 'Instagram'],
  ['conversations', 'Conversations'],
  ['settings', 'Settings'],
];

export function AgentView({
  api,
  subaccount,
  route,
  navigate,
  onChanged,
  connectResult,
  onDismissConnectResult,
}) {
  const [agent, setAgent] = useState(null);
  const [error, setError] = useState(null);
  const agentId = route.agentId;

  useEffect(() => {
    let live = true;
    api
      .get(paths.agent(subaccount, agentId))
      .then((a) => live && setAgent(a))
      .catch((e) => live && setError(e));
    return () => {
      live = false;
    };
  }, [api, subaccount, agentId]);

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
  if (!agent)
    return (
      <section class="panel">
        {back}
        <p class="muted">Loading agent…</p>
      </section>
    );

  const selectTab = (tab) => navigate({ view: 'agent', agentId, tab });
  function onTabKey(event, index) {
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    event.preventDefault();
    const next = kTabs[(index + step + kTabs.length) % kTabs.length][0];
    selectTab(next);
    document.getElementById(`tab-${next}`)?.focus();
  }

  return (
    <section class="panel agent-view">
      {back}
      <header class="agent-header">
        <h1>{agent.name}</h1>
        <p class="muted">
          <span class="badge">{agent.type}</span> <span class="mono">{agent.id}</span>
        </p>
      </header>
      <div class="tabs" role="tablist" aria-label="Agent sections">
        {kTabs.map(([tab, label], i) => (
          <button
            key={tab}
            id={`tab-${tab}`}
            type="button"
            role="tab"
            class="tab"
            aria-selected={route.tab === tab ? 'true' : 'false'}
            aria-controls={`tabpanel-${tab}`}
            tabIndex={route.tab === tab ? 0 : -1}
            onClick={() => selectTab(tab)}
            onKeyDown={(e) => onTabKey(e, i)}
          >
            {label}
          </button>
        ))}
      </div>
      <div
        class="tabpanel"
        role="tabpanel"
        id={`tabpanel-${route.tab}`}
        aria-labelledby={`tab-${route.tab}`}
      >
        {route.tab === 'instagram' && (
          <InstagramPanel
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            connectResult={connectResult}
            onDismissResult={onDismissConnectResult}
          />
        )}
        {route.tab === 'conversations' && (
          <Conversations
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            chatId={route.chatId}
            onOpenChat={(chatId) =>
              navigate({ view: 'agent', agentId, tab: 'conversations', chatId })
            }
          />
        )}
        {route.tab === 'settings' && (
          <Settings
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

function Settings({ api, subaccount, agent, onSaved, onDeleted }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      await api.del(paths.agent(subaccount, agent.id));
      onDeleted();
    } catch (e) {
      setError(e);
      setBusy(false);
    }
  }

  return (
    <div class="stack">
      <section class="card">
        <h2>Agent settings</h2>
        <AgentForm
          key={agent.updatedAt}
          agent={agent}
          submitLabel="Save changes"
          onSubmit={async (body) =>
            onSaved(await api.patch(paths.agent(subaccount, agent.id), body))
          }
        />
      </section>
      <section class="card danger-zone">
        <h2>Delete agent</h2>
        <p class="muted">Its Instagram connection ends and its conversation history is erased.</p>
        {!confirming ? (
          <button type="button" class="button danger" onClick={() => setConfirming(true)}>
            Delete agent…
          </button>
        ) : (
          <div class="confirm" role="group" aria-label="Confirm deletion">
            <p>
              Delete <strong>{agent.name}</strong> and all its conversations? This cannot be undone.
            </p>
            <button type="button" class="button danger" disabled={busy} onClick={remove}>
              {busy ? 'Deleting…' : 'Yes, delete'}
            </button>
            <button type="button" class="button ghost" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        )}
        <ErrorNote error={error} />
      </section>
    </div>
  );
}
