// The send box's checks and the body of POST .../<channel>/send: text, an optional attachment
// by URL, and the channel's tag (HUMAN_AGENT) when only a person may still answer. What is
// allowed comes from the channel's description (lib/channels.js: sendRules).

import { utf8Length } from './utf8.js';

export const kAttachmentTypes = ['image', 'video', 'audio', 'file'];
export const kAttachmentTypeLabels = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  file: 'File',
};
export const kMaxUrlLength = 2000;

/** Why a media URL cannot be sent, in words, or '' when it is a usable http(s) URL. */
export function attachmentUrlProblem(text) {
  const value = (text || '').trim();
  if (!value) return 'Enter the URL of the media.';
  if (value.length > kMaxUrlLength) return `The URL must be at most ${kMaxUrlLength} characters.`;
  if (/\s/.test(value)) return 'The URL cannot contain spaces.';
  let url;
  try {
    url = new URL(value);
  } catch {
    return 'Enter a full URL, starting with https://';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return 'The URL must start with https:// or http://';
  if (!url.hostname) return 'The URL must name a host.';
  if (url.username || url.password) return 'The URL cannot contain a user name or password.';
  return '';
}

/** "24 hours", "7 days", "90 minutes": a window's length in words. */
export function formatDuration(ms) {
  const minutes = Math.round(ms / 60000);
  const plural = (n, unit) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (minutes % (24 * 60) === 0 && minutes >= 2 * 24 * 60) return plural(minutes / 1440, 'day');
  if (minutes % 60 === 0) return plural(minutes / 60, 'hour');
  return plural(minutes, 'minute');
}

/** What ticking the box that puts the channel's tag on a message does, in a few words. */
function tagAction(tag) {
  return tag === 'HUMAN_AGENT' ? 'Send as human agent' : `Send with the ${tag} tag`;
}

/** The label of that box. */
export function tagLabel(tag) {
  return tag === 'HUMAN_AGENT' ? `${tagAction(tag)} (HUMAN_AGENT tag)` : tagAction(tag);
}

/**
 * The send box's explanations for a channel: {closed, tagHint} (tagHint '' without a tag).
 * channelName: the channel's display name; rules: its sendRules.
 */
export function sendNotes(channelName, rules) {
  const reply = formatDuration(rules.replyWindowMs);
  const tagged = rules.tag && rules.taggedWindowMs ? formatDuration(rules.taggedWindowMs) : '';
  const person = tagged ? ` (${tagged} for a person, with the ${rules.tag} tag)` : '';
  return {
    closed:
      `The user must write first: ${channelName} only lets you answer within ${reply} of the ` +
      `user’s last message${person}. Sending is disabled.`,
    tagHint: tagged
      ? `The user wrote more than ${reply} ago: a person may still answer for up to ${tagged}, ` +
        `marked with ${channelName}’s ${rules.tag} tag.`
      : '',
  };
}

/**
 * Checks the send box. form: {text, attach, attachmentType, attachmentUrl, humanAgent};
 * mode: the chat's window mode (lib/window.js); rules: the channel's (lib/channels.js).
 * Returns {errors: {field: message}, body}.
 * Fields: text, attachmentType, attachmentUrl, humanAgent, form (the box as a whole).
 * `humanAgent` is the box that puts the channel's tag on the message.
 */
export function validateSend(form, { to, mode = 'unknown', rules }) {
  const errors = {};
  const text = form.text || '';
  const hasText = text.trim().length > 0;
  const attach = Boolean(form.attach);
  const body = { to };
  const max = rules.maxTextBytes;
  if (hasText) {
    const bytes = utf8Length(text);
    if (bytes > max) errors.text = `The message is ${bytes - max} bytes over the limit of ${max}.`;
    body.message = text;
  }
  if (attach) {
    const type = form.attachmentType || 'image';
    if (!kAttachmentTypes.includes(type)) errors.attachmentType = 'Choose the kind of media.';
    const problem = rules.sendsAttachments
      ? attachmentUrlProblem(form.attachmentUrl)
      : 'This channel cannot send media.';
    if (problem) errors.attachmentUrl = problem;
    body.attachment = { type, url: (form.attachmentUrl || '').trim() };
  }
  if (!hasText && !attach) errors.form = 'Write a message or attach media.';
  if (mode === 'closed') {
    const span = formatDuration(rules.taggedWindowMs || rules.replyWindowMs);
    errors.form = `The user has not written in the last ${span}: they must write first.`;
  }
  if (mode === 'human_agent') {
    if (form.humanAgent && rules.tag) body.tag = rules.tag;
    else
      errors.humanAgent =
        `More than ${formatDuration(rules.replyWindowMs)} since the user wrote: tick ` +
        `"${tagAction(rules.tag)}" to answer.`;
  }
  return { errors, body };
}

/** Whether the box holds something to send (the Send button's state, before full checks). */
export function hasSomethingToSend(form) {
  return (
    (form.text || '').trim().length > 0 || Boolean(form.attach && (form.attachmentUrl || '').trim())
  );
}
