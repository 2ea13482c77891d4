// A destructive action behind a confirmation: its button, then the question with "Yes" and
// "Cancel", then the request, whose error is shown below.

import { useState } from 'preact/hooks';
import { ErrorNote } from './ErrorNote.jsx';

/**
 * label/buttonClass: the first button; groupLabel: the confirmation's accessible name;
 * question: what is asked; confirmLabel/busyLabel: the "Yes" button and its text while the
 * request runs; onConfirm: performs the request (throws an ApiError on failure).
 */
export function ConfirmAction({
  label,
  buttonClass,
  groupLabel,
  question,
  confirmLabel,
  busyLabel,
  onConfirm,
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
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
        <button type="button" class={`button ${buttonClass}`} onClick={() => setConfirming(true)}>
          {label}
        </button>
      ) : (
        <div class="confirm" role="group" aria-label={groupLabel}>
          <p>{question}</p>
          <button type="button" class="button danger" disabled={busy} onClick={confirm}>
            {busy ? busyLabel : confirmLabel}
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
