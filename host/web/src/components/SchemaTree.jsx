// A JSON schema of the API description as nested lists: member, type, required, limits, words.

import { schemaTree } from '../lib/openapi.js';
import { ApiText } from './ApiText.jsx';

function SchemaRows({ nodes }) {
  return (
    <ul class="schema-tree">
      {nodes.map((node, i) => (
        <li key={`${node.name}-${i}`}>
          <div class="schema-row">
            {node.name && <span class="schema-name mono">{node.name}</span>}
            <span class="schema-type mono">{node.type}</span>
            {node.required && <span class="schema-required">required</span>}
            {node.constraints.length > 0 && (
              <span class="schema-constraints">{node.constraints.join(', ')}</span>
            )}
            {node.description && (
              <span class="schema-description">
                <ApiText text={node.description} />
              </span>
            )}
          </div>
          {node.children.length > 0 && <SchemaRows nodes={node.children} />}
        </li>
      ))}
    </ul>
  );
}

/** `schema` inside `doc`; its members when it is an object, else the schema's own row. */
export function SchemaTree({ doc, schema }) {
  const root = schemaTree(doc, schema);
  if (root.children.length === 0) return <SchemaRows nodes={[root]} />;
  return (
    <div class="schema">
      <p class="schema-root">
        <span class="schema-type mono">{root.type}</span>
        {root.constraints.length > 0 && (
          <span class="schema-constraints">{root.constraints.join(', ')}</span>
        )}
        {root.description && (
          <span class="schema-description">
            <ApiText text={root.description} />
          </span>
        )}
      </p>
      <SchemaRows nodes={root.children} />
    </div>
  );
}
