import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  errorCodeRows,
  groupOperations,
  matchesFilter,
  operationAnchor,
  resolveRef,
  schemaTree,
  textSegments,
  typeLabel,
} from '../src/lib/openapi.js';
import { kApiPagePath, parseRoute, routePath } from '../src/lib/route.js';

// A small document shaped as the host writes it: envelopes by allOf, error codes narrowed per
// answer, a self-referencing schema, a channel tag.
const doc = {
  openapi: '3.1.0',
  info: { title: 'chathost API', version: '1.0.0' },
  tags: [
    { name: 'Agents', description: 'The agents.' },
    { name: 'Unused' },
    { name: 'Instagram', description: 'The channel.' },
  ],
  paths: {
    '/api/database/{subaccountId}/chat-agents/{agentId}': {
      get: {
        tags: ['Agents'],
        operationId: 'getAgent',
        summary: 'Read an agent',
        parameters: [{ $ref: '#/components/parameters/agentId' }],
        responses: {
          200: {
            description: 'The agent.',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/SuccessEnvelope' },
                    { properties: { data: { $ref: '#/components/schemas/Agent' } } },
                  ],
                },
                example: { success: true, data: { id: 'a' } },
              },
            },
          },
          404: {
            description: 'Not found.',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/ErrorEnvelope' },
                    { properties: { code: { enum: ['AGENT_NOT_FOUND'] } } },
                  ],
                },
              },
            },
          },
        },
      },
    },
    '/webhooks/instagram': {
      post: {
        tags: ['Instagram'],
        operationId: 'instagramWebhook',
        summary: 'Webhook delivery',
        security: [],
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { type: 'object' }, example: {} } },
        },
        responses: {
          200: {
            description: 'Recorded.',
            content: { 'text/plain': { schema: { const: 'EVENT_RECEIVED' } } },
          },
        },
      },
    },
    '/odd': {
      get: {
        operationId: 'odd',
        'x-undescribed': true,
        responses: { default: { description: '?' } },
      },
    },
  },
  components: {
    parameters: {
      agentId: {
        name: 'agentId',
        in: 'path',
        required: true,
        schema: { $ref: '#/components/schemas/Id' },
      },
    },
    schemas: {
      Id: { type: 'string', pattern: '^[a-z]+$' },
      SuccessEnvelope: {
        type: 'object',
        required: ['success', 'data'],
        properties: { success: { const: true }, data: {} },
      },
      ErrorEnvelope: {
        type: 'object',
        properties: { code: { $ref: '#/components/schemas/ErrorCode' } },
      },
      ErrorCode: {
        type: 'string',
        enum: ['AGENT_NOT_FOUND', 'OUTSIDE_WINDOW'],
        'x-error-codes': [
          { code: 'AGENT_NOT_FOUND', status: 404, description: 'No such agent.' },
          { code: 'OUTSIDE_WINDOW', status: 409, description: 'Window closed.' },
        ],
      },
      Agent: {
        type: 'object',
        required: ['id', 'name'],
        properties: {
          id: { $ref: '#/components/schemas/Id' },
          name: { type: 'string', maxLength: 200, description: 'Shown to people.' },
          expiresAt: { type: ['integer', 'null'] },
          tags: { type: 'array', items: { type: 'string' } },
          parent: { $ref: '#/components/schemas/Agent' },
          config: {
            anyOf: [
              { $ref: '#/components/schemas/Id' },
              { type: 'object', properties: { a: { type: 'integer' } } },
            ],
          },
        },
      },
    },
  },
};

test('resolveRef follows local JSON pointers, escapes included', () => {
  assert.equal(resolveRef(doc, '#/components/schemas/Id').type, 'string');
  assert.equal(
    resolveRef(doc, '#/paths/~1webhooks~1instagram/post/operationId'),
    'instagramWebhook',
  );
  assert.equal(resolveRef(doc, '#/components/schemas/Nope'), undefined);
  assert.equal(resolveRef(doc, 'https://elsewhere/x.json'), undefined);
});

test('typeLabel names refs, unions, arrays and constants', () => {
  assert.equal(typeLabel(doc, { $ref: '#/components/schemas/Agent' }), 'Agent');
  assert.equal(typeLabel(doc, { type: ['integer', 'null'] }), 'integer | null');
  assert.equal(
    typeLabel(doc, { type: 'array', items: { $ref: '#/components/schemas/Agent' } }),
    'Agent[]',
  );
  assert.equal(typeLabel(doc, { const: 'EVENT_RECEIVED' }), '"EVENT_RECEIVED"');
  assert.equal(typeLabel(doc, { enum: ['a', 'b'] }), '"a" | "b"');
  assert.equal(typeLabel(doc, undefined), 'any');
});

test('groupOperations groups by tag in the document order and drops unused tags', () => {
  const groups = groupOperations(doc);
  assert.deepEqual(
    groups.map((g) => g.name),
    ['Agents', 'Instagram', 'Other'],
  );
  const [getAgent] = groups[0].operations;
  assert.equal(getAgent.method, 'GET');
  assert.equal(getAgent.public, false);
  assert.deepEqual(getAgent.parameters, [
    { name: 'agentId', in: 'path', required: true, description: '', type: 'Id' },
  ]);
  const ok = getAgent.responses.find((r) => r.status === '200');
  assert.equal(ok.envelope, 'success');
  assert.equal(ok.schema.$ref, '#/components/schemas/Agent');
  const missing = getAgent.responses.find((r) => r.status === '404');
  assert.equal(missing.envelope, 'error');
  assert.deepEqual(missing.codes, ['AGENT_NOT_FOUND']);

  const webhook = groups[1].operations[0];
  assert.equal(webhook.public, true);
  assert.equal(webhook.requestBody.required, true);
  assert.equal(webhook.responses[0].mediaType, 'text/plain');
  assert.equal(groups[2].operations[0].undescribed, true);
});

test('schemaTree opens refs, marks required members and stops at a schema already open', () => {
  const tree = schemaTree(doc, { $ref: '#/components/schemas/Agent' });
  assert.equal(tree.type, 'Agent');
  const byName = Object.fromEntries(tree.children.map((c) => [c.name, c]));
  assert.deepEqual(Object.keys(byName), ['id', 'name', 'expiresAt', 'tags', 'parent', 'config']);
  assert.equal(byName.id.required, true);
  assert.equal(byName.expiresAt.required, false);
  assert.deepEqual(byName.id.constraints, ['pattern ^[a-z]+$']);
  assert.deepEqual(byName.name.constraints, ['max length 200']);
  assert.equal(byName.name.description, 'Shown to people.');
  assert.equal(byName.tags.type, 'string[]');
  // Agent inside Agent is named, not opened again.
  assert.equal(byName.parent.type, 'Agent');
  assert.deepEqual(byName.parent.children, []);
  // Variants are listed.
  assert.deepEqual(
    byName.config.children.map((c) => c.type),
    ['Id', 'object'],
  );
  assert.equal(byName.config.children[1].children[0].name, 'a');
});

test('schemaTree merges allOf parts (envelopes)', () => {
  const tree = schemaTree(doc, {
    allOf: [
      { $ref: '#/components/schemas/SuccessEnvelope' },
      { properties: { message: { type: 'string' } } },
    ],
  });
  assert.deepEqual(
    tree.children.map((c) => [c.name, c.required]),
    [
      ['success', true],
      ['data', true],
      ['message', false],
    ],
  );
});

test('errorCodeRows reads the table the host attaches to ErrorCode', () => {
  assert.deepEqual(
    errorCodeRows(doc).map((r) => [r.code, r.status]),
    [
      ['AGENT_NOT_FOUND', 404],
      ['OUTSIDE_WINDOW', 409],
    ],
  );
  assert.deepEqual(errorCodeRows({}), []);
});

test('matchesFilter matches every word against method, path, summary and id', () => {
  const op = groupOperations(doc)[0].operations[0];
  assert.ok(matchesFilter(op, ''));
  assert.ok(matchesFilter(op, 'get agent'));
  assert.ok(matchesFilter(op, 'CHAT-AGENTS'));
  assert.ok(!matchesFilter(op, 'webhook'));
  assert.equal(operationAnchor('oauth start'), 'op-oauth_start');
});

test('textSegments sets `code` spans apart and leaves an unpaired backtick alone', () => {
  assert.deepEqual(textSegments('Use `limit` and `skip`.'), [
    { text: 'Use ', code: false },
    { text: 'limit', code: true },
    { text: ' and ', code: false },
    { text: 'skip', code: true },
    { text: '.', code: false },
  ]);
  assert.deepEqual(textSegments('a ` b'), [{ text: 'a ` b', code: false }]);
  assert.deepEqual(textSegments(undefined), []);
});

test('the API page has a route of its own, and back', () => {
  assert.deepEqual(parseRoute(kApiPagePath), { view: 'api' });
  assert.equal(routePath({ view: 'api' }), kApiPagePath);
  assert.deepEqual(parseRoute(`${kApiPagePath}/more`), { view: 'list' });
});

test('schemaTree shows members beside variants that only require some of them', () => {
  const tree = schemaTree(doc, {
    type: 'object',
    required: ['to'],
    properties: {
      to: { type: 'string' },
      message: { type: 'string' },
      attachment: { type: 'object' },
    },
    anyOf: [{ required: ['message'] }, { required: ['attachment'] }],
  });
  assert.deepEqual(
    tree.children.map((c) => [c.name, c.required]),
    [
      ['to', true],
      ['message', false],
      ['attachment', false],
    ],
  );
  assert.deepEqual(tree.constraints, ['needs message or attachment']);
});
