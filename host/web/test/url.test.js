import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeUrl } from '../src/lib/url.js';

test('safeUrl keeps absolute http(s) URLs as they were written', () => {
  const authorize = 'https://www.instagram.com/oauth/authorize?client_id=1&state=s';
  assert.equal(safeUrl(authorize), authorize);
  assert.equal(safeUrl('https://ig.me/m/shop.account'), 'https://ig.me/m/shop.account');
  assert.equal(safeUrl('http://localhost:8080/x'), 'http://localhost:8080/x');
  assert.equal(safeUrl('HTTPS://M.ME/acme'), 'HTTPS://M.ME/acme');
});

test('safeUrl drops every other scheme, however it is spelled', () => {
  for (const bad of [
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'java\tscript:alert(1)',
    '\u0001javascript:alert(1)',
    'data:text/html,<b>x</b>',
    'vbscript:msgbox(1)',
    'ftp://example.com/a',
    'file:///etc/passwd',
  ])
    assert.equal(safeUrl(bad), '', JSON.stringify(bad));
});

test('safeUrl drops what is not an absolute URL', () => {
  for (const bad of ['', '/relative', '//evil.example/x', 'ig.me/m/x', 'https://', null, 7, {}])
    assert.equal(safeUrl(bad), '', JSON.stringify(bad));
});
