// The API page: the host's OpenAPI document (/api/openapi.json, public) drawn offline, operations
// grouped by tag, with a filter and the table of error codes.

import { useEffect, useMemo, useState } from 'preact/hooks';
import { errorCodeRows, groupOperations, matchesFilter, operationAnchor } from '../lib/openapi.js';
import { ApiOperation } from './ApiOperation.jsx';
import { ApiText } from './ApiText.jsx';
import { ErrorNote } from './ErrorNote.jsx';
import './ApiPage.css';

export const kOpenApiPath = '/api/openapi.json';

function useOpenApiDocument() {
  const [state, setState] = useState({ doc: null, error: null });
  useEffect(() => {
    let live = true;
    fetch(kOpenApiPath, { headers: { Accept: 'application/json' } })
      .then(async (response) => {
        if (!response.ok)
          throw new Error(`The API description could not be read (HTTP ${response.status}).`);
        return response.json();
      })
      .then((doc) => live && setState({ doc, error: null }))
      .catch(
        (error) =>
          live && setState({ doc: null, error: error.message || 'Could not reach the server.' }),
      );
    return () => {
      live = false;
    };
  }, []);
  return state;
}

function ErrorCodes({ rows }) {
  return (
    <section class="api-group card" id="error-codes" aria-labelledby="error-codes-title">
      <h2 id="error-codes-title">Error codes</h2>
      <p class="muted">
        Every failure answers{' '}
        <code>
          {'{"success": false, "message", "code", "meta": {operationId, operation, duration}}'}
        </code>{' '}
        with one of these codes.
      </p>
      <table class="api-table api-codes">
        <thead>
          <tr>
            <th scope="col">code</th>
            <th scope="col">HTTP</th>
            <th scope="col">when</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.code}>
              <td>
                <span class="error-code">{row.code}</span>
              </td>
              <td class="mono">{row.status}</td>
              <td>
                <ApiText text={row.description} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** `onHome`, when given, shows a link back to the dashboard (the page is also shown signed out). */
export function ApiPage({ onHome }) {
  const { doc, error } = useOpenApiDocument();
  const [filter, setFilter] = useState('');
  const groups = useMemo(() => (doc ? groupOperations(doc) : []), [doc]);
  const shown = groups
    .map((g) => ({ ...g, operations: g.operations.filter((op) => matchesFilter(op, filter)) }))
    .filter((g) => g.operations.length > 0);
  const count = groups.reduce((n, g) => n + g.operations.length, 0);
  // A link to an operation (#op-...) opens it; once drawn, it is scrolled to.
  useEffect(() => {
    if (doc && location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, [doc]);

  return (
    <section class="api-page" aria-labelledby="api-title">
      <header class="api-header">
        {onHome && (
          <a
            class="api-home"
            href="/"
            onClick={(e) => {
              e.preventDefault();
              onHome();
            }}
          >
            ← Dashboard
          </a>
        )}
        <h1 id="api-title">API</h1>
        <p class="muted">
          Every route of this host, from its OpenAPI 3.1 description{' '}
          <a href={kOpenApiPath} target="_blank" rel="noopener">
            <code>{kOpenApiPath}</code>
          </a>
          {doc && ` (version ${doc.info?.version}, ${count} operations)`}. Routes marked JWT need{' '}
          <code>Authorization: Bearer &lt;token&gt;</code>.
        </p>
      </header>
      <ErrorNote error={error} />
      {!doc && !error && <p class="muted">Loading the API description…</p>}
      {doc && (
        <div class="api-layout">
          <nav class="api-nav card" aria-label="API sections">
            <label class="api-filter">
              <span>Filter</span>
              <input
                type="search"
                value={filter}
                placeholder="path, method or words"
                onInput={(e) => setFilter(e.target.value)}
              />
            </label>
            <ul>
              {shown.map((g) => (
                <li key={g.name}>
                  <a href={`#tag-${g.name}`}>{g.name}</a>{' '}
                  <span class="count">{g.operations.length}</span>
                </li>
              ))}
              <li>
                <a href="#error-codes">Error codes</a>
              </li>
            </ul>
          </nav>
          <div class="api-groups">
            {shown.length === 0 && <p class="muted">No operation matches “{filter}”.</p>}
            {shown.map((g) => (
              <section class="api-group" id={`tag-${g.name}`} key={g.name}>
                <h2>{g.name}</h2>
                {g.description && (
                  <p class="muted">
                    <ApiText text={g.description} />
                  </p>
                )}
                {g.operations.map((op) => (
                  <ApiOperation
                    doc={doc}
                    operation={op}
                    key={operationAnchor(op.operationId)}
                    open={location.hash === `#${operationAnchor(op.operationId)}`}
                  />
                ))}
              </section>
            ))}
            <ErrorCodes rows={errorCodeRows(doc)} />
          </div>
        </div>
      )}
    </section>
  );
}
