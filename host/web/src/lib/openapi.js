// Reading the host's OpenAPI document (/api/openapi.json) for the API page: operations grouped by
// tag, schemas as trees a person can read, the error code table. Pure functions of the document.

const kMethods = ['get', 'post', 'put', 'patch', 'delete'];
const kMaxDepth = 6;

/** The value a local "#/a/b" $ref points at, or undefined. */
export function resolveRef(doc, ref) {
  if (typeof ref !== 'string' || !ref.startsWith('#/')) return undefined;
  let value = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
    value = value[key];
  }
  return value;
}

/** The last segment of a $ref ("#/components/schemas/Agent" -> "Agent"). */
export function refName(ref) {
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : '';
}

function deref(doc, value) {
  return value && value.$ref ? resolveRef(doc, value.$ref) || {} : value || {};
}

/** A short type for a schema: "string", "integer | null", "Agent[]", "enum", "any". */
export function typeLabel(doc, schema) {
  if (!schema || typeof schema !== 'object') return 'any';
  if (schema.$ref) return refName(schema.$ref);
  if ('const' in schema) return JSON.stringify(schema.const);
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  if (schema.type === 'array') return `${typeLabel(doc, schema.items)}[]`;
  if (schema.type) return schema.type;
  if (schema.oneOf || schema.anyOf)
    return (schema.oneOf || schema.anyOf).map((s) => typeLabel(doc, s)).join(' | ');
  if (schema.allOf || schema.properties) return 'object';
  return 'any';
}

// The properties and required names of a schema, with allOf parts merged (envelopes, chats).
function objectParts(doc, schema, seen) {
  const out = { properties: {}, required: [] };
  const visit = (s, depth) => {
    if (!s || depth > kMaxDepth) return;
    if (s.$ref) {
      if (seen.has(s.$ref)) return;
      return visit(resolveRef(doc, s.$ref), depth + 1);
    }
    for (const part of s.allOf || []) visit(part, depth + 1);
    Object.assign(out.properties, s.properties || {});
    out.required.push(...(s.required || []));
  };
  visit(schema, 0);
  return out;
}

function constraints(schema) {
  const words = [];
  if (schema.minimum !== undefined) words.push(`≥ ${schema.minimum}`);
  if (schema.maximum !== undefined) words.push(`≤ ${schema.maximum}`);
  if (schema.minLength !== undefined) words.push(`min length ${schema.minLength}`);
  if (schema.maxLength !== undefined) words.push(`max length ${schema.maxLength}`);
  if (schema.maxItems !== undefined) words.push(`at most ${schema.maxItems}`);
  if (schema.pattern) words.push(`pattern ${schema.pattern}`);
  if (schema.format) words.push(schema.format);
  if (schema.default !== undefined) words.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.writeOnly) words.push('secret');
  return words;
}

/**
 * A schema as a tree of rows: {name, type, required, description, constraints, children}.
 * $refs are followed (a schema already open above is shown by name only), allOf parts merged,
 * arrays shown by their items, anyOf/oneOf variants listed as children named "one of".
 */
export function schemaTree(doc, schema, name = '', required = false, seen = new Set(), depth = 0) {
  const own = schema || {};
  const target = deref(doc, own);
  const node = {
    name,
    type: typeLabel(doc, own),
    required,
    description: own.description || target.description || '',
    constraints: constraints({ ...target, ...own }),
    children: [],
  };
  if (depth >= kMaxDepth || (own.$ref && seen.has(own.$ref))) return node;
  const inner = new Set(seen);
  if (own.$ref) inner.add(own.$ref);

  const itemSchema = target.type === 'array' ? target.items : null;
  if (itemSchema) {
    const items = schemaTree(doc, itemSchema, '[ ]', false, inner, depth + 1);
    node.children = items.children.length ? items.children : [];
    return node;
  }
  const variants = target.oneOf || target.anyOf;
  // Variants that only require members ({required: [...]}) say which members must be there.
  const requiredOnly = variants?.every((v) => v.required && Object.keys(v).length === 1);
  if (requiredOnly)
    node.constraints.push(`needs ${variants.map((v) => v.required.join(' and ')).join(' or ')}`);
  if (variants && !requiredOnly) {
    node.children = variants
      .filter((v) => !(v.type === 'null'))
      .map((v) => schemaTree(doc, v, 'one of', false, inner, depth + 1));
    return node;
  }
  const { properties, required: names } = objectParts(doc, target, inner);
  node.children = Object.entries(properties).map(([key, value]) =>
    schemaTree(doc, value, key, names.includes(key), inner, depth + 1),
  );
  return node;
}

/** The JSON schema of a media type map's JSON (or first) entry, and its media type. */
function mediaOf(content) {
  if (!content) return null;
  const type = content['application/json'] ? 'application/json' : Object.keys(content)[0];
  return type ? { type, ...content[type] } : null;
}

// The success envelope's `data` schema, when a response is one; else the body's schema.
function payloadSchema(doc, schema) {
  const parts = schema?.allOf;
  if (parts?.[0]?.$ref === '#/components/schemas/SuccessEnvelope')
    return { envelope: 'success', schema: parts[1]?.properties?.data };
  if (parts?.[0]?.$ref === '#/components/schemas/ErrorEnvelope')
    return { envelope: 'error', schema: parts[0], codes: parts[1]?.properties?.code?.enum || [] };
  return { envelope: '', schema };
}

function responsesOf(doc, operation) {
  return Object.entries(operation.responses || {}).map(([status, raw]) => {
    const response = deref(doc, raw);
    const media = mediaOf(response.content);
    const payload = media ? payloadSchema(doc, media.schema) : { envelope: '', schema: null };
    return {
      status,
      description: response.description || '',
      mediaType: media?.type || '',
      envelope: payload.envelope,
      codes: payload.codes || [],
      schema: payload.schema || null,
      example: media?.example,
    };
  });
}

function parametersOf(doc, pathItem, operation) {
  return [...(pathItem.parameters || []), ...(operation.parameters || [])].map((raw) => {
    const p = deref(doc, raw);
    return {
      name: p.name,
      in: p.in,
      required: Boolean(p.required),
      description: p.description || '',
      type: typeLabel(doc, p.schema),
    };
  });
}

/** "getAgent" -> "op-getAgent": an element id for an operation. */
export function operationAnchor(operationId) {
  return `op-${String(operationId).replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/**
 * The document's operations grouped by their first tag, in the document's tag order (tags no
 * operation uses are left out, operations without a tag go under "Other"):
 * [{name, description, operations: [{method, path, operationId, summary, description, public,
 * parameters, requestBody, responses, undescribed}]}].
 */
export function groupOperations(doc) {
  const groups = new Map();
  for (const tag of doc.tags || [])
    groups.set(tag.name, { name: tag.name, description: tag.description || '', operations: [] });
  for (const [path, pathItem] of Object.entries(doc.paths || {})) {
    for (const method of kMethods) {
      const operation = pathItem[method];
      if (!operation) continue;
      const tag = operation.tags?.[0] || 'Other';
      if (!groups.has(tag)) groups.set(tag, { name: tag, description: '', operations: [] });
      const body = operation.requestBody ? deref(doc, operation.requestBody) : null;
      const bodyMedia = body ? mediaOf(body.content) : null;
      groups.get(tag).operations.push({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId || `${method} ${path}`,
        summary: operation.summary || '',
        description: operation.description || '',
        public: Array.isArray(operation.security) && operation.security.length === 0,
        undescribed: operation['x-undescribed'] === true,
        parameters: parametersOf(doc, pathItem, operation),
        requestBody: bodyMedia
          ? {
              required: Boolean(body.required),
              mediaType: bodyMedia.type,
              schema: bodyMedia.schema || null,
              example: bodyMedia.example,
            }
          : null,
        responses: responsesOf(doc, operation),
      });
    }
  }
  return [...groups.values()].filter((g) => g.operations.length > 0);
}

/** [{code, status, description}] of the ErrorCode schema, in the document's order. */
export function errorCodeRows(doc) {
  const schema = doc?.components?.schemas?.ErrorCode;
  if (!schema) return [];
  if (Array.isArray(schema['x-error-codes'])) return schema['x-error-codes'];
  return (schema.enum || []).map((code) => ({ code, status: '', description: '' }));
}

/** Case-insensitive match of an operation against a filter text (path, summary, id, method). */
export function matchesFilter(operation, filter) {
  const words = String(filter || '')
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean);
  const text =
    `${operation.method} ${operation.path} ${operation.summary} ${operation.operationId}`.toLowerCase();
  return words.every((w) => text.includes(w));
}

/** Splits text on `backticks` into [{text, code}] so code spans can be set in monospace. */
export function textSegments(text) {
  const parts = String(text || '').split('`');
  // An unpaired backtick leaves the rest as plain text.
  if (parts.length % 2 === 0) return [{ text: String(text), code: false }];
  return parts.map((part, i) => ({ text: part, code: i % 2 === 1 })).filter((s) => s.text !== '');
}
