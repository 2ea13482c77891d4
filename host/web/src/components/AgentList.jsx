// The subaccount's agents, as a navigation list beside the selected agent.

import { ErrorNote } from './ErrorNote.jsx';

export function AgentList({ agents, selectedId, onOpen, onNew, onRetry }) {
  return (
    <nav class="sidebar" aria-labelledby="agents-heading">
      <div class="sidebar-head">
        <h2 id="agents-heading">Agents</h2>
        <button type="button" class="button primary small" onClick={onNew}>
          New agent
        </button>
      </div>
      {agents.error && (
        <div class="sidebar-error">
          <ErrorNote error={agents.error} />
          <button type="button" class="button secondary small" onClick={onRetry}>
            Try again
          </button>
        </div>
      )}
      {!agents.error && agents.loading && agents.list.length === 0 && (
        <p class="muted sidebar-note">Loading agents…</p>
      )}
      {!agents.error && !agents.loading && agents.list.length === 0 && (
        <p class="muted sidebar-note">No agents yet. Create one to connect Instagram.</p>
      )}
      <ul class="agent-list">
        {agents.list.map((agent) => (
          <li key={agent.id}>
            <a
              href={`/agents/${encodeURIComponent(agent.id)}`}
              class={`agent-link${agent.id === selectedId ? ' agent-link--active' : ''}`}
              aria-current={agent.id === selectedId ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                onOpen(agent.id);
              }}
            >
              <span class="agent-name">{agent.name}</span>
              <span class="agent-meta">
                <span class="badge">{agent.type}</span> <span class="mono">{agent.id}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
