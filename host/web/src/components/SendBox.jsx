// Writing a message: text (a live UTF-8 byte count against the channel's limit), media by URL
// where the channel sends media, and the channel's tag (HUMAN_AGENT) when only a person may still
// answer. What the chat's messaging windows allow decides what the box offers (lib/window.js).

import { useState } from 'preact/hooks';
import { paths } from '../lib/api.js';
import { sendRules } from '../lib/channels.js';
import {
  hasSomethingToSend,
  kAttachmentTypeLabels,
  kAttachmentTypes,
  sendNotes,
  tagLabel,
  validateSend,
} from '../lib/send.js';
import { utf8Length } from '../lib/utf8.js';
import { ErrorNote } from './ErrorNote.jsx';
import { Field } from './Field.jsx';

const kEmpty = { text: '', attach: false, attachmentType: 'image', attachmentUrl: '' };

/** channel: the chat's channel, as lib/channels.js describes it. */
export function SendBox({
  api,
  subaccount,
  agentId,
  channel,
  to,
  mode = 'unknown',
  onSent,
  onRefused,
}) {
  const rules = sendRules(channel);
  const notes = sendNotes(channel.displayName, rules);
  const maxBytes = rules.maxTextBytes;
  const [form, setForm] = useState({ ...kEmpty, humanAgent: false });
  const [errors, setErrors] = useState({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const closed = mode === 'closed';
  const bytes = utf8Length(form.text);
  const tooLong = bytes > maxBytes;
  const set = (key, value) => {
    setForm((f) => ({ ...f, [key]: value }));
    if (errors[key] || errors.form) setErrors((e) => ({ ...e, [key]: undefined, form: undefined }));
  };

  async function send(event) {
    event?.preventDefault();
    if (busy || closed) return;
    const { errors: found, body } = validateSend(form, { to, mode, rules });
    setErrors(found);
    setError(null);
    if (Object.keys(found).length) {
      const first = ['attachmentUrl', 'humanAgent'].find((k) => found[k]);
      if (first) document.getElementById(`send-${first}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await api.post(paths.channel(subaccount, agentId, channel.name, 'send'), body);
      setForm((f) => ({ ...kEmpty, humanAgent: f.humanAgent }));
      await onSent();
    } catch (e) {
      setError(e);
      // The host knows the windows better than this page's clock: read them again.
      if (e && e.code === 'OUTSIDE_WINDOW' && onRefused) onRefused();
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="send-box" onSubmit={send} noValidate aria-label="Send a message">
      {closed && (
        <p class="send-closed" role="note">
          {notes.closed}
        </p>
      )}
      <label for="send-text" class="sr-only">
        Message
      </label>
      <textarea
        id="send-text"
        rows={2}
        placeholder={closed ? 'Sending is disabled' : 'Write a message… (Ctrl+Enter to send)'}
        value={form.text}
        disabled={closed}
        aria-describedby="send-count"
        aria-invalid={tooLong ? 'true' : undefined}
        onInput={(e) => set('text', e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e);
        }}
      />
      {form.attach && !closed && rules.sendsAttachments && (
        <fieldset class="send-attach">
          <legend>Attach media by URL</legend>
          <div class="send-attach-row">
            <Field id="send-attachmentType" label="Media type" error={errors.attachmentType}>
              {(p) => (
                <select
                  {...p}
                  value={form.attachmentType}
                  onChange={(e) => set('attachmentType', e.target.value)}
                >
                  {kAttachmentTypes.map((t) => (
                    <option key={t} value={t}>
                      {kAttachmentTypeLabels[t]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field
              id="send-attachmentUrl"
              label="Media URL"
              hint={`A public http(s) link ${channel.displayName} can download.`}
              error={errors.attachmentUrl}
            >
              {(p) => (
                <input
                  {...p}
                  type="url"
                  inputmode="url"
                  placeholder="https://"
                  autocomplete="off"
                  spellcheck={false}
                  value={form.attachmentUrl}
                  onInput={(e) => set('attachmentUrl', e.target.value)}
                />
              )}
            </Field>
          </div>
          <button
            type="button"
            class="link-button small"
            onClick={() => {
              setForm((f) => ({ ...f, attach: false, attachmentUrl: '' }));
              setErrors((e) => ({ ...e, attachmentUrl: undefined, attachmentType: undefined }));
              document.getElementById('send-text')?.focus();
            }}
          >
            Remove media
          </button>
        </fieldset>
      )}
      {mode === 'human_agent' && (
        <div class={`send-tag${errors.humanAgent ? ' send-tag--invalid' : ''}`}>
          <label class="checkbox">
            <input
              id="send-humanAgent"
              type="checkbox"
              checked={form.humanAgent}
              aria-describedby="send-humanAgent-hint"
              aria-invalid={errors.humanAgent ? 'true' : undefined}
              onChange={(e) => set('humanAgent', e.target.checked)}
            />{' '}
            {tagLabel(rules.tag)}
          </label>
          <p class="hint" id="send-humanAgent-hint">{notes.tagHint}</p>
          {errors.humanAgent && <p class="field-error">{errors.humanAgent}</p>}
        </div>
      )}
      <div class="send-row">
        <div class="send-tools">
          {!form.attach && !closed && rules.sendsAttachments && (
            <button
              type="button"
              class="button ghost small"
              onClick={() => {
                setForm((f) => ({ ...f, attach: true }));
                setTimeout(() => document.getElementById('send-attachmentUrl')?.focus(), 0);
              }}
            >
              Attach media by URL
            </button>
          )}
          <span id="send-count" class={`byte-count${tooLong ? ' byte-count--over' : ''}`}>
            {bytes} / {maxBytes} bytes
            {tooLong ? ` — ${bytes - maxBytes} over the limit` : ''}
          </span>
        </div>
        <button
          class="button primary"
          type="submit"
          disabled={closed || tooLong || busy || !hasSomethingToSend(form)}
        >
          {busy ? 'Sending…' : 'Send'}
        </button>
      </div>
      {errors.form && !closed && (
        <p class="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <ErrorNote error={error} id="send-error" />
    </form>
  );
}
