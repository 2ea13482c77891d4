import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatDateTime,
  msUntilWindowChange,
  windowState,
  windowSummary,
} from '../src/lib/window.js';

const kHour = 60 * 60 * 1000;
// The windows of a channel described as the Instagram plugin describes itself.
const kReplyWindowMs = 24 * kHour;
const kHumanAgentWindowMs = 7 * 24 * kHour;
const kInstagram = { replyWindowMs: kReplyWindowMs, taggedWindowMs: kHumanAgentWindowMs };
const now = new Date(2025, 5, 15, 12, 0).getTime();
const chatAt = (lastInbound) => ({
  last_inbound_at: lastInbound,
  reply_window_ends_at: lastInbound === null ? null : lastInbound + kReplyWindowMs,
  human_agent_window_ends_at: lastInbound === null ? null : lastInbound + kHumanAgentWindowMs,
});

test('windowState: open within 24 h of the last inbound message', () => {
  const state = windowState(chatAt(now - 2 * kHour), now, kInstagram);
  assert.equal(state.mode, 'open');
  assert.equal(state.replyEndsAt, now + 22 * kHour);
  assert.equal(state.lastInboundAt, now - 2 * kHour);
});

test('windowState: human_agent between 24 h and 7 days, closed after', () => {
  assert.equal(windowState(chatAt(now - 25 * kHour), now, kInstagram).mode, 'human_agent');
  assert.equal(windowState(chatAt(now - 8 * 24 * kHour), now, kInstagram).mode, 'closed');
  // The edges: the window ends exactly at its end time.
  assert.equal(windowState(chatAt(now - kReplyWindowMs), now, kInstagram).mode, 'human_agent');
  assert.equal(windowState(chatAt(now - kHumanAgentWindowMs), now, kInstagram).mode, 'closed');
});

test('windowState: a user who never wrote means closed; no fields at all means unknown', () => {
  assert.equal(windowState(chatAt(null), now, kInstagram).mode, 'closed');
  assert.equal(windowState({ chat_id: 'c' }, now, kInstagram).mode, 'unknown');
  assert.equal(windowState(null, now, kInstagram).mode, 'unknown');
});

test('windowState: the host values win; missing ends are derived from last_inbound_at', () => {
  const hostSays = { last_inbound_at: now - 2 * kHour, reply_window_ends_at: now - 1 };
  assert.equal(windowState(hostSays, now, kInstagram).mode, 'human_agent');
  const onlyInbound = { last_inbound_at: now - 2 * kHour };
  assert.equal(windowState(onlyInbound, now, kInstagram).replyEndsAt, now + 22 * kHour);
  assert.equal(
    windowState(onlyInbound, now, kInstagram).humanAgentEndsAt,
    now - 2 * kHour + kHumanAgentWindowMs,
  );
});

test('msUntilWindowChange is the time to the next window end', () => {
  assert.equal(
    msUntilWindowChange(windowState(chatAt(now - 2 * kHour), now, kInstagram), now),
    22 * kHour,
  );
  const later = windowState(chatAt(now - 25 * kHour), now, kInstagram);
  assert.equal(msUntilWindowChange(later, now), kHumanAgentWindowMs - 25 * kHour);
  assert.equal(msUntilWindowChange(windowState(chatAt(null), now, kInstagram), now), null);
});

test('windowSummary says whether the reply window is open and until when', () => {
  const open = windowSummary(windowState(chatAt(now - 2 * kHour), now, kInstagram), now, 'en-GB');
  assert.match(open, /^Reply window open until /);
  assert.ok(open.includes(formatDateTime(now + 22 * kHour, now, 'en-GB')));
  assert.match(
    windowSummary(windowState(chatAt(now - 25 * kHour), now, kInstagram), now, 'en-GB'),
    /human agent replies until/,
  );
  assert.match(
    windowSummary(windowState(chatAt(now - 9 * 24 * kHour), now, kInstagram), now, 'en-GB'),
    /must write first/,
  );
  assert.match(
    windowSummary(windowState(chatAt(null), now, kInstagram), now),
    /has not written yet/,
  );
  assert.equal(windowSummary(windowState({}, now, kInstagram), now), '');
});

test('formatDateTime shows the year only for another year', () => {
  const sameYear = formatDateTime(new Date(2025, 2, 3, 9, 5).getTime(), now, 'en-GB');
  assert.match(sameYear, /3 Mar/);
  assert.match(sameYear, /09:05/);
  assert.doesNotMatch(sameYear, /2025/);
  assert.match(formatDateTime(new Date(2024, 2, 3, 9, 5).getTime(), now, 'en-GB'), /2024/);
  assert.equal(formatDateTime(null, now), '');
});

test("windowState follows the channel's windows", () => {
  const hour = 60 * 60 * 1000;
  const short = { replyWindowMs: hour, taggedWindowMs: 3 * hour };
  const lastInbound = now - 2 * hour;
  // The page computes the ends itself when the host sent none.
  const chat = { last_inbound_at: lastInbound, reply_window_ends_at: null };
  const tagged = windowState(chat, now, short);
  assert.equal(tagged.mode, 'human_agent');
  assert.equal(tagged.replyEndsAt, lastInbound + hour);
  assert.equal(tagged.humanAgentEndsAt, lastInbound + 3 * hour);
  // No tag: after the reply window nothing can be sent.
  assert.equal(windowState(chat, now, { replyWindowMs: hour, taggedWindowMs: 0 }).mode, 'closed');
  // No reply window: always open, and nothing changes by itself.
  const none = { replyWindowMs: 0, taggedWindowMs: 0 };
  const always = windowState({ last_inbound_at: null }, now, none);
  assert.equal(always.mode, 'open');
  assert.equal(msUntilWindowChange(always, now), null);
  assert.equal(windowSummary(always, now), '');
  // Instagram's 24 hours: still open.
  assert.equal(windowState(chat, now, kInstagram).mode, 'open');
});
