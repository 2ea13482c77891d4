// One conversation as message bubbles, with the send box under it.

import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import { attachmentsOf, chatTitle, chatUserId, formatTime, isoTime } from '../lib/chats.js';
import { SendBox } from './SendBox.jsx';

export function Thread({ api, subaccount, agentId, chat, onBack, onSent }) {
  const listRef = useRef(null);
  const stickToBottom = useRef(true);
  const messages = chat.messages || [];

  // Follow new messages (and images that finish loading) only when the reader is at the bottom.
  const follow = () => {
    const el = listRef.current;
    if (el && stickToBottom.current) el.scrollTop = el.scrollHeight;
  };
  useLayoutEffect(follow, [messages.length]);
  useEffect(() => {
    const el = listRef.current;
    if (!el) return undefined;
    const onScroll = () => {
      stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
    };
    el.addEventListener('scroll', onScroll);
    return () => el.removeEventListener('scroll', onScroll);
  }, []);

  return (
    <div class="thread">
      <header class="thread-head">
        <button type="button" class="button ghost small thread-back" onClick={onBack}>
          ← Chats
        </button>
        <div>
          <h2 class="thread-title">{chatTitle(chat)}</h2>
          <p class="muted small">
            Instagram user <span class="mono">{chatUserId(chat)}</span> · {chat.message_count}{' '}
            messages · {chat.chat_status}
          </p>
        </div>
      </header>
      <ol class="messages" ref={listRef} tabIndex={0} aria-label="Messages">
        {messages.map((m, i) => (
          <MessageBubble key={m.mid || i} message={m} onMediaLoad={follow} />
        ))}
      </ol>
      <SendBox
        api={api}
        subaccount={subaccount}
        agentId={agentId}
        to={chatUserId(chat)}
        onSent={onSent}
      />
    </div>
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
        {attachments.map((a, i) =>
          a.url && a.isImage ? (
            <a key={i} href={a.url} target="_blank" rel="noopener noreferrer" class="attachment">
              <img
                src={a.url}
                alt={`${a.type} attachment`}
                loading="lazy"
                class="attachment-image"
                onLoad={onMediaLoad}
              />
            </a>
          ) : a.url ? (
            <a key={i} href={a.url} target="_blank" rel="noopener noreferrer" class="attachment">
              {a.type} attachment
            </a>
          ) : (
            <span key={i} class="attachment">
              [{a.type}]
            </span>
          ),
        )}
        {!message.text && attachments.length === 0 && (
          <p class="bubble-text muted">[{message.status === 'deleted' ? 'deleted' : 'no text'}]</p>
        )}
      </div>
      <div class="message-meta">
        <span class="sr-only">{who} </span>
        <time dateTime={isoTime(message.timestamp)} title={isoTime(message.timestamp)}>
          {formatTime(message.timestamp)}
        </time>
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
