// The outcome of "Connect with Instagram", after Instagram sent the browser back to the page.
// The reason of a failure comes from the address bar: it is shown as text, never as HTML.

export function ConnectResultBanner({ result, status, onDismiss }) {
  if (!result) return null;
  let text;
  let tone;
  if (result.result === 'error') {
    tone = 'error';
    text = `Instagram was not connected: ${result.reason}`;
  } else if (!status) {
    tone = 'success';
    text = 'Instagram connected. Reading the account…';
  } else if (status.isConnected && status.accountInfo && status.accountInfo.username) {
    tone = 'success';
    text = `Instagram connected as @${status.accountInfo.username}`;
  } else if (status.isConnected) {
    tone = 'success';
    text = 'Instagram connected.';
  } else {
    tone = 'error';
    text = 'Instagram sent you back, but this agent is not connected. Try connecting again.';
  }
  return (
    <div
      class={`banner banner--${tone}`}
      role={tone === 'error' ? 'alert' : 'status'}
      data-testid="connect-result"
    >
      <p class="banner-text">{text}</p>
      {onDismiss && (
        <button type="button" class="button ghost small" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </div>
  );
}
