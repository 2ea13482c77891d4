// A channel connection's state in one word: not connected, connected, or needs reconnecting.

export function StatusBadge({ status }) {
  if (!status) return null;
  if (!status.isConnected) return <span class="status status--off">Not connected</span>;
  if (!status.isActive) return <span class="status status--warn">Needs reconnect</span>;
  return <span class="status status--on">Connected</span>;
}
