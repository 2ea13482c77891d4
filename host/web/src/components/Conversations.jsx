// An agent's conversations on one channel: the chat list (each chat with only its last message)
// and the open thread, each refreshed every 3 s while the page is shown. With more than one
// channel loaded, a switcher above the list chooses the channel.

import { useCallback, useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import { findChannel } from '../lib/channels.js';
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
import { ChannelSwitcher } from './ChannelSwitcher.jsx';
import { ErrorNote } from './ErrorNote.jsx';
import { Thread } from './Thread.jsx';

const kMessagesIntervalMs = 3000;
const kChatPageSize = 50;

/**
 * channels: the loaded channels (lib/channels.js); channel: the name of the one shown;
 * onChannel(name) shows another; onOpenChat(chatId) opens a chat of the shown one ('' closes it).
 */
export function Conversations({
  api,
  subaccount,
  agentId,
  channels,
  channel,
  chatId,
  onChannel,
  onOpenChat,
}) {
  // The page of chats belongs to the channel it was read for: a late answer for the channel
  // shown before is never shown under another.
  const [loaded, setLoaded] = useState({ channel: '', page: null, error: null });
  const description = findChannel(channels, channel);

  const load = useCallback(async () => {
    if (!channel) return;
    try {
      const data = await api.get(
        paths.chats(subaccount, agentId, { channel, limit: kChatPageSize }),
      );
      const page = { chats: sortChats(data.chats), count: data.count ?? 0 };
      setLoaded({ channel, page, error: null });
    } catch (e) {
      setLoaded((l) => ({ channel, page: l.channel === channel ? l.page : null, error: e }));
    }
  }, [api, subaccount, agentId, channel]);

  usePolling(load, { intervalMs: kMessagesIntervalMs, key: `${subaccount}/${agentId}/${channel}` });

  if (!description)
    return <p class="muted">This host has no channel loaded, so there are no conversations.</p>;

  const current = loaded.channel === channel ? loaded : { page: null, error: null };
  const { page, error } = current;
  const chats = page ? page.chats : [];
  const summary = chats.find((c) => c.chat_id === chatId) || null;

  return (
    <div class={`conversations${chatId ? ' conversations--thread' : ''}`}>
      <section class="chat-list-pane" aria-labelledby="chats-heading">
        {channels.length > 1 && (
          <ChannelSwitcher channels={channels} selected={channel} onSelect={onChannel} />
        )}
        <h2 id="chats-heading">Chats{page ? <span class="count"> {page.count}</span> : null}</h2>
        <ErrorNote error={error} />
        {!page && !error && <p class="muted">Loading conversations…</p>}
        {page && chats.length === 0 && (
          <p class="muted">
            No conversations yet. Messages sent to the connected {description.displayName} account
            appear here.
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
                    channel,
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
            key={`${subaccount}/${agentId}/${channel}/${chatId}`}
            api={api}
            subaccount={subaccount}
            agentId={agentId}
            channel={description}
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
