// Reading an OpenAPI 3.1 document as a test needs it: its structural problems, and validators for
// the answer the document gives for a method, path template and status.

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const kMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const kDocumentId = 'https://chathost.invalid/openapi.json';

/** Every operation: {method, path, operation}. */
export function operationsOf(doc) {
  const out = [];
  for (const [path, item] of Object.entries(doc.paths || {}))
    for (const method of kMethods)
      if (item[method]) out.push({ method, path, operation: item[method] });
  return out;
}

/** RFC 6901: the value at `pointer` ("#/a/b~1c") inside `doc`, or undefined. */
export function resolvePointer(doc, pointer) {
  if (!pointer.startsWith('#')) return undefined;
  let value = doc;
  for (const raw of pointer.slice(1).split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (value === null || typeof value !== 'object' || !(key in value)) return undefined;
    value = value[key];
  }
  return value;
}

function* refsIn(value, at = '#') {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; ++i) yield* refsIn(value[i], `${at}/${i}`);
  } else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string') yield { at, ref: child };
      else yield* refsIn(child, `${at}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`);
    }
  }
}

function parametersOf(doc, operation, pathItem) {
  return [...(pathItem.parameters || []), ...(operation.parameters || [])].map((p) =>
    p.$ref ? resolvePointer(doc, p.$ref) : p,
  );
}

/**
 * What is wrong with the document's structure, in words (empty when nothing): $refs that do not
 * resolve, operationIds missing or used twice, path templates without a declared path parameter
 * (or declared ones not in the path), responses without a description.
 */
export function structuralProblems(doc) {
  const problems = [];
  if (doc.openapi !== '3.1.0') problems.push(`openapi is ${doc.openapi}, not 3.1.0`);
  if (!doc.info?.title || !doc.info?.version) problems.push('info needs a title and a version');
  for (const { at, ref } of refsIn(doc))
    if (resolvePointer(doc, ref) === undefined)
      problems.push(`${at}: $ref ${ref} does not resolve`);
  const ids = new Map();
  for (const { method, path, operation } of operationsOf(doc)) {
    const where = `${method.toUpperCase()} ${path}`;
    if (!operation.operationId) problems.push(`${where} has no operationId`);
    else if (ids.has(operation.operationId))
      problems.push(
        `${where}: operationId ${operation.operationId} is also ${ids.get(operation.operationId)}'s`,
      );
    else ids.set(operation.operationId, where);
    const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const params = parametersOf(doc, operation, doc.paths[path]);
    const declared = params.filter((p) => p && p.in === 'path').map((p) => p.name);
    for (const name of templated)
      if (!declared.includes(name))
        problems.push(`${where}: path parameter ${name} is not declared`);
    for (const name of declared)
      if (!templated.includes(name))
        problems.push(`${where}: parameter ${name} is not in the path`);
    for (const p of params)
      if (p && p.in === 'path' && p.required !== true)
        problems.push(`${where}: path parameter ${p.name} must be required`);
    if (!operation.responses || Object.keys(operation.responses).length === 0)
      problems.push(`${where} has no responses`);
    for (const [status, response] of Object.entries(operation.responses || {}))
      if (!response.description)
        problems.push(`${where} ${status}: response without a description`);
    for (const tag of operation.tags || [])
      if (!(doc.tags || []).some((t) => t.name === tag))
        problems.push(`${where}: tag ${tag} is not declared`);
  }
  return problems;
}

/** An Ajv 2020-12 instance holding the whole document, so schemas' $refs resolve inside it. */
export function documentValidator(doc) {
  const ajv = new Ajv2020({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  // The document's own members and extensions are not JSON Schema keywords.
  ajv.addVocabulary([
    'openapi',
    'info',
    'servers',
    'paths',
    'components',
    'security',
    'tags',
    'webhooks',
    'jsonSchemaDialect',
    'externalDocs',
    'x-error-codes',
  ]);
  ajv.addSchema({ ...doc, $id: kDocumentId });
  const compiled = new Map();
  return {
    /** A validator of the schema at `pointer` ("#/components/schemas/Agent"). */
    at(pointer) {
      if (!compiled.has(pointer))
        compiled.set(pointer, ajv.compile({ $ref: kDocumentId + pointer }));
      return compiled.get(pointer);
    },
    errorsText: (errors) => ajv.errorsText(errors, { separator: '\n' }),
  };
}

function escapePointer(key) {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Where the document describes the answer `status` of `method path` (path as a template):
 * {response, pointer} of the response object, or null when it does not list that status (a
 * `default` does not count: every answer a route gives must be listed).
 */
export function responseFor(doc, method, path, status) {
  const operation = doc.paths?.[path]?.[method.toLowerCase()];
  const response = operation?.responses?.[String(status)];
  if (!response) return null;
  return {
    response,
    pointer: `#/paths/${escapePointer(path)}/${method.toLowerCase()}/responses/${status}`,
  };
}
