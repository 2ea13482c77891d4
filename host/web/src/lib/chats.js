// Presentation of conversations: who a chat is with, its last message, times and attachments.

import { safeUrl } from './url.js';

export function chatTitle(chat) {
  const meta = (chat && chat.metadata) || {};
  if (meta.name && meta.username) return `${meta.name} (@${meta.username})`;
  if (meta.name) return meta.name;
  if (meta.username) return `@${meta.username}`;
  return chatUserId(chat) || (chat && chat.chat_id) || 'Unknown user';
}

/** The user's id on the chat's channel: metadata.<channel>_user_id (Instagram's by default). */
export function chatUserId(chat) {
  const meta = (chat && chat.metadata) || {};
  const channel = typeof meta.channel === 'string' && meta.channel ? meta.channel : 'instagram';
  const id = meta[`${channel}_user_id`];
  return typeof id === 'string' ? id : '';
}

export function lastMessage(chat) {
  const list = (chat && chat.messages) || [];
  return list.length ? list[list.length - 1] : null;
}

/** When the chat last changed: its newest message, else when it started (ms). */
export function lastActivity(chat) {
  const last = lastMessage(chat);
  return (last && last.timestamp) || (chat && chat.start_timestamp) || 0;
}

const kKinds = {
  image: 'image',
  sticker: 'image',
  animated_image: 'image',
  video: 'video',
  audio: 'audio',
};

/** How an attachment type is shown: 'image', 'video', 'audio', or 'link' for anything else. */
export function attachmentKind(type) {
  return kKinds[type] || 'link';
}

/**
 * Attachments in a uniform shape: {type, url, kind, isImage}. Meta puts the URL in payload.url;
 * messages sent from here store it the same way (or as url).
 */
export function attachmentsOf(message) {
  const list = Array.isArray(message && message.attachments) ? message.attachments : [];
  return list
    .filter((a) => a && typeof a === 'object')
    .map((a) => {
      const type = String(a.type || 'file');
      const url = (a.payload && a.payload.url) || a.url || '';
      const kind = attachmentKind(type);
      return { type, url: safeUrl(url), kind, isImage: kind === 'image' };
    });
}

/** One line for the chat list: the text, or what kind of attachment it was. */
export function previewText(message) {
  if (!message) return 'No messages yet';
  const prefix = message.direction === 'outbound' ? 'You: ' : '';
  if (message.text) return prefix + message.text;
  const attachments = attachmentsOf(message);
  if (attachments.length) return `${prefix}[${attachments[0].type}]`;
  return `${prefix}[${message.status === 'deleted' ? 'deleted' : 'no text'}]`;
}

function sameDay(a, b) {
  return (
    a.getFullYear() === b.getFullYear() &&
    a.getMonth() === b.getMonth() &&
    a.getDate() === b.getDate()
  );
}

/** "14:05" today, "3 Mar" this year, "3 Mar 2024" before; '' without a time. */
export function formatTime(ms, nowMs = Date.now(), locale = undefined) {
  if (!ms) return '';
  const when = new Date(ms);
  const now = new Date(nowMs);
  if (sameDay(when, now))
    return when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  const options = { day: 'numeric', month: 'short' };
  if (when.getFullYear() !== now.getFullYear()) options.year = 'numeric';
  return when.toLocaleDateString(locale, options);
}

/** Full date and time, for a tooltip and the <time> element. */
export function isoTime(ms) {
  return ms ? new Date(ms).toISOString() : '';
}

/** Chats with the newest activity first (the API already orders them; polling keeps it so). */
export function sortChats(chats) {
  return [...(chats || [])].sort((a, b) => lastActivity(b) - lastActivity(a));
}
