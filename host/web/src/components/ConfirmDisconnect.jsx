// "Disconnect…", then a confirmation that names the account, then the request.

import { ConfirmAction } from './ConfirmAction.jsx';

/** onDisconnect: performs the request (throws an ApiError on failure). */
export function ConfirmDisconnect({ accountName, onDisconnect }) {
  return (
    <ConfirmAction
      label="Disconnect…"
      buttonClass="danger-outline"
      groupLabel="Confirm disconnect"
      question={
        <>
          Disconnect <strong>{accountName}</strong>? Stored tokens are erased and new messages are
          no longer answered. The history is kept.
        </>
      }
      confirmLabel="Yes, disconnect"
      busyLabel="Disconnecting…"
      onConfirm={onDisconnect}
    />
  );
}
