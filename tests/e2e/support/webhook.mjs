// Webhook deliveries as Meta sends them: the JSON envelope and its X-Hub-Signature-256.

import { createHmac } from 'node:crypto';

export function messageEvent({ igId, userId, mid, text, attachments, timestamp = Date.now() }) {
  const message = { mid };
  if (text !== undefined) message.text = text;
  if (attachments) message.attachments = attachments;
  return {
    object: 'instagram',
    entry: [
      {
        id: igId,
        time: timestamp,
        messaging: [{ sender: { id: userId }, recipient: { id: igId }, timestamp, message }],
      },
    ],
  };
}

export function signature(rawBody, secret) {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** POSTs the payload signed with `secret`; returns {status, text}. */
export async function postWebhook(url, payload, secret) {
  const raw = JSON.stringify(payload);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Hub-Signature-256': signature(raw, secret) },
    body: raw,
  });
  return { status: response.status, text: await response.text() };
}
