import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ApiError,
  createApi,
  parseEnvelope,
  paths,
  webhookUrl,
  withQuery,
} from '../src/lib/api.js';

test('parseEnvelope returns data on success', () => {
  assert.deepEqual(parseEnvelope(200, '{"success":true,"data":{"a":1}}'), { a: 1 });
  assert.deepEqual(parseEnvelope(200, '{"success":true}'), {});
});

test('parseEnvelope turns a failure into an ApiError with message and code', () => {
  assert.throws(
    () =>
      parseEnvelope(
        400,
        '{"success":false,"message":"pageId is required","code":"VALIDATION_ERROR","meta":{"operationId":"x"}}',
      ),
    (e) =>
      e instanceof ApiError &&
      e.status === 400 &&
      e.code === 'VALIDATION_ERROR' &&
      e.message === 'pageId is required' &&
      e.meta.operationId === 'x',
  );
});

test('parseEnvelope explains a non-JSON answer', () => {
  assert.throws(
    () => parseEnvelope(502, '<html>Bad gateway</html>'),
    (e) => e.code === 'BAD_RESPONSE' && /HTTP 502/.test(e.message),
  );
});

function fakeFetch(status, body, calls) {
  return async (url, init) => {
    calls.push({ url, init });
    return { status, text: async () => body };
  };
}

test('createApi sends the bearer token and a JSON body', async () => {
  const calls = [];
  const api = createApi({
    token: 'T',
    fetchImpl: fakeFetch(201, '{"success":true,"data":{"id":"a"}}', calls),
  });
  assert.deepEqual(await api.post('/p', { name: 'x' }), { id: 'a' });
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(calls[0].init.headers.Authorization, 'Bearer T');
  assert.equal(calls[0].init.headers['Content-Type'], 'application/json');
  assert.equal(calls[0].init.body, '{"name":"x"}');
});

test('createApi reports 401 UNAUTHORIZED to onUnauthorized, but not 403', async () => {
  const seen = [];
  const unauthorized = createApi({
    token: 'T',
    onUnauthorized: (e) => seen.push(e.code),
    fetchImpl: fakeFetch(
      401,
      '{"success":false,"message":"token expired","code":"UNAUTHORIZED"}',
      [],
    ),
  });
  await assert.rejects(unauthorized.get('/p'), (e) => e.code === 'UNAUTHORIZED');
  const forbidden = createApi({
    token: 'T',
    onUnauthorized: (e) => seen.push(e.code),
    fetchImpl: fakeFetch(403, '{"success":false,"message":"no","code":"FORBIDDEN"}', []),
  });
  await assert.rejects(forbidden.get('/p'), (e) => e.code === 'FORBIDDEN');
  assert.deepEqual(seen, ['UNAUTHORIZED']);
});

test('createApi turns a network failure into NETWORK_ERROR', async () => {
  const api = createApi({
    token: 'T',
    fetchImpl: async () => {
      throw new TypeError('Failed to fetch');
    },
  });
  await assert.rejects(api.get('/p'), (e) => e.code === 'NETWORK_ERROR' && e.status === 0);
});

test('paths escape ids, and the webhook URL is absolute', () => {
  assert.equal(paths.agents('acme'), '/api/database/acme/chat-agents');
  assert.equal(
    paths.instagram('a b', 'x/y', 'status'),
    '/api/database/a%20b/chat-agents/x%2Fy/instagram/status',
  );
  assert.equal(
    webhookUrl('https://h.example', 'acme', 'bot'),
    'https://h.example/api/database/acme/chat-agents/bot/instagram/webhook',
  );
});

test('withQuery leaves out unset params', () => {
  assert.equal(withQuery('/p', {}), '/p');
  assert.equal(withQuery('/p', { a: 1, b: undefined, c: null, d: '' }), '/p?a=1');
  assert.equal(withQuery('/p', { q: 'a b&c' }), '/p?q=a+b%26c');
});

test('the chat list asks for one message per chat; a thread pages with before', () => {
  assert.equal(
    paths.chats('acme', 'bot'),
    '/api/database/acme/chat-agents/bot/instagram/messages?limit=50&skip=0&messageLimit=1',
  );
  assert.equal(
    paths.chats('acme', 'bot', { limit: 20, skip: 40 }),
    '/api/database/acme/chat-agents/bot/instagram/messages?limit=20&skip=40&messageLimit=1',
  );
  assert.equal(
    paths.chatMessages('acme', 'bot', 'c/1'),
    '/api/database/acme/chat-agents/bot/instagram/messages/c%2F1?limit=50',
  );
  assert.equal(
    paths.chatMessages('acme', 'bot', 'c1', { before: 17 }),
    '/api/database/acme/chat-agents/bot/instagram/messages/c1?limit=50&before=17',
  );
  assert.equal(
    paths.instagram('acme', 'bot', 'oauth/start'),
    '/api/database/acme/chat-agents/bot/instagram/oauth/start',
  );
});

test("every channel's routes have the same shape; chats and threads name their channel", () => {
  assert.equal(paths.channels('a b'), '/api/database/a%20b/channels');
  assert.equal(
    paths.channel('acme', 'x/y', 'messenger', 'connect'),
    '/api/database/acme/chat-agents/x%2Fy/messenger/connect',
  );
  assert.equal(
    paths.instagram('acme', 'bot', 'status'),
    paths.channel('acme', 'bot', 'instagram', 'status'),
  );
  assert.equal(
    paths.chats('acme', 'bot', { channel: 'messenger', limit: 10 }),
    '/api/database/acme/chat-agents/bot/messenger/messages?limit=10&skip=0&messageLimit=1',
  );
  assert.equal(
    paths.chatMessages('acme', 'bot', 'p/1', { channel: 'messenger', before: 3 }),
    '/api/database/acme/chat-agents/bot/messenger/messages/p%2F1?limit=50&before=3',
  );
  assert.equal(
    webhookUrl('https://h.example', 'acme', 'bot', 'messenger'),
    'https://h.example/api/database/acme/chat-agents/bot/messenger/webhook',
  );
});
