// An agent's conversations: chat list and the open thread, refreshed every 3 s while shown.

import { useCallback, useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import {
  chatTitle,
  formatTime,
  isoTime,
  lastActivity,
  lastMessage,
  previewText,
  sortChats,
} from '../lib/chats.js';
import { usePolling } from '../lib/polling.js';
import { routePath } from '../lib/route.js';
import { ErrorNote } from './ErrorNote.jsx';
import { Thread } from './Thread.jsx';

const kMessagesIntervalMs = 3000;

export function Conversations({ api, subaccount, agentId, chatId, onOpenChat }) {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);

  const load = useCallback(async () => {
    try {
      const data = await api.get(`${paths.instagram(subaccount, agentId, 'messages')}?limit=50`);
      setPage({ chats: sortChats(data.chats), count: data.count ?? 0 });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, subaccount, agentId]);

  usePolling(load, { intervalMs: kMessagesIntervalMs, key: `${subaccount}/${agentId}` });

  const chats = page ? page.chats : [];
  const open = chats.find((c) => c.chat_id === chatId) || null;

  return (
    <div class={`conversations${chatId ? ' conversations--thread' : ''}`}>
      <section class="chat-list-pane" aria-labelledby="chats-heading">
        <h2 id="chats-heading">Chats{page ? <span class="count"> {page.count}</span> : null}</h2>
        <ErrorNote error={error} />
        {!page && !error && <p class="muted">Loading conversations…</p>}
        {page && chats.length === 0 && (
          <p class="muted">
            No conversations yet. Messages sent to the connected Instagram account appear here.
          </p>
        )}
        <ul class="chat-list">
          {chats.map((chat) => {
            const when = lastActivity(chat);
            return (
              <li key={chat.chat_id}>
                <a
                  href={routePath({
                    view: 'agent',
                    agentId,
                    tab: 'conversations',
                    chatId: chat.chat_id,
                  })}
                  class={`chat-item${chat.chat_id === chatId ? ' chat-item--active' : ''}`}
                  aria-current={chat.chat_id === chatId ? 'true' : undefined}
                  onClick={(e) => {
                    e.preventDefault();
                    onOpenChat(chat.chat_id);
                  }}
                >
                  <span class="chat-item-top">
                    <span class="chat-title">{chatTitle(chat)}</span>
                    <time class="chat-time" dateTime={isoTime(when)} title={isoTime(when)}>
                      {formatTime(when)}
                    </time>
                  </span>
                  <span class="chat-preview">{previewText(lastMessage(chat))}</span>
                </a>
              </li>
            );
          })}
        </ul>
      </section>
      <section class="thread-pane" aria-label="Conversation">
        {open ? (
          <Thread
            key={open.chat_id}
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            chat={open}
            onBack={() => onOpenChat('')}
            onSent={load}
          />
        ) : (
          <div class="thread-empty">
            <p class="muted">
              {chatId && page ? 'This conversation was not found.' : 'Choose a conversation.'}
            </p>
          </div>
        )}
      </section>
    </div>
  );
}
