import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  attachmentKind,
  attachmentsOf,
  chatTitle,
  chatUserId,
  formatTime,
  lastActivity,
  previewText,
  sortChats,
} from '../src/lib/chats.js';

const chat = (meta, messages = [], start = 0) => ({
  chat_id: 'c1',
  start_timestamp: start,
  metadata: { instagram_user_id: '123', channel: 'instagram', ...meta },
  messages,
});

test('chatTitle prefers name and username, then the Instagram user id', () => {
  assert.equal(chatTitle(chat({ name: 'Ann', username: 'ann_1' })), 'Ann (@ann_1)');
  assert.equal(chatTitle(chat({ username: 'ann_1' })), '@ann_1');
  assert.equal(chatTitle(chat({ name: 'Ann' })), 'Ann');
  assert.equal(chatTitle(chat({})), '123');
});

test("chatUserId reads the user id of the chat's own channel", () => {
  assert.equal(chatUserId(chat({})), '123');
  const messenger = { metadata: { channel: 'messenger', messenger_user_id: 'psid-9' } };
  assert.equal(chatUserId(messenger), 'psid-9');
  assert.equal(chatTitle(messenger), 'psid-9');
  // Without a channel the chat is Instagram's (as before channels were named).
  assert.equal(chatUserId({ metadata: { instagram_user_id: '77' } }), '77');
  assert.equal(chatUserId({ metadata: { channel: 'messenger', instagram_user_id: '77' } }), '');
  assert.equal(chatUserId(null), '');
});

test('previewText shows text, attachment kind, or who sent it', () => {
  assert.equal(previewText(null), 'No messages yet');
  assert.equal(previewText({ direction: 'inbound', text: 'hi' }), 'hi');
  assert.equal(previewText({ direction: 'outbound', text: 'yo' }), 'You: yo');
  assert.equal(
    previewText({
      direction: 'inbound',
      text: '',
      attachments: [{ type: 'image', payload: { url: 'https://x/y.png' } }],
    }),
    '[image]',
  );
});

test('attachmentsOf normalizes Meta payloads and drops unsafe links', () => {
  const list = attachmentsOf({
    attachments: [
      { type: 'image', payload: { url: 'https://cdn.example/a.jpg' } },
      { type: 'file', url: 'javascript:alert(1)' },
      'junk',
    ],
  });
  assert.deepEqual(list, [
    { type: 'image', url: 'https://cdn.example/a.jpg', kind: 'image', isImage: true },
    { type: 'file', url: '', kind: 'link', isImage: false },
  ]);
  assert.deepEqual(attachmentsOf({}), []);
});

test('attachmentKind: images, video and audio play inline, the rest are links', () => {
  assert.equal(attachmentKind('image'), 'image');
  assert.equal(attachmentKind('sticker'), 'image');
  assert.equal(attachmentKind('video'), 'video');
  assert.equal(attachmentKind('audio'), 'audio');
  assert.equal(attachmentKind('file'), 'link');
  assert.equal(attachmentKind('share'), 'link');
  // Outbound messages sent from the dashboard store the URL at the top level or in payload.
  assert.deepEqual(
    attachmentsOf({ attachments: [{ type: 'video', url: 'https://e.com/v.mp4' }] }),
    [{ type: 'video', url: 'https://e.com/v.mp4', kind: 'video', isImage: false }],
  );
});

test('lastActivity and sortChats put the newest conversation first', () => {
  const old = { ...chat({}, [{ timestamp: 100 }]), chat_id: 'old' };
  const fresh = { ...chat({}, [{ timestamp: 500 }]), chat_id: 'fresh' };
  const empty = { ...chat({}, [], 300), chat_id: 'empty' };
  assert.equal(lastActivity(empty), 300);
  assert.deepEqual(
    sortChats([old, empty, fresh]).map((c) => c.chat_id),
    ['fresh', 'empty', 'old'],
  );
});

test('formatTime shows the time today and the date otherwise', () => {
  const now = new Date(2025, 5, 15, 18, 0).getTime();
  assert.match(formatTime(new Date(2025, 5, 15, 9, 5).getTime(), now, 'en-GB'), /^09:05$/);
  assert.equal(formatTime(new Date(2025, 2, 3, 9, 5).getTime(), now, 'en-GB'), '3 Mar');
  assert.equal(formatTime(new Date(2024, 2, 3, 9, 5).getTime(), now, 'en-GB'), '3 Mar 2024');
  assert.equal(formatTime(0, now), '');
});
