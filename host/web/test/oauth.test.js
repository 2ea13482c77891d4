import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseConnectResult, stripConnectQuery } from '../src/lib/oauth.js';

test('parseConnectResult reads a successful connect', () => {
  assert.deepEqual(parseConnectResult('?connect=instagram&result=connected'), {
    result: 'connected',
  });
});

test('parseConnectResult reads the reason of an error as plain text', () => {
  assert.deepEqual(
    parseConnectResult('?connect=instagram&result=error&reason=The%20user%20denied%20access'),
    { result: 'error', reason: 'The user denied access' },
  );
  const html = parseConnectResult(
    `?connect=instagram&result=error&reason=${encodeURIComponent('<img src=x onerror=alert(1)>')}`,
  );
  assert.equal(html.reason, '<img src=x onerror=alert(1)>', 'kept as text, shown as text');
  assert.equal(
    parseConnectResult('?connect=instagram&result=error&reason=a+b').reason,
    'a b',
    'form-encoded spaces',
  );
  assert.match(parseConnectResult('?connect=instagram&result=error').reason, /did not complete/);
  assert.match(parseConnectResult('?connect=instagram&result=maybe').reason, /does not know/);
  const long = parseConnectResult(`?connect=instagram&result=error&reason=${'x'.repeat(1000)}`);
  assert.equal(long.reason.length, 300);
});

test('parseConnectResult ignores other queries', () => {
  assert.equal(parseConnectResult(''), null);
  assert.equal(parseConnectResult('?result=connected'), null);
  assert.equal(parseConnectResult('?connect=facebook&result=connected'), null);
});

test('stripConnectQuery removes only the connect outcome', () => {
  assert.equal(stripConnectQuery('?connect=instagram&result=connected'), '');
  assert.equal(stripConnectQuery('?connect=instagram&result=error&reason=x&keep=1'), '?keep=1');
  assert.equal(stripConnectQuery('?keep=1'), '?keep=1');
  assert.equal(stripConnectQuery(''), '');
});
