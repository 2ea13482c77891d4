// One operation of the API description: method and path, then (opened) its parameters, request
// body and every answer with its status, error codes and schema.

import { operationAnchor } from '../lib/openapi.js';
import { ApiText } from './ApiText.jsx';
import { SchemaTree } from './SchemaTree.jsx';

function Parameters({ parameters }) {
  if (parameters.length === 0) return null;
  return (
    <section class="api-part">
      <h4>Parameters</h4>
      <table class="api-table">
        <thead>
          <tr>
            <th scope="col">name</th>
            <th scope="col">in</th>
            <th scope="col">type</th>
            <th scope="col">description</th>
          </tr>
        </thead>
        <tbody>
          {parameters.map((p) => (
            <tr key={`${p.in}-${p.name}`}>
              <td class="mono">
                {p.name}
                {p.required && <span class="schema-required">required</span>}
              </td>
              <td>{p.in}</td>
              <td class="mono">{p.type}</td>
              <td>
                <ApiText text={p.description} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Example({ value }) {
  if (value === undefined) return null;
  return (
    <details class="api-example">
      <summary>Example</summary>
      <pre class="mono">{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</pre>
    </details>
  );
}

function Response({ doc, response }) {
  const kind = response.status.startsWith('2') || response.status.startsWith('3') ? 'ok' : 'error';
  return (
    <li class="api-response">
      <div class="api-response-head">
        <span class={`api-status api-status--${kind}`}>{response.status}</span>
        {response.codes.map((code) => (
          <span class="error-code" key={code}>
            {code}
          </span>
        ))}
        <span class="api-response-text">
          <ApiText text={response.description} />
        </span>
        {response.mediaType && <span class="muted small mono">{response.mediaType}</span>}
      </div>
      {response.envelope === 'success' && response.schema && (
        <details class="api-schema">
          <summary>
            <code>data</code> schema
          </summary>
          <SchemaTree doc={doc} schema={response.schema} />
        </details>
      )}
      {!response.envelope && response.schema && response.mediaType === 'application/json' && (
        <details class="api-schema">
          <summary>Schema</summary>
          <SchemaTree doc={doc} schema={response.schema} />
        </details>
      )}
      <Example value={response.example} />
    </li>
  );
}

export function ApiOperation({ doc, operation, open = false }) {
  return (
    <details class="api-op" id={operationAnchor(operation.operationId)} open={open}>
      <summary class="api-op-head">
        <span class={`api-method api-method--${operation.method.toLowerCase()}`}>
          {operation.method}
        </span>
        <span class="api-path mono">{operation.path}</span>
        <span class="api-summary">{operation.summary}</span>
        <span class={`api-auth${operation.public ? ' api-auth--public' : ''}`}>
          {operation.public ? 'no token' : 'JWT'}
        </span>
      </summary>
      <div class="api-op-body">
        <p class="muted small mono">operationId: {operation.operationId}</p>
        {operation.undescribed && (
          <p class="warn-text">This route has no description in the host's API catalog.</p>
        )}
        {operation.description && (
          <p>
            <ApiText text={operation.description} />
          </p>
        )}
        <Parameters parameters={operation.parameters} />
        {operation.requestBody && (
          <section class="api-part">
            <h4>
              Request body{' '}
              <span class="muted small mono">
                {operation.requestBody.mediaType}
                {operation.requestBody.required ? ', required' : ', optional'}
              </span>
            </h4>
            {operation.requestBody.schema && (
              <SchemaTree doc={doc} schema={operation.requestBody.schema} />
            )}
            <Example value={operation.requestBody.example} />
          </section>
        )}
        <section class="api-part">
          <h4>Responses</h4>
          <ul class="api-responses">
            {operation.responses.map((r) => (
              <Response doc={doc} response={r} key={r.status} />
            ))}
          </ul>
        </section>
      </div>
    </details>
  );
}
