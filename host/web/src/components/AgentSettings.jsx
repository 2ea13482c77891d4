// An agent's settings: its form, and deleting it (with a confirmation).

import { paths } from '../lib/api.js';
import { AgentForm } from './AgentForm.jsx';
import { ConfirmAction } from './ConfirmAction.jsx';

export function AgentSettings({ api, subaccount, agent, onSaved, onDeleted }) {
  async function remove() {
    await api.del(paths.agent(subaccount, agent.id));
    onDeleted();
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
        <p class="muted">
          Its channel connections end and its conversation history is erased.
        </p>
        <ConfirmAction
          label="Delete agent…"
          buttonClass="danger"
          groupLabel="Confirm deletion"
          question={
            <>
              Delete <strong>{agent.name}</strong> and all its conversations? This cannot be undone.
            </>
          }
          confirmLabel="Yes, delete"
          busyLabel="Deleting…"
          onConfirm={remove}
        />
      </section>
    </div>
  );
}
