import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attachmentUrlProblem, hasSomethingToSend, validateSend } from '../src/lib/send.js';

test('attachmentUrlProblem accepts http(s) URLs only', () => {
  assert.equal(attachmentUrlProblem('https://cdn.example.com/a.jpg'), '');
  assert.equal(attachmentUrlProblem('  http://example.com/v.mp4?x=1  '), '');
  assert.match(attachmentUrlProblem(''), /Enter the URL/);
  assert.match(attachmentUrlProblem('javascript:alert(1)'), /https:\/\//);
  assert.match(attachmentUrlProblem('data:image/png;base64,AAAA'), /https:\/\//);
  assert.match(attachmentUrlProblem('ftp://example.com/a'), /https:\/\//);
  assert.match(attachmentUrlProblem('example.com/a.jpg'), /full URL/);
  assert.match(attachmentUrlProblem('https://exa mple.com/a.jpg'), /spaces/);
  assert.match(attachmentUrlProblem('https://user:pw@example.com/a'), /password/);
  assert.match(attachmentUrlProblem(`https://e.com/${'a'.repeat(2001)}`), /at most/);
});

test('validateSend builds the body: text, attachment, both', () => {
  assert.deepEqual(validateSend({ text: 'hi' }, { to: '1', mode: 'open' }), {
    errors: {},
    body: { to: '1', message: 'hi' },
  });
  assert.deepEqual(
    validateSend(
      { attach: true, attachmentType: 'video', attachmentUrl: ' https://e.com/v.mp4 ' },
      { to: '1', mode: 'open' },
    ).body,
    { to: '1', attachment: { type: 'video', url: 'https://e.com/v.mp4' } },
  );
  const both = validateSend(
    { text: 'look', attach: true, attachmentType: 'image', attachmentUrl: 'https://e.com/a.png' },
    { to: '1' },
  );
  assert.deepEqual(both.errors, {});
  assert.equal(both.body.message, 'look');
  assert.equal(both.body.attachment.type, 'image');
});

test('validateSend names what is wrong', () => {
  assert.match(validateSend({ text: '  ' }, { to: '1' }).errors.form, /Write a message/);
  assert.match(
    validateSend({ attach: true, attachmentUrl: 'nope' }, { to: '1' }).errors.attachmentUrl,
    /full URL/,
  );
  assert.match(validateSend({ text: 'é'.repeat(501) }, { to: '1' }).errors.text, /2 bytes over/);
  assert.ok(
    validateSend(
      { attach: true, attachmentType: 'pdf', attachmentUrl: 'https://e.com/a' },
      { to: '1' },
    ).errors.attachmentType,
  );
});

test('validateSend: the HUMAN_AGENT tag only in the 7-day window, and only when ticked', () => {
  const unticked = validateSend({ text: 'hi' }, { to: '1', mode: 'human_agent' });
  assert.match(unticked.errors.humanAgent, /Send as human agent/);
  const ticked = validateSend({ text: 'hi', humanAgent: true }, { to: '1', mode: 'human_agent' });
  assert.deepEqual(ticked.errors, {});
  assert.equal(ticked.body.tag, 'HUMAN_AGENT');
  const openWindow = validateSend({ text: 'hi', humanAgent: true }, { to: '1', mode: 'open' });
  assert.equal(openWindow.body.tag, undefined, 'never tagged while the reply window is open');
  assert.match(
    validateSend({ text: 'hi' }, { to: '1', mode: 'closed' }).errors.form,
    /write first/,
  );
});

test('hasSomethingToSend', () => {
  assert.equal(hasSomethingToSend({ text: '' }), false);
  assert.equal(hasSomethingToSend({ text: 'x' }), true);
  assert.equal(hasSomethingToSend({ attach: true, attachmentUrl: '' }), false);
  assert.equal(hasSomethingToSend({ attach: false, attachmentUrl: 'https://e.com' }), false);
  assert.equal(hasSomethingToSend({ attach: true, attachmentUrl: 'https://e.com' }), true);
});
