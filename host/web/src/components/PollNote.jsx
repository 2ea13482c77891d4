// Under a connection's status: how often it is read, or that reading paused and can resume.

export function PollNote({ polling }) {
  return (
    <p class="poll-note" aria-live="polite">
      {polling.running ? (
        'Status updates every 3 seconds while this page is shown.'
      ) : (
        <>
          Status updates paused after 5 minutes.{' '}
          <button type="button" class="link-button" onClick={polling.restart}>
            Check again
          </button>
        </>
      )}
    </p>
  );
}
