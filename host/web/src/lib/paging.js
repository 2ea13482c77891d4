// An open thread's messages, loaded a page at a time: the newest page first, earlier pages on
// request ("before" = the smallest seq shown), and the newest page again on every poll. Pages are
// merged by seq, the message's position in its chat, so nothing shows twice and nothing loaded
// is lost.

export const kThreadPageSize = 50;

function seqOf(message) {
  return message && Number.isInteger(message.seq) ? message.seq : null;
}

/** A message's identity: its seq, else its mid (messages from an older host carry no seq). */
function keyOf(message, index) {
  const seq = seqOf(message);
  if (seq !== null) return `s${seq}`;
  if (message && message.mid) return `m${message.mid}`;
  return `i${index}`;
}

function compare(a, b) {
  const sa = seqOf(a);
  const sb = seqOf(b);
  if (sa !== null && sb !== null && sa !== sb) return sa - sb;
  return (a.timestamp || 0) - (b.timestamp || 0);
}

/**
 * The union of two lists of messages, oldest first, one entry per seq. A message in `incoming`
 * replaces the one with its seq in `existing` (its status may have changed, e.g. pending → sent).
 */
export function mergeBySeq(existing, incoming) {
  const byKey = new Map();
  (existing || []).forEach((m, i) => byKey.set(keyOf(m, i), m));
  (incoming || []).forEach((m, i) => byKey.set(keyOf(m, `n${i}`), m));
  return [...byKey.values()].sort(compare);
}

/** The smallest seq in a list (what "before" asks for next), or null. */
export function oldestSeq(messages) {
  const seqs = (messages || []).map(seqOf).filter((s) => s !== null);
  return seqs.length ? Math.min(...seqs) : null;
}

export function newestSeq(messages) {
  const seqs = (messages || []).map(seqOf).filter((s) => s !== null);
  return seqs.length ? Math.max(...seqs) : null;
}

/** Nothing loaded yet. */
export const kEmptyThread = Object.freeze({ chat: null, messages: [], hasMore: false });

/**
 * The thread after a fetch of the newest page ({chat, messages, hasMore}). Earlier pages already
 * loaded are kept, and so is what they said about even earlier messages. When the newest page does
 * not reach back to what is shown (more new messages arrived than a page holds, e.g. while the
 * tab was hidden), the thread restarts from that page so no gap stays hidden in the middle.
 */
export function applyNewestPage(state, page) {
  const incoming = (page && page.messages) || [];
  const chat = (page && page.chat) || state.chat;
  const pageHasMore = Boolean(page && page.hasMore);
  const shown = state.messages;
  const pageOldest = oldestSeq(incoming);
  const shownNewest = newestSeq(shown);
  const gap =
    pageHasMore && shown.length > 0 && pageOldest !== null && shownNewest !== null
      ? pageOldest > shownNewest
      : false;
  if (gap || shown.length === 0)
    return { chat, messages: mergeBySeq([], incoming), hasMore: pageHasMore };
  const messages = mergeBySeq(shown, incoming);
  const shownOldest = oldestSeq(shown);
  // Earlier pages reach further back than this page: they know whether more remain.
  const hasMore =
    shownOldest !== null && pageOldest !== null && shownOldest < pageOldest
      ? state.hasMore
      : pageHasMore;
  return { chat, messages, hasMore };
}

/** The thread after a fetch of an earlier page (before = the oldest seq shown). */
export function applyOlderPage(state, page) {
  const incoming = (page && page.messages) || [];
  return {
    chat: (page && page.chat) || state.chat,
    messages: mergeBySeq(state.messages, incoming),
    hasMore: Boolean(page && page.hasMore) && incoming.length > 0,
  };
}
