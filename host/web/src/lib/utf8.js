// The Send API counts message length in UTF-8 bytes, not characters.

const encoder = new TextEncoder();

export function utf8Length(text) {
  return encoder.encode(text || '').length;
}
