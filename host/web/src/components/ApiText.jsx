// Text from the API description, with its `code` spans set in monospace.

import { textSegments } from '../lib/openapi.js';

export function ApiText({ text }) {
  return textSegments(text).map((s, i) => (s.code ? <code key={i}>{s.text}</code> : s.text));
}
