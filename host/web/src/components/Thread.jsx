// One conversation: the newest page of messages first, earlier pages on request, the newest page
// again every 3 s while the page is shown (merged by seq), and the send box under it.

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import { sendRules } from '../lib/channels.js';
import { attachmentsOf, chatTitle, chatUserId, formatTime, isoTime } from '../lib/chats.js';
import {
  applyNewestPage,
  applyOlderPage,
  kEmptyThread,
  kThreadPageSize,
  newestSeq,
  oldestSeq,
} from '../lib/paging.js';
import { usePolling } from '../lib/polling.js';
import { msUntilWindowChange, windowState, windowSummary } from '../lib/window.js';
import { ErrorNote } from './ErrorNote.jsx';
import { Media } from './Media.jsx';
import { SendBox } from './SendBox.jsx';

const kThreadIntervalMs = 3000;
const kMaxTimerMs = 2 ** 31 - 1;

/** Re-renders when a messaging window closes, so the send box changes by itself. */
function useWindowClock(chat, windows) {
  const [, setTick] = useState(0);
  const now = Date.now();
  const state = windowState(chat, now, windows);
  const wait = msUntilWindowChange(state, now);
  const changeAt = wait === null ? null : now + wait;
  useEffect(() => {
    if (changeAt === null) return undefined;
    const delay = Math.min(Math.max(changeAt - Date.now(), 0) + 50, kMaxTimerMs);
    const timer = setTimeout(() => setTick((t) => t + 1), delay);
    return () => clearTimeout(timer);
  }, [changeAt]);
  return state;
}

/** channel: the chat's channel, as lib/channels.js describes it. */
export function Thread({ api, subaccount, agentId, channel, chatId, summary, onBack, onChanged }) {
  const rules = sendRules(channel);
  const [thread, setThread] = useState(kEmptyThread);
  const [loaded, setLoaded] = useState(false);
  const [notFound, setNotFound] = useState(false);
  const [loadError, setLoadError] = useState(null);
  const [older, setOlder] = useState({ busy: false, error: null });
  const listRef = useRef(null);
  const stickToBottom = useRef(true);
  const keepFromBottom = useRef(null); // set while earlier messages are prepended

  const refresh = useCallback(async () => {
    try {
      const data = await api.get(
        paths.chatMessages(subaccount, agentId, chatId, {
          channel: channel.name,
          limit: kThreadPageSize,
        }),
      );
      setThread((t) => applyNewestPage(t, data));
      setLoaded(true);
      setNotFound(false);
      setLoadError(null);
    } catch (e) {
      if (e && e.status === 404 && e.code === 'NOT_FOUND') setNotFound(true);
      else setLoadError(e);
    }
  }, [api, subaccount, agentId, channel.name, chatId]);

  usePolling(refresh, {
    intervalMs: kThreadIntervalMs,
    key: `${subaccount}/${agentId}/${channel.name}/${chatId}`,
    enabled: !notFound,
  });

  async function loadOlder() {
    const before = oldestSeq(thread.messages);
    if (before === null || older.busy) return;
    setOlder({ busy: true, error: null });
    const el = listRef.current;
    try {
      const data = await api.get(
        paths.chatMessages(subaccount, agentId, chatId, {
          channel: channel.name,
          limit: kThreadPageSize,
          before,
        }),
      );
      if (el) keepFromBottom.current = el.scrollHeight - el.scrollTop;
      setThread((t) => applyOlderPage(t, data));
      setOlder({ busy: false, error: null });
    } catch (e) {
      setOlder({ busy: false, error: e });
    }
  }

  const messages = thread.messages;
  const newestKey = `${newestSeq(messages)}:${messages.length ? messages[messages.length - 1].mid : ''}`;

  // Follow new messages (and media that finish loading) only when the reader is at the bottom;
  // when earlier messages are prepended, keep what the reader sees where it was.
  const follow = () => {
    const el = listRef.current;
    if (el && stickToBottom.current && keepFromBottom.current === null)
      el.scrollTop = el.scrollHeight;
  };
  useLayoutEffect(() => {
    const el = listRef.current;
    if (el && keepFromBottom.current !== null) {
      el.scrollTop = el.scrollHeight - keepFromBottom.current;
      keepFromBottom.current = null;
      return;
    }
    follow();
  }, [messages.length, newestKey]);
  useEffect(() => {
    const el = listRef.current;
    if (!el) return undefined;
    const onScroll = () => {
      stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, [loaded]);

  const chat = thread.chat || summary;
  const win = useWindowClock(thread.chat, rules);
  const winSummary = thread.chat ? windowSummary(win) : '';

  if (notFound)
    return (
      <div class="thread">
        <ThreadHead onBack={onBack} title="Conversation not found" />
        <div class="thread-empty">
          <p class="muted">This conversation was not found for this agent.</p>
        </div>
      </div>
    );

  return (
    <div class="thread">
      <ThreadHead onBack={onBack} title={chat ? chatTitle(chat) : 'Conversation'}>
        {chat && (
          <p class="muted small thread-meta">
            {channel.displayName} user <span class="mono">{chatUserId(chat)}</span>
            {typeof chat.message_count === 'number' ? ` · ${chat.message_count} messages` : ''}
            {chat.chat_status ? ` · ${chat.chat_status}` : ''}
          </p>
        )}
        {winSummary && <p class={`window-note window-note--${win.mode}`}>{winSummary}</p>}
      </ThreadHead>
      {loadError && (
        <div class="thread-error">
          <ErrorNote error={loadError} />
        </div>
      )}
      {!loaded && !loadError ? (
        <div class="thread-empty">
          <p class="muted">Loading messages…</p>
        </div>
      ) : (
        <ol class="messages" ref={listRef} tabIndex={0} aria-label="Messages">
          {thread.hasMore && (
            <li class="messages-more">
              <button
                type="button"
                class="button secondary small"
                disabled={older.busy}
                onClick={loadOlder}
              >
                {older.busy ? 'Loading…' : 'Load earlier messages'}
              </button>
              <ErrorNote error={older.error} id="older-error" />
            </li>
          )}
          {loaded && messages.length === 0 && (
            <li class="messages-none muted">No messages in this conversation yet.</li>
          )}
          {messages.map((m, i) => (
            <MessageBubble
              key={Number.isInteger(m.seq) ? `s${m.seq}` : m.mid || i}
              message={m}
              onMediaLoad={follow}
            />
          ))}
        </ol>
      )}
      {chat && (
        <SendBox
          api={api}
          subaccount={subaccount}
          agentId={agentId}
          channel={channel}
          to={chatUserId(chat)}
          mode={thread.chat ? win.mode : 'unknown'}
          onSent={async () => {
            stickToBottom.current = true;
            await Promise.all([refresh(), onChanged()]);
          }}
          onRefused={refresh}
        />
      )}
    </div>
  );
}

function ThreadHead({ onBack, title, children }) {
  return (
    <header class="thread-head">
      <button type="button" class="button ghost small thread-back" onClick={onBack}>
        ← Chats
      </button>
      <div class="thread-head-text">
        <h2 class="thread-title">{title}</h2>
        {children}
      </div>
    </header>
  );
}

const kStatusLabels = { pending: 'Sending…', deleted: 'Unsent by the user' };

function MessageBubble({ message, onMediaLoad }) {
  const outbound = message.direction === 'outbound';
  const failed = message.status === 'failed';
  const attachments = attachmentsOf(message);
  const who = outbound ? 'Sent' : 'Received';
  return (
    <li
      class={`message ${outbound ? 'message--out' : 'message--in'}${failed ? ' message--failed' : ''}`}
    >
      <div class="bubble">
        {message.text && <p class="bubble-text">{message.text}</p>}
        {attachments.map((a, i) => (
          <Media key={`${i}:${a.url}`} attachment={a} onLoad={onMediaLoad} />
        ))}
        {!message.text && attachments.length === 0 && (
          <p class="bubble-text muted">[{message.status === 'deleted' ? 'deleted' : 'no text'}]</p>
        )}
      </div>
      <div class="message-meta">
        <span class="sr-only">{who} </span>
        <time dateTime={isoTime(message.timestamp)} title={isoTime(message.timestamp)}>
          {formatTime(message.timestamp)}
        </time>
        {typeof message.tag === 'string' && message.tag && (
          <span> · {message.tag === 'HUMAN_AGENT' ? 'Human agent' : message.tag}</span>
        )}
        {kStatusLabels[message.status] && <span> · {kStatusLabels[message.status]}</span>}
        {failed && (
          <span class="message-error" role="note">
            {' '}
            · Not delivered{message.error ? `: ${message.error}` : ''}
          </span>
        )}
      </div>
    </li>
  );
}
