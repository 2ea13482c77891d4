// Client-side checks of the forms, so most mistakes are named before a request is made.
// Each validator returns { errors: {field: message}, body } where body is what the API expects.

import { idProblem } from './ids.js';

export const kConnectFields = [
  'accessToken',
  'instagramAccountId',
  'pageId',
  'webhookVerificationToken',
  'webhookSecret',
];

const kDigits = /^[0-9]{1,32}$/;
const kWhitespace = /\s/;

export function validateConnect(form) {
  const errors = {};
  const value = (k) => (form[k] || '').trim();
  if (!value('accessToken')) errors.accessToken = 'Access token is required.';
  else if (kWhitespace.test(value('accessToken')))
    errors.accessToken = 'Access token cannot contain spaces.';
  for (const [key, label] of [
    ['instagramAccountId', 'Instagram account ID'],
    ['pageId', 'Facebook Page ID'],
  ]) {
    if (!value(key)) errors[key] = `${label} is required.`;
    else if (!kDigits.test(value(key))) errors[key] = `${label} must contain only digits.`;
  }
  if (!value('webhookVerificationToken'))
    errors.webhookVerificationToken = 'Webhook verification token is required.';
  else if (kWhitespace.test(value('webhookVerificationToken')))
    errors.webhookVerificationToken = 'Webhook verification token cannot contain spaces.';
  if (value('webhookSecret') && kWhitespace.test(value('webhookSecret')))
    errors.webhookSecret = 'Webhook secret cannot contain spaces.';

  const body = {
    accessToken: value('accessToken'),
    instagramAccountId: value('instagramAccountId'),
    pageId: value('pageId'),
    webhookVerificationToken: value('webhookVerificationToken'),
  };
  if (value('webhookSecret')) body.webhookSecret = value('webhookSecret');
  return { errors, body };
}

/** The form field an API error message names (e.g. "pageId is required"), or ''. */
export function fieldNamedIn(message, fields) {
  const text = message || '';
  // Longest first, so "webhookSecret" is not mistaken for a shorter name inside it.
  const sorted = [...fields].sort((a, b) => b.length - a.length);
  return sorted.find((f) => new RegExp(`(^|[^A-Za-z])${f}([^A-Za-z]|$)`).test(text)) || '';
}

export const kAgentTypes = ['rules', 'openai', 'http'];

/** Form state for an agent (new when agent is null). */
export function agentToForm(agent) {
  const config = (agent && agent.config) || {};
  const rules = Array.isArray(config.rules)
    ? config.rules.map((r) => ({ match: String(r.match ?? ''), reply: String(r.reply ?? '') }))
    : [];
  return {
    id: agent ? agent.id : '',
    name: agent ? agent.name : '',
    type: agent ? agent.type || 'rules' : 'rules',
    rules: rules.length ? rules : [{ match: '', reply: '' }],
    fallback: typeof config.fallback === 'string' ? config.fallback : '',
    configText: agent && agent.type !== 'rules' ? JSON.stringify(config, null, 2) : '{}',
  };
}

export function validateAgent(form, { isNew }) {
  const errors = {};
  const name = (form.name || '').trim();
  if (!name) errors.name = 'Name is required.';
  else if (name.length > 200) errors.name = 'Name must be at most 200 characters.';
  const id = (form.id || '').trim();
  if (isNew && id) {
    const problem = idProblem(id, 'ID');
    if (problem) errors.id = problem;
  }
  if (!kAgentTypes.includes(form.type)) errors.type = 'Choose a type.';

  let config = {};
  if (form.type === 'rules') {
    const rules = [];
    (form.rules || []).forEach((r, i) => {
      const match = (r.match || '').trim();
      const reply = (r.reply || '').trim();
      if (!match && !reply) return; // an empty row is simply left out
      if (!match) errors[`rules.${i}.match`] = 'Text to match is required.';
      if (!reply) errors[`rules.${i}.reply`] = 'Reply is required.';
      rules.push({ match, reply });
    });
    config = { rules };
    if ((form.fallback || '').trim()) config.fallback = form.fallback.trim();
  } else {
    try {
      config = JSON.parse(form.configText || '{}');
      if (!config || typeof config !== 'object' || Array.isArray(config))
        errors.configText = 'Configuration must be a JSON object.';
    } catch (e) {
      errors.configText = `Configuration is not valid JSON: ${e.message}`;
    }
  }
  const body = { name, type: form.type, config };
  if (isNew && id) body.id = id;
  return { errors, body };
}

export function hasErrors(errors) {
  return Object.keys(errors).length > 0;
}
