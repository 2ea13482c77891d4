// An agent's settings: its form, and deleting it (with a confirmation).

import { useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import { AgentForm } from './AgentForm.jsx';
import { ErrorNote } from './ErrorNote.jsx';

export function AgentSettings({ api, subaccount, agent, onSaved, onDeleted }) {
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
        <p class="muted">
          Its channel connections end and its conversation history is erased.
        </p>
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
