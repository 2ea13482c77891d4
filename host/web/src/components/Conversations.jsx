// An agent's conversations: the chat list (each chat with only its last message) and the open
// thread, each refreshed every 3 s while the page is shown.

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
const kChatPageSize = 50;

export function Conversations({ api, subaccount, agentId, chatId, onOpenChat }) {
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);

  const load = useCallback(async () => {
    try {
      const data = await api.get(paths.chats(subaccount, agentId, { limit: kChatPageSize }));
      setPage({ chats: sortChats(data.chats), count: data.count ?? 0 });
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [api, subaccount, agentId]);

  usePolling(load, { intervalMs: kMessagesIntervalMs, key: `${subaccount}/${agentId}` });

  const chats = page ? page.chats : [];
  const summary = chats.find((c) => c.chat_id === chatId) || null;

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
        {page && page.count > chats.length && (
          <p class="muted small">
            The {chats.length} chats with the newest activity are shown, of {page.count}.
          </p>
        )}
      </section>
      <section class="thread-pane" aria-label="Conversation">
        {chatId ? (
          <Thread
            key={`${subaccount}/${agentId}/${chatId}`}
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            chatId={chatId}
            summary={summary}
            onBack={() => onOpenChat('')}
            onChanged={load}
          />
        ) : (
          <div class="thread-empty">
            <p class="muted">Choose a conversation.</p>
          </div>
        )}
      </section>
    </div>
  );
}
