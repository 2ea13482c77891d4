import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attachmentUrlProblem,
  formatDuration,
  hasSomethingToSend,
  sendNotes,
  tagLabel,
  validateSend,
} from '../src/lib/send.js';

// A channel described as the Instagram plugin describes itself (lib/channels.js sendRules).
const kInstagram = {
  maxTextBytes: 1000,
  sendsAttachments: true,
  tag: 'HUMAN_AGENT',
  replyWindowMs: 24 * 60 * 60 * 1000,
  taggedWindowMs: 7 * 24 * 60 * 60 * 1000,
};
const toInstagram = (form, mode) => validateSend(form, { to: '1', mode, rules: kInstagram });

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
  assert.deepEqual(toInstagram({ text: 'hi' }, 'open'), {
    errors: {},
    body: { to: '1', message: 'hi' },
  });
  assert.deepEqual(
    toInstagram(
      { attach: true, attachmentType: 'video', attachmentUrl: ' https://e.com/v.mp4 ' },
      'open',
    ).body,
    { to: '1', attachment: { type: 'video', url: 'https://e.com/v.mp4' } },
  );
  const both = toInstagram({
    text: 'look',
    attach: true,
    attachmentType: 'image',
    attachmentUrl: 'https://e.com/a.png',
  });
  assert.deepEqual(both.errors, {});
  assert.equal(both.body.message, 'look');
  assert.equal(both.body.attachment.type, 'image');
});

test('validateSend names what is wrong', () => {
  assert.match(toInstagram({ text: '  ' }).errors.form, /Write a message/);
  assert.match(
    toInstagram({ attach: true, attachmentUrl: 'nope' }).errors.attachmentUrl,
    /full URL/,
  );
  assert.match(toInstagram({ text: 'é'.repeat(501) }).errors.text, /2 bytes over/);
  assert.ok(
    toInstagram({ attach: true, attachmentType: 'pdf', attachmentUrl: 'https://e.com/a' }).errors
      .attachmentType,
  );
});

test('validateSend: the HUMAN_AGENT tag only in the 7-day window, and only when ticked', () => {
  const unticked = toInstagram({ text: 'hi' }, 'human_agent');
  assert.match(unticked.errors.humanAgent, /Send as human agent/);
  const ticked = toInstagram({ text: 'hi', humanAgent: true }, 'human_agent');
  assert.deepEqual(ticked.errors, {});
  assert.equal(ticked.body.tag, 'HUMAN_AGENT');
  const openWindow = toInstagram({ text: 'hi', humanAgent: true }, 'open');
  assert.equal(openWindow.body.tag, undefined, 'never tagged while the reply window is open');
  assert.match(toInstagram({ text: 'hi' }, 'closed').errors.form, /write first/);
});

test('hasSomethingToSend', () => {
  assert.equal(hasSomethingToSend({ text: '' }), false);
  assert.equal(hasSomethingToSend({ text: 'x' }), true);
  assert.equal(hasSomethingToSend({ attach: true, attachmentUrl: '' }), false);
  assert.equal(hasSomethingToSend({ attach: false, attachmentUrl: 'https://e.com' }), false);
  assert.equal(hasSomethingToSend({ attach: true, attachmentUrl: 'https://e.com' }), true);
});

test("validateSend follows the channel's rules: length, media, tag and windows", () => {
  const rules = {
    maxTextBytes: 20,
    sendsAttachments: false,
    tag: 'ACCOUNT_UPDATE',
    replyWindowMs: 60 * 60 * 1000,
    taggedWindowMs: 2 * 24 * 60 * 60 * 1000,
  };
  const long = validateSend({ text: 'x'.repeat(21) }, { to: '1', mode: 'open', rules });
  assert.equal(long.errors.text, 'The message is 1 bytes over the limit of 20.');
  assert.deepEqual(validateSend({ text: 'x'.repeat(20) }, { to: '1', rules }).errors, {});
  const media = validateSend(
    { attach: true, attachmentType: 'image', attachmentUrl: 'https://e.com/a.png' },
    { to: '1', rules },
  );
  assert.equal(media.errors.attachmentUrl, 'This channel cannot send media.');
  const tagged = validateSend(
    { text: 'hi', humanAgent: true },
    { to: '1', mode: 'human_agent', rules },
  );
  assert.equal(tagged.body.tag, 'ACCOUNT_UPDATE');
  assert.equal(
    validateSend({ text: 'hi' }, { to: '1', mode: 'human_agent', rules }).errors.humanAgent,
    'More than 1 hour since the user wrote: tick "Send with the ACCOUNT_UPDATE tag" to answer.',
  );
  assert.equal(
    validateSend({ text: 'hi' }, { to: '1', mode: 'closed', rules }).errors.form,
    'The user has not written in the last 2 days: they must write first.',
  );
});

test("sendNotes and tagLabel explain the channel's windows in words", () => {
  // Instagram's rules give the page's words from before channels were described.
  assert.deepEqual(sendNotes('Instagram', kInstagram), {
    closed:
      'The user must write first: Instagram only lets you answer within 24 hours of the ' +
      'user’s last message (7 days for a person, with the HUMAN_AGENT tag). Sending is disabled.',
    tagHint:
      'The user wrote more than 24 hours ago: a person may still answer for up to 7 days, ' +
      'marked with Instagram’s HUMAN_AGENT tag.',
  });
  const untagged = sendNotes('Web chat', {
    maxTextBytes: 500,
    sendsAttachments: false,
    tag: '',
    replyWindowMs: 90 * 60 * 1000,
    taggedWindowMs: 0,
  });
  assert.equal(
    untagged.closed,
    'The user must write first: Web chat only lets you answer within 90 minutes of the ' +
      'user’s last message. Sending is disabled.',
  );
  assert.equal(untagged.tagHint, '');
  assert.equal(tagLabel('HUMAN_AGENT'), 'Send as human agent (HUMAN_AGENT tag)');
  assert.equal(tagLabel('POST_PURCHASE_UPDATE'), 'Send with the POST_PURCHASE_UPDATE tag');
});

test('formatDuration', () => {
  assert.equal(formatDuration(24 * 60 * 60 * 1000), '24 hours');
  assert.equal(formatDuration(7 * 24 * 60 * 60 * 1000), '7 days');
  assert.equal(formatDuration(60 * 60 * 1000), '1 hour');
  assert.equal(formatDuration(60 * 1000), '1 minute');
  assert.equal(formatDuration(150 * 60 * 1000), '150 minutes');
});
