// The OpenAPI document a real host serves at /api/openapi.json, checked two ways: its structure
// (every $ref resolves, operationIds are unique, path parameters are declared, every schema
// compiles), and an acceptance flow over the whole API (agents, Instagram connect with the fake
// Graph API, a signed webhook and the agent's reply, chats, send, sign-in, disconnect, and the
// error cases) whose every answer must be listed by the document for its route and status and
// validate against the schema given there. Every operation of the document is exercised.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import { waitFor } from '../e2e/support/process.mjs';
import { kAccount, kAppSecret, kJwtSecret, startStack } from '../e2e/support/stack.mjs';
import { messageEvent, signature } from '../e2e/support/webhook.mjs';
import {
  documentValidator,
  operationsOf,
  resolvePointer,
  responseFor,
  structuralProblems,
} from './support/openapi.mjs';

const kSub = 'acme';
const kAgents = '/api/database/{subaccountId}/chat-agents';
const kAgent = `${kAgents}/{agentId}`;
const kIg = `${kAgent}/instagram`;
const kVerifyToken = 'api-test-verify-token';
const kWebhookSecret = 'api-test-webhook-secret';
const kUser = '5566778899';

let stack;
let doc;
let validator;
const answers = []; // every recorded answer: {method, path, status, ...}
let otherChannels = []; // loaded channels the flow does not drive

function jwt(claims) {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const head = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(claims)}`;
  return `${head}.${createHmac('sha256', kJwtSecret).update(head).digest('base64url')}`;
}
const exp = () => Math.floor(Date.now() / 1000) + 600;

/** "/a/{x}" filled with params (encoded). */
function fill(template, params) {
  return template.replace(/\{([^}]+)\}/g, (_, name) => {
    assert.ok(name in params, `no value for {${name}} in ${template}`);
    return encodeURIComponent(params[name]);
  });
}

/**
 * Calls `method template` and checks the answer against the document: the status must be one it
 * lists for the operation, and the body must validate against that answer's schema (JSON or
 * text). Returns {status, headers, text, json}.
 */
async function call(
  method,
  template,
  { params = {}, query = '', token = stack.token, body, raw, headers = {}, expect } = {},
) {
  const url = stack.baseUrl + fill(template, { subaccountId: kSub, ...params }) + query;
  const init = { method, headers: { ...headers }, redirect: 'manual' };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (raw !== undefined || body !== undefined) {
    init.headers['Content-Type'] ??= 'application/json';
    init.body = raw ?? JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  const answer = {
    method,
    path: template,
    status: response.status,
    contentType: response.headers.get('content-type') || '',
    headers: response.headers,
    text,
  };
  answers.push(answer);
  const where = `${method} ${template}${query} -> ${response.status}: ${text.slice(0, 300)}`;
  if (expect !== undefined) assert.equal(response.status, expect, where);
  checkAgainstDocument(answer, where);
  try {
    answer.json =
      text && answer.contentType.startsWith('application/json') ? JSON.parse(text) : undefined;
  } catch {
    answer.json = undefined;
  }
  return answer;
}

function checkAgainstDocument(answer, where) {
  const found = responseFor(doc, answer.method, answer.path, answer.status);
  assert.ok(found, `the document does not list this answer: ${where}`);
  const content = found.response.content;
  if (!content) {
    assert.equal(answer.text, '', `an answer without content has a body: ${where}`);
    return;
  }
  const mediaType = Object.keys(content).find((type) => answer.contentType.startsWith(type));
  assert.ok(
    mediaType,
    `content type ${answer.contentType} is not one the document gives: ${where}`,
  );
  if (!content[mediaType].schema) return;
  const pointer = `${found.pointer}/content/${mediaType.replace('/', '~1')}/schema`;
  const value = mediaType === 'application/json' ? JSON.parse(answer.text) : answer.text;
  const validate = validator.at(pointer);
  assert.ok(validate(value), `${where}\n${validator.errorsText(validate.errors)}`);
}

/** An answer of a path no route has: the bare error envelope. */
async function unknownRoute(path, token) {
  const response = await fetch(stack.baseUrl + path, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const body = await response.json();
  const validate = validator.at('#/components/schemas/ErrorEnvelope');
  assert.ok(validate(body), validator.errorsText(validate.errors));
  return { status: response.status, body };
}

before(async () => {
  stack = await startStack({ instagramLogin: true });
  const response = await fetch(`${stack.baseUrl}/api/openapi.json`);
  assert.equal(response.status, 200);
  doc = await response.json();
  validator = documentValidator(doc);
});

after(async () => {
  await stack?.stop();
});

test('the document is served without a token, as JSON, and revalidates by ETag', async () => {
  const first = await call('GET', '/api/openapi.json', { token: '', expect: 200 });
  assert.match(first.contentType, /^application\/json/);
  assert.equal(first.json.openapi, '3.1.0');
  const etag = first.headers.get('etag');
  assert.ok(etag, 'an ETag');
  await call('GET', '/api/openapi.json', {
    token: '',
    headers: { 'If-None-Match': etag },
    expect: 304,
  });
});

test('the document is structurally sound', () => {
  assert.deepEqual(structuralProblems(doc), []);
  // Every schema compiles (with its $refs) under JSON Schema 2020-12, formats included.
  for (const name of Object.keys(doc.components.schemas))
    assert.doesNotThrow(() => validator.at(`#/components/schemas/${name}`), name);
  const { enum: codes, 'x-error-codes': rows } = doc.components.schemas.ErrorCode;
  assert.deepEqual(
    rows.map((r) => r.code),
    codes,
  );
  assert.equal(rows.find((r) => r.code === 'OUTSIDE_WINDOW').status, 409);
  // Every response schema and request body schema compiles too.
  for (const { method, path, operation } of operationsOf(doc)) {
    for (const [status, response] of Object.entries(operation.responses))
      for (const type of Object.keys(response.content || {}))
        assert.doesNotThrow(
          () =>
            validator.at(
              `#/paths/${path.replaceAll('/', '~1')}/${method}/responses/${status}/content/${type.replace('/', '~1')}/schema`,
            ),
          `${method} ${path} ${status}`,
        );
    const body = operation.requestBody?.content?.['application/json'];
    if (body?.example !== undefined && body.schema) {
      const pointer = `#/paths/${path.replaceAll('/', '~1')}/${method}/requestBody/content/application~1json/schema`;
      const validate = validator.at(pointer);
      assert.ok(
        validate(body.example),
        `${method} ${path} example: ${validator.errorsText(validate.errors)}`,
      );
    }
  }
  assert.ok(resolvePointer(doc, '#/components/securitySchemes/bearerAuth'));
});

test('an acceptance flow over the whole API answers as the document says', async () => {
  // Operations and tenancy.
  await call('GET', '/healthz', { token: '', expect: 200 });
  await call('GET', '/readyz', { token: '', expect: 200 });
  await call('GET', '/metrics', { token: '', expect: 200 });
  await call('GET', kAgents, { token: '', expect: 401 });
  await call('GET', kAgents, { token: 'not.a.jwt', expect: 401 });
  await call('GET', kAgents, {
    token: jwt({ sub: 'globex', subaccounts: ['globex'], exp: exp() }),
    expect: 403,
  });
  const channels = await call('GET', '/api/database/{subaccountId}/channels', { expect: 200 });
  otherChannels = channels.json.data.channels.map((c) => c.name).filter((n) => n !== 'instagram');

  // Agents.
  const rules = {
    rules: [{ match: 'price', reply: 'From 9 EUR' }],
    fallback: 'A person will answer.',
  };
  await call('POST', kAgents, { body: { id: 'shop', name: 'Shop', config: rules }, expect: 201 });
  await call('POST', kAgents, { body: { id: 'shop', name: 'Again' }, expect: 409 });
  await call('POST', kAgents, { raw: '{"name": ', expect: 400 });
  await call('POST', kAgents, { body: { name: 'x', type: 'telepathy' }, expect: 400 });
  await call('POST', kAgents, {
    raw: JSON.stringify({ name: 'big', pad: 'x'.repeat(1100 * 1024) }),
    expect: 413,
  });
  await call('POST', kAgents, {
    body: {
      id: 'helper',
      name: 'Helper',
      type: 'openai',
      config: {
        base_url: 'https://api.openai.com/v1',
        model: 'gpt-4o-mini',
        api_key: 'sk-literal-0123456789',
      },
    },
    expect: 201,
  });
  const list = await call('GET', kAgents, { query: '?limit=10&skip=0', expect: 200 });
  assert.equal(list.json.data.count, 2);
  await call('GET', kAgents, { query: '?limit=0', expect: 400 });
  await call('GET', kAgent, { params: { agentId: 'helper' }, expect: 200 });
  await call('GET', kAgent, { params: { agentId: 'nobody' }, expect: 404 });
  await call('GET', kAgent, { params: { agentId: 'bad id!' }, expect: 400 });
  await call('PATCH', kAgent, {
    params: { agentId: 'shop' },
    body: { name: 'Shop bot' },
    expect: 200,
  });
  await call('PATCH', kAgent, { params: { agentId: 'shop' }, body: { id: 'other' }, expect: 400 });
  await call('DELETE', kAgent, { params: { agentId: 'helper' }, expect: 200 });
  const agent = { agentId: 'shop' };

  // Instagram: not connected yet.
  const status = await call('GET', `${kIg}/status`, { params: agent, expect: 200 });
  assert.equal(status.json.data.isConnected, false);
  await call('POST', `${kIg}/send`, {
    params: agent,
    body: { to: kUser, message: 'hi' },
    expect: 409,
  });
  await call('GET', `${kIg}/webhook`, {
    params: agent,
    token: '',
    query: `?hub.mode=subscribe&hub.verify_token=${kVerifyToken}&hub.challenge=42`,
    expect: 403,
  });

  // Connect with the fake: a refused token first.
  const connectBody = {
    accessToken: kAccount.token,
    instagramAccountId: kAccount.igId,
    pageId: kAccount.pageId,
    webhookVerificationToken: kVerifyToken,
    webhookSecret: kWebhookSecret,
  };
  await call('POST', `${kIg}/connect`, {
    params: agent,
    body: { ...connectBody, accessToken: 'EAA-wrong' },
    expect: 401,
  });
  await call('POST', `${kIg}/connect`, { params: agent, body: { pageId: 'x' }, expect: 400 });
  const connected = await call('POST', `${kIg}/connect`, {
    params: agent,
    body: connectBody,
    expect: 200,
  });
  assert.equal(connected.json.data.username, kAccount.username);
  await call('POST', kAgents, { body: { id: 'rival', name: 'Rival' }, expect: 201 });
  await call('POST', `${kIg}/connect`, {
    params: { agentId: 'rival' },
    body: connectBody,
    expect: 409,
  });
  const live = await call('GET', `${kIg}/status`, { params: agent, expect: 200 });
  assert.equal(live.json.data.isConnected, true);

  // Sign-in with Instagram: start, and a callback without a valid state.
  const started = await call('POST', `${kIg}/oauth/start`, {
    params: agent,
    body: {},
    expect: 200,
  });
  assert.match(started.json.data.authorizeUrl, /^http/);
  await call('GET', '/oauth/instagram/callback', {
    token: '',
    query: '?code=x&state=forged',
    expect: 302,
  });

  // Webhooks: verification and deliveries, per agent and channel-wide.
  const challenge = await call('GET', `${kIg}/webhook`, {
    params: agent,
    token: '',
    query: `?hub.mode=subscribe&hub.verify_token=${kVerifyToken}&hub.challenge=4242`,
    expect: 200,
  });
  assert.equal(challenge.text, '4242');
  await call('GET', '/webhooks/instagram', {
    token: '',
    query: '?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1',
    expect: 403,
  });
  const event = messageEvent({
    igId: kAccount.igId,
    userId: kUser,
    mid: 'mid.api.1',
    text: 'What is the price?',
  });
  const raw = JSON.stringify(event);
  await call('POST', `${kIg}/webhook`, {
    params: agent,
    token: '',
    raw,
    headers: { 'X-Hub-Signature-256': signature(raw, 'not-the-secret') },
    expect: 403,
  });
  await call('POST', `${kIg}/webhook`, {
    params: agent,
    token: '',
    raw: '[1,2',
    headers: { 'X-Hub-Signature-256': signature('[1,2', kWebhookSecret) },
    expect: 400,
  });
  const ack = await call('POST', `${kIg}/webhook`, {
    params: agent,
    token: '',
    raw,
    headers: { 'X-Hub-Signature-256': signature(raw, kWebhookSecret) },
    expect: 200,
  });
  assert.equal(ack.text, 'EVENT_RECEIVED');
  const second = JSON.stringify(
    messageEvent({ igId: kAccount.igId, userId: kUser, mid: 'mid.api.2', text: 'thanks' }),
  );
  await call('POST', '/webhooks/instagram', {
    token: '',
    raw: second,
    headers: { 'X-Hub-Signature-256': signature(second, kAppSecret) },
    expect: 200,
  });

  // The agent's reply lands in the chat.
  const chats = await waitFor(
    async () => {
      const page = await call('GET', `${kIg}/messages`, {
        params: agent,
        query: '?limit=50&messageLimit=10',
        expect: 200,
      });
      const chat = page.json.data.chats[0];
      return (
        chat?.messages.some((m) => m.direction === 'outbound' && m.text === 'From 9 EUR') && page
      );
    },
    { what: 'the agent reply in the chat', timeoutMs: 20000 },
  );
  const chatId = chats.json.data.chats[0].chat_id;
  await call('GET', `${kIg}/messages`, { params: agent, query: '?limit=500', expect: 400 });
  const thread = await call('GET', `${kIg}/messages/{chatId}`, {
    params: { ...agent, chatId },
    query: '?limit=2',
    expect: 200,
  });
  assert.equal(thread.json.data.messages.length, 2);
  await call('GET', `${kIg}/messages/{chatId}`, {
    params: { ...agent, chatId: 'no-such-chat' },
    expect: 404,
  });
  await call('GET', `${kIg}/messages/{chatId}`, {
    params: { ...agent, chatId },
    query: '?before=0',
    expect: 400,
  });

  // A person's messages: sent, refused by the platform in several ways, invalid.
  const sent = await call('POST', `${kIg}/send`, {
    params: agent,
    body: { to: kUser, message: 'A person here.' },
    expect: 200,
  });
  assert.equal(sent.json.data.messageIds.length, 1);
  await call('POST', `${kIg}/send`, {
    params: agent,
    body: { to: kUser, message: 'x', tag: 'SHOUTING' },
    expect: 400,
  });
  await call('POST', `${kIg}/send`, {
    params: agent,
    body: { to: kUser, message: 'é'.repeat(501) },
    expect: 400,
  });
  for (const [kind, status] of [
    ['throttle', 429],
    ['http500', 502],
    ['outside_window', 409],
    ['auth', 401],
  ]) {
    const fault = await fetch(`${stack.fakeUrl}/_fake/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ match: '/messages', kind, count: 1 }),
    });
    assert.equal(fault.status, 200);
    const refused = await call('POST', `${kIg}/send`, {
      params: agent,
      body: { to: kUser, message: `after ${kind}` },
      expect: status,
    });
    assert.ok(refused.json.meta.operationId);
  }

  // Disconnect, then the agent goes.
  await call('POST', `${kIg}/disconnect`, { params: agent, body: {}, expect: 200 });
  await call('POST', `${kIg}/send`, {
    params: agent,
    body: { to: kUser, message: 'gone' },
    expect: 409,
  });
  await call('DELETE', kAgent, { params: agent, expect: 200 });
  await call('GET', `${kIg}/status`, { params: agent, expect: 404 });

  // Paths no route has.
  assert.equal((await unknownRoute('/api/nothing-here', stack.token)).status, 404);
  assert.equal((await unknownRoute('/api/nothing-here', '')).status, 401);
  assert.equal((await unknownRoute('/no-such-page.php', '')).body.code, 'NOT_FOUND');
});

test('the flow exercised every operation of the document', () => {
  const exercised = new Set(answers.map((a) => `${a.method.toLowerCase()} ${a.path}`));
  // The flow drives Instagram against the fake; other channels' routes share its catalog entries.
  const ofOtherChannel = (path) => otherChannels.some((name) => path.split('/').includes(name));
  const missing = operationsOf(doc)
    .filter(({ path }) => !ofOtherChannel(path))
    .map(({ method, path }) => `${method} ${path}`)
    .filter((key) => !exercised.has(key));
  assert.deepEqual(missing, []);
  const statuses = new Set(answers.map((a) => a.status));
  for (const status of [200, 201, 302, 304, 400, 401, 403, 404, 409, 413, 429, 502])
    assert.ok(statuses.has(status), `no answer with HTTP ${status} was checked`);
});
