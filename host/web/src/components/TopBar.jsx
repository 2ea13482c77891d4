// The bar on every signed-in screen: brand, subaccount in use, the API page, sign out.

import { useEffect, useState } from 'preact/hooks';
import { idProblem } from '../lib/ids.js';
import { kApiPagePath } from '../lib/route.js';
import { grantedSubaccounts } from '../lib/token.js';

export function TopBar({ claims, subaccount, onSubaccount, onSignOut, onApi, apiOpen = false }) {
  const [draft, setDraft] = useState(subaccount);
  const [error, setError] = useState('');
  useEffect(() => setDraft(subaccount), [subaccount]);
  const granted = grantedSubaccounts(claims);

  function submit(event) {
    event.preventDefault();
    const value = draft.trim();
    const problem = idProblem(value, 'Subaccount');
    setError(problem);
    if (!problem && value !== subaccount) onSubaccount(value);
  }

  return (
    <header class="topbar">
      <a class="skip-link" href="#content">
        Skip to content
      </a>
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          ch
        </span>
        <span class="brand-name">chathost</span>
      </div>
      <form class="subaccount-form" onSubmit={submit}>
        <label for="subaccount">Subaccount</label>
        <input
          id="subaccount"
          list="subaccount-options"
          value={draft}
          spellcheck={false}
          autocomplete="off"
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? 'subaccount-error' : undefined}
          onInput={(e) => setDraft(e.target.value)}
          onBlur={submit}
        />
        <datalist id="subaccount-options">
          {granted.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        {error && (
          <span class="field-error topbar-error" id="subaccount-error" role="alert">
            {error}
          </span>
        )}
      </form>
      {onApi && (
        <a
          class="topbar-link"
          href={kApiPagePath}
          aria-current={apiOpen ? 'page' : undefined}
          onClick={(e) => {
            e.preventDefault();
            onApi();
          }}
        >
          API
        </a>
      )}
      <button type="button" class="button ghost" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}
