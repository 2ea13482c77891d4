// The create-agent screen.

import { paths } from '../lib/api.js';
import { AgentForm } from './AgentForm.jsx';

export function NewAgent({ api, subaccount, onCreated, onCancel }) {
  return (
    <section class="panel">
      <a
        class="back-link"
        href="/"
        onClick={(e) => {
          e.preventDefault();
          onCancel();
        }}
      >
        ← Agents
      </a>
      <h1>New agent</h1>
      <p class="muted">
        In subaccount <span class="mono">{subaccount}</span>. You can connect Instagram once it
        exists.
      </p>
      <div class="card">
        <AgentForm
          submitLabel="Create agent"
          onCancel={onCancel}
          onSubmit={async (body) => onCreated(await api.post(paths.agents(subaccount), body))}
        />
      </div>
    </section>
  );
}
