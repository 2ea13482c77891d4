// The send box's checks and the body of POST .../instagram/send: text, an optional attachment
// by URL, and the HUMAN_AGENT tag when only a person may still answer.

import { kMaxMessageBytes, utf8Length } from './utf8.js';

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

/**
 * Checks the send box. form: {text, attach, attachmentType, attachmentUrl, humanAgent};
 * mode: the chat's window mode (lib/window.js). Returns {errors: {field: message}, body}.
 * Fields: text, attachmentType, attachmentUrl, humanAgent, form (the box as a whole).
 */
export function validateSend(form, { to, mode = 'unknown' } = {}) {
  const errors = {};
  const text = form.text || '';
  const hasText = text.trim().length > 0;
  const attach = Boolean(form.attach);
  const body = { to };
  if (hasText) {
    const bytes = utf8Length(text);
    if (bytes > kMaxMessageBytes)
      errors.text = `The message is ${bytes - kMaxMessageBytes} bytes over the limit of ${kMaxMessageBytes}.`;
    body.message = text;
  }
  if (attach) {
    const type = form.attachmentType || 'image';
    if (!kAttachmentTypes.includes(type)) errors.attachmentType = 'Choose the kind of media.';
    const problem = attachmentUrlProblem(form.attachmentUrl);
    if (problem) errors.attachmentUrl = problem;
    body.attachment = { type, url: (form.attachmentUrl || '').trim() };
  }
  if (!hasText && !attach) errors.form = 'Write a message or attach media.';
  if (mode === 'closed')
    errors.form = 'The user has not written in the last 7 days: they must write first.';
  if (mode === 'human_agent') {
    if (form.humanAgent) body.tag = 'HUMAN_AGENT';
    else
      errors.humanAgent =
        'More than 24 hours since the user wrote: tick "Send as human agent" to answer.';
  }
  return { errors, body };
}

/** Whether the box holds something to send (the Send button's state, before full checks). */
export function hasSomethingToSend(form) {
  return (
    (form.text || '').trim().length > 0 || Boolean(form.attach && (form.attachmentUrl || '').trim())
  );
}
