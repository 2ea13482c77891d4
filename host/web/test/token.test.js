import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeClaims,
  defaultSubaccount,
  grantedSubaccounts,
  loadToken,
  saveToken,
  tokenFromFragment,
  tokenProblem,
} from '../src/lib/token.js';

function jwt(claims) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

test('decodeClaims reads a base64url payload, including non-ASCII text', () => {
  const claims = decodeClaims(jwt({ sub: 'zoë', subaccounts: ['acme'], exp: 10 }));
  assert.deepEqual(claims, { sub: 'zoë', subaccounts: ['acme'], exp: 10 });
});

test('decodeClaims refuses what is not a JWT', () => {
  for (const bad of ['', 'abc', 'a.b', 'a..c', 'x.!!!.y', `a.${btoa('[1]')}.c`, null, 42])
    assert.equal(decodeClaims(bad), null, String(bad));
});

test('tokenProblem names empty, malformed and expired tokens', () => {
  assert.match(tokenProblem(''), /Paste/);
  assert.match(tokenProblem('not-a-token'), /not a valid token/);
  assert.match(tokenProblem(jwt({ exp: 100 }), 200), /expired/);
  assert.equal(tokenProblem(jwt({ exp: 300 }), 200), '');
  assert.equal(tokenProblem(`  ${jwt({ exp: 300 })}\n`, 200), '');
});

test('defaultSubaccount is the first grant, or "default" for all subaccounts', () => {
  assert.equal(defaultSubaccount({ subaccounts: ['acme', 'beta'] }), 'acme');
  assert.equal(defaultSubaccount({ subaccounts: ['*'] }), 'default');
  assert.equal(defaultSubaccount({ subaccounts: [] }), 'default');
  assert.equal(defaultSubaccount({}), 'default');
  assert.equal(defaultSubaccount(null), 'default');
  assert.deepEqual(grantedSubaccounts({ subaccounts: ['*', 'a', 3, 'b'] }), ['a', 'b']);
});

test('tokenFromFragment reads #token= and ignores other fragments', () => {
  assert.equal(tokenFromFragment('#token=a.b.c'), 'a.b.c');
  assert.equal(tokenFromFragment('#x=1&token=a.b.c'), 'a.b.c');
  assert.equal(tokenFromFragment('#section'), '');
  assert.equal(tokenFromFragment(''), '');
});

test('saveToken/loadToken round-trip and survive a storage that throws', () => {
  const map = new Map();
  const storage = {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => map.set(k, v),
    removeItem: (k) => map.delete(k),
  };
  saveToken(storage, 'a.b.c');
  assert.equal(loadToken(storage), 'a.b.c');
  saveToken(storage, '');
  assert.equal(loadToken(storage), '');
  const broken = {
    getItem() {
      throw new Error('denied');
    },
    setItem() {
      throw new Error('denied');
    },
  };
  assert.equal(loadToken(broken), '');
  assert.doesNotThrow(() => saveToken(broken, 'x'));
});
