// The Instagram credentials form: checked field by field here, then by the API.

import { useState } from 'preact/hooks';
import { fieldNamedIn, hasErrors, kConnectFields, validateConnect } from '../lib/validation.js';
import { ErrorNote } from './ErrorNote.jsx';
import { Field } from './Field.jsx';

const kFields = [
  {
    key: 'accessToken',
    label: 'Page access token',
    type: 'password',
    hint: 'Long-lived token with instagram_basic, instagram_manage_messages, pages_messaging.',
  },
  { key: 'instagramAccountId', label: 'Instagram account ID', inputmode: 'numeric' },
  { key: 'pageId', label: 'Facebook Page ID', inputmode: 'numeric' },
  {
    key: 'webhookVerificationToken',
    label: 'Webhook verification token',
    hint: 'Any random string; enter the same one in Meta’s webhook settings.',
  },
  {
    key: 'webhookSecret',
    label: 'Webhook secret',
    type: 'password',
    optional: true,
    hint: 'Your app secret, to verify webhook signatures. Empty: the host’s app secret is used.',
  },
];

/**
 * embedded: inside the "Advanced" disclosure under "Connect with Instagram" (no heading of its
 * own, and a button that says it uses the token).
 */
export function ConnectForm({ onConnect, reconnect, embedded = false }) {
  const [form, setForm] = useState({});
  const [errors, setErrors] = useState({});
  const [apiError, setApiError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    const { errors: found, body } = validateConnect(form);
    setErrors(found);
    setApiError(null);
    if (hasErrors(found)) {
      document.getElementById(`connect-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onConnect(body);
      setForm({});
    } catch (error) {
      setApiError(error);
      const field =
        error.code === 'VALIDATION_ERROR' && fieldNamedIn(error.message, kConnectFields);
      if (field) setErrors({ [field]: error.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      class="connect-form"
      onSubmit={submit}
      noValidate
      aria-labelledby={embedded ? undefined : 'connect-heading'}
      aria-label={embedded ? 'Connect with an access token' : undefined}
    >
      {!embedded && (
        <h2 id="connect-heading">{reconnect ? 'Reconnect Instagram' : 'Connect Instagram'}</h2>
      )}
      <p class="muted">
        The account must be a Business or Creator account linked to a Facebook Page.
      </p>
      <div class="form-grid">
        {kFields.map((f) => (
          <Field
            key={f.key}
            id={`connect-${f.key}`}
            label={f.label}
            hint={f.hint}
            optional={f.optional}
            error={errors[f.key]}
          >
            {(p) => (
              <input
                {...p}
                name={f.key}
                type={f.type || 'text'}
                inputmode={f.inputmode}
                autocomplete="off"
                spellcheck={false}
                value={form[f.key] || ''}
                onInput={(e) => setForm((s) => ({ ...s, [f.key]: e.target.value }))}
              />
            )}
          </Field>
        ))}
      </div>
      <div class="actions">
        <button class="button primary" type="submit" disabled={busy}>
          {busy
            ? 'Connecting…'
            : reconnect
              ? 'Reconnect with token'
              : embedded
                ? 'Connect with token'
                : 'Connect Instagram'}
        </button>
      </div>
      <ErrorNote error={apiError} id="connect-error" />
    </form>
  );
}
