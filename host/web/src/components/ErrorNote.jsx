// An API or validation error in words, placed next to the action that caused it.

export function ErrorNote({ error, id }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  const code = typeof error === 'string' ? '' : error.code;
  return (
    <p class="error-note" role="alert" id={id}>
      <span>{message}</span>
      {code && <span class="error-code">{code}</span>}
    </p>
  );
}
