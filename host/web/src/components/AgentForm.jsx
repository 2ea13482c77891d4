// Create or edit an agent. Rules agents get a row editor; other types a JSON config.

import { useState } from 'preact/hooks';
import { agentToForm, hasErrors, kAgentTypes, validateAgent } from '../lib/validation.js';
import { ErrorNote } from './ErrorNote.jsx';
import { Field } from './Field.jsx';

const kTypeLabels = { rules: 'Rules (keyword replies)', openai: 'OpenAI-compatible', http: 'HTTP' };

export function AgentForm({ agent, submitLabel, onSubmit, onCancel }) {
  const isNew = !agent;
  const [form, setForm] = useState(() => agentToForm(agent));
  const [errors, setErrors] = useState({});
  const [apiError, setApiError] = useState(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);

  const set = (key, value) => {
    setForm((f) => ({ ...f, [key]: value }));
    setSaved(false);
  };
  const setRule = (index, key, value) =>
    set(
      'rules',
      form.rules.map((r, i) => (i === index ? { ...r, [key]: value } : r)),
    );

  async function submit(event) {
    event.preventDefault();
    const { errors: found, body } = validateAgent(form, { isNew });
    setErrors(found);
    setApiError(null);
    if (hasErrors(found)) return;
    setBusy(true);
    try {
      await onSubmit(body);
      setSaved(true);
    } catch (error) {
      setApiError(error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="agent-form" onSubmit={submit} noValidate aria-label={submitLabel}>
      <div class="form-grid">
        <Field id="agent-name" label="Name" error={errors.name}>
          {(p) => <input {...p} value={form.name} onInput={(e) => set('name', e.target.value)} />}
        </Field>
        {isNew && (
          <Field
            id="agent-id"
            label="ID"
            optional
            hint="Letters, digits, _ and -. Left empty, the server picks one."
            error={errors.id}
          >
            {(p) => (
              <input
                {...p}
                value={form.id}
                spellcheck={false}
                onInput={(e) => set('id', e.target.value)}
              />
            )}
          </Field>
        )}
        <Field id="agent-type" label="Type" error={errors.type}>
          {(p) => (
            <select {...p} value={form.type} onChange={(e) => set('type', e.target.value)}>
              {kAgentTypes.map((t) => (
                <option key={t} value={t}>
                  {kTypeLabels[t]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      {form.type === 'rules' ? (
        <fieldset class="rules">
          <legend>Rules</legend>
          <p class="hint">
            The first rule whose text appears in the incoming message (any case) answers.
          </p>
          {form.rules.map((rule, i) => (
            <div class="rule-row" key={i}>
              <Field
                id={`rule-${i}-match`}
                label={`Rule ${i + 1}: when the message contains`}
                error={errors[`rules.${i}.match`]}
              >
                {(p) => (
                  <input
                    {...p}
                    value={rule.match}
                    onInput={(e) => setRule(i, 'match', e.target.value)}
                  />
                )}
              </Field>
              <Field id={`rule-${i}-reply`} label="reply with" error={errors[`rules.${i}.reply`]}>
                {(p) => (
                  <input
                    {...p}
                    value={rule.reply}
                    onInput={(e) => setRule(i, 'reply', e.target.value)}
                  />
                )}
              </Field>
              <button
                type="button"
                class="button ghost small rule-remove"
                aria-label={`Remove rule ${i + 1}`}
                onClick={() =>
                  set(
                    'rules',
                    form.rules.length > 1
                      ? form.rules.filter((_, j) => j !== i)
                      : [{ match: '', reply: '' }],
                  )
                }
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            class="button secondary small"
            onClick={() => set('rules', [...form.rules, { match: '', reply: '' }])}
          >
            Add rule
          </button>
          <Field
            id="agent-fallback"
            label="Fallback reply"
            optional
            hint="Sent when no rule matches. Empty: no reply."
          >
            {(p) => (
              <input
                {...p}
                value={form.fallback}
                onInput={(e) => set('fallback', e.target.value)}
              />
            )}
          </Field>
        </fieldset>
      ) : (
        <Field
          id="agent-config"
          label="Configuration (JSON)"
          hint={
            form.type === 'openai'
              ? 'base_url, model, api_key (e.g. "${OPENAI_API_KEY}"), system_prompt, history, timeout_ms'
              : 'url, timeout_ms, headers'
          }
          error={errors.configText}
        >
          {(p) => (
            <textarea
              {...p}
              class="mono"
              rows={8}
              spellcheck={false}
              value={form.configText}
              onInput={(e) => set('configText', e.target.value)}
            />
          )}
        </Field>
      )}

      <div class="actions">
        <button class="button primary" type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        {onCancel && (
          <button class="button ghost" type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {saved && !isNew && (
          <span class="success-note" role="status">
            Saved.
          </span>
        )}
      </div>
      <ErrorNote error={apiError} />
    </form>
  );
}
