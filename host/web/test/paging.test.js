import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyNewestPage,
  applyOlderPage,
  kEmptyThread,
  mergeBySeq,
  newestSeq,
  oldestSeq,
} from '../src/lib/paging.js';

const msg = (seq, extra = {}) => ({
  seq,
  mid: `m${seq}`,
  text: `t${seq}`,
  timestamp: seq * 10,
  ...extra,
});
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => msg(from + i));
const seqs = (list) => list.map((m) => m.seq);
const chat = { chat_id: 'c1' };

test('mergeBySeq orders by seq, keeps one per seq, and the newer copy wins', () => {
  const merged = mergeBySeq([msg(3), msg(1)], [msg(2), msg(3, { status: 'failed' })]);
  assert.deepEqual(seqs(merged), [1, 2, 3]);
  assert.equal(merged[2].status, 'failed');
  assert.deepEqual(mergeBySeq(null, undefined), []);
});

test('mergeBySeq falls back to mid for messages without seq', () => {
  const a = { mid: 'a', timestamp: 1 };
  const b = { mid: 'b', timestamp: 2 };
  assert.deepEqual(mergeBySeq([a], [b, { ...a, text: 'edited' }]), [{ ...a, text: 'edited' }, b]);
});

test('oldestSeq and newestSeq', () => {
  assert.equal(oldestSeq([msg(5), msg(2), msg(9)]), 2);
  assert.equal(newestSeq([msg(5), msg(2), msg(9)]), 9);
  assert.equal(oldestSeq([]), null);
  assert.equal(oldestSeq([{ mid: 'x' }]), null);
});

test('the first newest page is shown as is', () => {
  const state = applyNewestPage(kEmptyThread, { chat, messages: range(51, 100), hasMore: true });
  assert.deepEqual(
    seqs(state.messages),
    range(51, 100).map((m) => m.seq),
  );
  assert.equal(state.hasMore, true);
  assert.equal(state.chat, chat);
});

test('earlier pages are prepended and say whether more remain', () => {
  let state = applyNewestPage(kEmptyThread, { chat, messages: range(51, 100), hasMore: true });
  state = applyOlderPage(state, { chat, messages: range(1, 50), hasMore: false });
  assert.equal(state.messages.length, 100);
  assert.equal(state.messages[0].seq, 1);
  assert.equal(state.hasMore, false);
});

test('polling the newest page keeps loaded older pages and adds new messages once', () => {
  let state = applyNewestPage(kEmptyThread, { chat, messages: range(51, 100), hasMore: true });
  state = applyOlderPage(state, { chat, messages: range(1, 50), hasMore: false });
  // Two new messages: the newest page now is 53..102 and has more before it.
  state = applyNewestPage(state, { chat, messages: range(53, 102), hasMore: true });
  assert.deepEqual(
    seqs(state.messages),
    range(1, 102).map((m) => m.seq),
  );
  assert.equal(state.hasMore, false, 'what the earlier pages said is kept');
  // The same page again changes nothing.
  const again = applyNewestPage(state, { chat, messages: range(53, 102), hasMore: true });
  assert.deepEqual(seqs(again.messages), seqs(state.messages));
});

test('a newest page that does not reach what is shown restarts the thread (no hidden gap)', () => {
  let state = applyNewestPage(kEmptyThread, { chat, messages: range(1, 50), hasMore: false });
  state = applyNewestPage(state, { chat, messages: range(120, 169), hasMore: true });
  assert.deepEqual(
    seqs(state.messages),
    range(120, 169).map((m) => m.seq),
  );
  assert.equal(state.hasMore, true);
});

test('a short chat: the newest page is the whole chat', () => {
  let state = applyNewestPage(kEmptyThread, { chat, messages: range(1, 3), hasMore: false });
  state = applyNewestPage(state, {
    chat: { ...chat, message_count: 4 },
    messages: range(1, 4),
    hasMore: false,
  });
  assert.deepEqual(seqs(state.messages), [1, 2, 3, 4]);
  assert.equal(state.hasMore, false);
  assert.equal(state.chat.message_count, 4);
});

test('an empty earlier page ends paging', () => {
  const state = applyOlderPage(
    { chat, messages: range(5, 6), hasMore: true },
    { messages: [], hasMore: true },
  );
  assert.equal(state.hasMore, false);
  assert.deepEqual(seqs(state.messages), [5, 6]);
});
