import assert from 'node:assert/strict';
import { test } from 'node:test';
import { idProblem, isValidId } from '../src/lib/ids.js';
import { utf8Length } from '../src/lib/utf8.js';
import {
  agentToForm,
  fieldNamedIn,
  validateAgent,
  validateConnect,
} from '../src/lib/validation.js';

const goodConnect = {
  accessToken: 'EAAG123',
  instagramAccountId: '17841400000000001',
  pageId: '100000000000001',
  webhookVerificationToken: 'verify-me',
};

test('validateConnect accepts good credentials and trims them', () => {
  const { errors, body } = validateConnect({ ...goodConnect, pageId: ' 100000000000001 ' });
  assert.deepEqual(errors, {});
  assert.deepEqual(body, goodConnect);
});

test('validateConnect names every missing or malformed field', () => {
  const { errors } = validateConnect({ instagramAccountId: 'abc', webhookSecret: 'a b' });
  assert.deepEqual(Object.keys(errors).sort(), [
    'accessToken',
    'instagramAccountId',
    'pageId',
    'webhookSecret',
    'webhookVerificationToken',
  ]);
  assert.match(errors.instagramAccountId, /only digits/);
  assert.match(errors.pageId, /required/);
});

test('validateConnect sends webhookSecret only when given', () => {
  assert.equal('webhookSecret' in validateConnect(goodConnect).body, false);
  assert.equal(validateConnect({ ...goodConnect, webhookSecret: 's3' }).body.webhookSecret, 's3');
});

test('fieldNamedIn finds the field an API message names, preferring the longest', () => {
  const fields = ['accessToken', 'pageId', 'webhookSecret', 'webhook'];
  assert.equal(fieldNamedIn('pageId is required', fields), 'pageId');
  assert.equal(fieldNamedIn('field "webhookSecret" must be a string', fields), 'webhookSecret');
  assert.equal(fieldNamedIn('malformed JSON', fields), '');
  assert.equal(fieldNamedIn(undefined, fields), '');
});

test('validateAgent builds a rules config and skips empty rows', () => {
  const form = {
    ...agentToForm(null),
    name: ' Shop bot ',
    id: 'shop-1',
    rules: [
      { match: 'price', reply: 'From 9 EUR' },
      { match: '', reply: '' },
    ],
    fallback: 'A human will answer soon.',
  };
  const { errors, body } = validateAgent(form, { isNew: true });
  assert.deepEqual(errors, {});
  assert.deepEqual(body, {
    id: 'shop-1',
    name: 'Shop bot',
    type: 'rules',
    config: {
      rules: [{ match: 'price', reply: 'From 9 EUR' }],
      fallback: 'A human will answer soon.',
    },
  });
});

test('validateAgent reports half-filled rules, bad ids and bad JSON', () => {
  const rules = validateAgent(
    { name: '', id: 'bad id', type: 'rules', rules: [{ match: 'hi', reply: '' }] },
    { isNew: true },
  ).errors;
  assert.deepEqual(Object.keys(rules).sort(), ['id', 'name', 'rules.0.reply']);
  const json = validateAgent({ name: 'x', type: 'http', configText: '{"url":' }, { isNew: false });
  assert.match(json.errors.configText, /not valid JSON/);
  const array = validateAgent({ name: 'x', type: 'http', configText: '[1]' }, { isNew: false });
  assert.match(array.errors.configText, /JSON object/);
});

test('agentToForm round-trips an existing agent without sending its id again', () => {
  const agent = {
    id: 'a1',
    name: 'Bot',
    type: 'rules',
    config: { rules: [{ match: 'a', reply: 'b' }] },
  };
  const { errors, body } = validateAgent(agentToForm(agent), { isNew: false });
  assert.deepEqual(errors, {});
  assert.deepEqual(body, {
    name: 'Bot',
    type: 'rules',
    config: { rules: [{ match: 'a', reply: 'b' }] },
  });
  const http = agentToForm({ id: 'h', name: 'H', type: 'http', config: { url: 'https://x' } });
  assert.deepEqual(JSON.parse(http.configText), { url: 'https://x' });
});

test('ids follow the API: 1-64 of letters, digits, _ and -', () => {
  assert.ok(isValidId('acme_2-x'));
  assert.ok(!isValidId(''));
  assert.ok(!isValidId('a'.repeat(65)));
  assert.ok(!isValidId('a/b'));
  assert.match(idProblem('a b', 'Subaccount'), /only letters/);
  assert.equal(idProblem('ok', 'Subaccount'), '');
});

test('utf8Length counts bytes, not characters', () => {
  assert.equal(utf8Length('abc'), 3);
  assert.equal(utf8Length('é'), 2);
  assert.equal(utf8Length('€'), 3);
  assert.equal(utf8Length('😀'), 4);
  assert.equal(utf8Length(''), 0);
  assert.equal(utf8Length(undefined), 0);
});
