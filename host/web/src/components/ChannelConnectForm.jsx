// A channel's connect form, built from the fields the channel describes: secrets masked,
// required fields checked here, then the API's own checks (a VALIDATION_ERROR that names a field
// marks that field).

import { useMemo, useState } from 'preact/hooks';
import { connectFormModel, validateConnectForm } from '../lib/channels.js';
import { fieldNamedIn, hasErrors } from '../lib/validation.js';
import { ErrorNote } from './ErrorNote.jsx';
import { Field } from './Field.jsx';

/** onConnect(body): posts the connect request (throws an ApiError on failure). */
export function ChannelConnectForm({ channel, reconnect, onConnect }) {
  const model = useMemo(() => connectFormModel(channel), [channel]);
  const [values, setValues] = useState({});
  const [errors, setErrors] = useState({});
  const [apiError, setApiError] = useState(null);
  const [busy, setBusy] = useState(false);
  const headingId = `${channel.name}-connect-heading`;
  const title = `${reconnect ? 'Reconnect' : 'Connect'} ${channel.displayName}`;

  async function submit(event) {
    event.preventDefault();
    const { errors: found, body } = validateConnectForm(model, values);
    setErrors(found);
    setApiError(null);
    if (hasErrors(found)) {
      const first = model.find((f) => found[f.name]);
      document.getElementById(first.id)?.focus();
      return;
    }
    setBusy(true);
    try {
      await onConnect(body);
      setValues({});
    } catch (error) {
      setApiError(error);
      const names = model.map((f) => f.name);
      const field = error.code === 'VALIDATION_ERROR' && fieldNamedIn(error.message, names);
      if (field) setErrors({ [field]: error.message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="connect-form" onSubmit={submit} noValidate aria-labelledby={headingId}>
      <h2 id={headingId}>{title}</h2>
      <p class="muted">
        {model.length
          ? `Enter the details ${channel.displayName} gave you for the account.`
          : `${channel.displayName} needs no details to connect.`}
      </p>
      <div class="form-grid">
        {model.map((f) => (
          <Field
            key={f.name}
            id={f.id}
            label={f.label}
            optional={!f.required}
            error={errors[f.name]}
          >
            {(p) => (
              <input
                {...p}
                name={f.name}
                type={f.type}
                required={f.required}
                autocomplete="off"
                spellcheck={false}
                value={values[f.name] || ''}
                onInput={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            )}
          </Field>
        ))}
      </div>
      <div class="actions">
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? 'Connecting…' : title}
        </button>
      </div>
      <ErrorNote error={apiError} id={`${channel.name}-connect-error`} />
    </form>
  );
}
