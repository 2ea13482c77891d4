// Sign-in: paste the token the host printed (or open the start-up link, which fills it in).

import { useState } from 'preact/hooks';
import { tokenProblem } from '../lib/token.js';
import { Field } from './Field.jsx';

export function SignIn({ onSignIn, notice }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState('');

  function submit(event) {
    event.preventDefault();
    const problem = tokenProblem(token);
    setError(problem);
    if (!problem) onSignIn(token.trim());
  }

  return (
    <main class="signin">
      <form class="card signin-card" onSubmit={submit} noValidate>
        <div class="brand brand--large" aria-hidden="true">
          <span class="brand-mark">ch</span> chathost
        </div>
        <h1>Sign in to the dashboard</h1>
        <p class="muted">
          Use the link the host prints at start-up, or paste a token made with{' '}
          <code>chathost token --subaccount ID</code>.
        </p>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        <Field id="signin-token" label="Access token" error={error}>
          {(props) => (
            <textarea
              {...props}
              rows={4}
              spellcheck={false}
              autocomplete="off"
              value={token}
              onInput={(e) => setToken(e.target.value)}
            />
          )}
        </Field>
        <button class="button primary" type="submit">
          Sign in
        </button>
      </form>
    </main>
  );
}
