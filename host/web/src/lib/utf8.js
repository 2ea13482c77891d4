// The Send API counts message length in UTF-8 bytes, not characters.

/** Instagram's limit; other channels give theirs in their description (lib/channels.js). */
export const kMaxMessageBytes = 1000;

const encoder = new TextEncoder();

export function utf8Length(text) {
  return encoder.encode(text || '').length;
}
