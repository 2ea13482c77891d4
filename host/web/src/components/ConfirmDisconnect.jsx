// "Disconnect…", then a confirmation that names the account, then the request.

import { useState } from 'preact/hooks';
import { ErrorNote } from './ErrorNote.jsx';

/** onDisconnect: performs the request (throws an ApiError on failure). */
export function ConfirmDisconnect({ accountName, onDisconnect }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  async function disconnect() {
    setBusy(true);
    setError(null);
    try {
      await onDisconnect();
      setConfirming(false);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {!confirming ? (
        <button type="button" class="button danger-outline" onClick={() => setConfirming(true)}>
          Disconnect…
        </button>
      ) : (
        <div class="confirm" role="group" aria-label="Confirm disconnect">
          <p>
            Disconnect <strong>{accountName}</strong>? Stored tokens are erased and new messages
            are no longer answered. The history is kept.
          </p>
          <button type="button" class="button danger" disabled={busy} onClick={disconnect}>
            {busy ? 'Disconnecting…' : 'Yes, disconnect'}
          </button>
          <button type="button" class="button ghost" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      <ErrorNote error={error} />
    </>
  );
}
