// A read-only value with a copy button (clipboard API where allowed, selection copy otherwise).

import { useRef, useState } from 'preact/hooks';

export function CopyField({ id, label, value, hint }) {
  const inputRef = useRef(null);
  const [copied, setCopied] = useState('');

  async function copy() {
    let ok = false;
    try {
      await navigator.clipboard.writeText(value);
      ok = true;
    } catch {
      // Not a secure context or permission refused: fall back to selecting the text.
      inputRef.current.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
    setCopied(ok ? 'Copied' : 'Press Ctrl+C to copy');
  }

  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input id={id} ref={inputRef} readOnly value={value} onFocus={(e) => e.target.select()} />
        <button type="button" class="button secondary" onClick={copy}>
          Copy
        </button>
      </div>
      <p class="hint" aria-live="polite">
        {copied || hint}
      </p>
    </div>
  );
}
