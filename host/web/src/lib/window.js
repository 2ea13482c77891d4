// A channel's messaging windows for one chat: a reply is allowed for a while after the user's
// last message, and a person (not the agent) may answer for longer with the channel's message
// tag. Each channel describes its own windows (lib/channels.js: sendRules). The host sends the
// ends of both windows with each chat; this turns them into what the send box offers.

function ms(value) {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/** The end of a window: the host's value, else the user's last message plus the window's length. */
function windowEnd(chat, key, lengthMs) {
  const given = ms(chat[key]);
  if (given) return given;
  const lastInbound = ms(chat.last_inbound_at);
  return lastInbound ? lastInbound + lengthMs : null;
}

/**
 * {mode, lastInboundAt, replyEndsAt, humanAgentEndsAt} where mode is
 * - 'open': within the reply window of the user's last message (or the channel has none): any
 *   message may be sent;
 * - 'human_agent': after the reply window but within the tagged one: only with the channel's tag;
 * - 'closed': the user never wrote, or wrote too long ago: nothing can be sent;
 * - 'unknown': the chat carries no window fields (the host decides when sending).
 * windows: the chat's channel's {replyWindowMs, taggedWindowMs} (its sendRules); 0 for a window
 * it does not have.
 */
export function windowState(chat, nowMs, windows) {
  const c = chat || {};
  const known =
    'last_inbound_at' in c || 'reply_window_ends_at' in c || 'human_agent_window_ends_at' in c;
  const replyMs = ms(windows.replyWindowMs);
  const taggedMs = ms(windows.taggedWindowMs);
  const replyEndsAt = replyMs ? windowEnd(c, 'reply_window_ends_at', replyMs) : null;
  const humanAgentEndsAt = taggedMs ? windowEnd(c, 'human_agent_window_ends_at', taggedMs) : null;
  const base = { lastInboundAt: ms(c.last_inbound_at), replyEndsAt, humanAgentEndsAt };
  if (!known) return { ...base, mode: 'unknown' };
  if (!replyMs) return { ...base, mode: 'open' };
  if (replyEndsAt && nowMs < replyEndsAt) return { ...base, mode: 'open' };
  if (humanAgentEndsAt && nowMs < humanAgentEndsAt) return { ...base, mode: 'human_agent' };
  return { ...base, mode: 'closed' };
}

/** Milliseconds until the mode changes by itself (a window closes), or null when it will not. */
export function msUntilWindowChange(state, nowMs = Date.now()) {
  const ends = [state.replyEndsAt, state.humanAgentEndsAt].filter((t) => t && t > nowMs);
  return ends.length ? Math.min(...ends) - nowMs : null;
}

/** "Mon 3 Mar, 14:05" in the reader's time zone (the year only when it is not this year). */
export function formatDateTime(msValue, nowMs = Date.now(), locale = undefined) {
  if (!msValue) return '';
  const when = new Date(msValue);
  const options = {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  };
  if (when.getFullYear() !== new Date(nowMs).getFullYear()) options.year = 'numeric';
  return when.toLocaleString(locale, options);
}

/** One line for the thread header about the windows, in words. */
export function windowSummary(state, nowMs = Date.now(), locale = undefined) {
  const at = (t) => formatDateTime(t, nowMs, locale);
  switch (state.mode) {
    case 'open':
      return state.replyEndsAt ? `Reply window open until ${at(state.replyEndsAt)}` : '';
    case 'human_agent':
      return `Reply window closed; human agent replies until ${at(state.humanAgentEndsAt)}`;
    case 'closed': {
      const since = state.humanAgentEndsAt || state.replyEndsAt;
      return state.lastInboundAt
        ? `Reply windows closed since ${at(since)}; the user must write first`
        : 'The user has not written yet; they must write first';
    }
    default:
      return '';
  }
}
