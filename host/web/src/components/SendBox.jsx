// Writing a message: a live UTF-8 byte count against the Send API's 1000-byte limit.

import { useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import { kMaxMessageBytes, utf8Length } from '../lib/utf8.js';
import { ErrorNote } from './ErrorNote.jsx';

export function SendBox({ api, subaccount, agentId, to, onSent }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const bytes = utf8Length(text);
  const tooLong = bytes > kMaxMessageBytes;
  const empty = text.trim().length === 0;

  async function send(event) {
    event?.preventDefault();
    if (empty || tooLong || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.post(paths.instagram(subaccount, agentId, 'send'), { to, message: text });
      setText('');
      await onSent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="send-box" onSubmit={send}>
      <label for="send-text" class="sr-only">
        Message
      </label>
      <textarea
        id="send-text"
        rows={2}
        placeholder="Write a message… (Ctrl+Enter to send)"
        value={text}
        aria-describedby="send-count"
        aria-invalid={tooLong ? 'true' : undefined}
        onInput={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
        }}
      />
      <div class="send-row">
        <span id="send-count" class={`byte-count${tooLong ? ' byte-count--over' : ''}`}>
          {bytes} / {kMaxMessageBytes} bytes
          {tooLong ? ` — ${bytes - kMaxMessageBytes} over the limit` : ''}
        </span>
        <button class="button primary" type="submit" disabled={empty || tooLong || busy}>
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      <ErrorNote error={error} id="send-error" />
    </form>
  );
}
