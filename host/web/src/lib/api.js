// The REST client: the envelope {success, data} | {success:false, message, code} turned into a
// value or an ApiError, and the paths of the routes the page calls.

export class ApiError extends Error {
  constructor(status, code, message, meta) {
    super(message);
    this.status = status;
    this.code = code;
    this.meta = meta || null;
  }
}

/** Turns a fetch answer's status and text into data, or throws ApiError with words for people. */
export function parseEnvelope(status, text) {
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (body && typeof body === 'object' && body.success === true) return body.data ?? {};
  if (body && typeof body === 'object' && body.success === false) {
    throw new ApiError(
      status,
      body.code || 'ERROR',
      body.message || `The request failed (HTTP ${status}).`,
      body.meta,
    );
  }
  throw new ApiError(status, 'BAD_RESPONSE', `Unexpected answer from the server (HTTP ${status}).`);
}

/**
 * A client bound to one token. onUnauthorized(error) is called for every 401 UNAUTHORIZED, so the
 * page can go back to sign-in; the error is still thrown to the caller.
 */
export function createApi({ token, onUnauthorized = () => {}, fetchImpl = fetch }) {
  async function request(method, path, body) {
    const headers = { Accept: 'application/json', Authorization: `Bearer ${token}` };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetchImpl(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'Could not reach the server. Is chathost running?');
    }
    const text = await response.text();
    try {
      return parseEnvelope(response.status, text);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401 && error.code === 'UNAUTHORIZED')
        onUnauthorized(error);
      throw error;
    }
  }
  return {
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body),
    del: (path) => request('DELETE', path),
  };
}

const enc = encodeURIComponent;

/** path?key=value&... for the params that are set (undefined, null and '' are left out). */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params || {}))
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

export const paths = {
  agents: (sub) => `/api/database/${enc(sub)}/chat-agents`,
  agent: (sub, agentId) => `/api/database/${enc(sub)}/chat-agents/${enc(agentId)}`,
  /** The channels the host has loaded, each with its self-description. */
  channels: (sub) => `/api/database/${enc(sub)}/channels`,
  /** A channel's route for one agent: connect, status, send, messages, disconnect... */
  channel: (sub, agentId, channel, op) =>
    `/api/database/${enc(sub)}/chat-agents/${enc(agentId)}/${enc(channel)}/${op}`,
  instagram: (sub, agentId, op) => paths.channel(sub, agentId, 'instagram', op),
  /** A channel's chat list, each chat with only its last message. */
  chats: (sub, agentId, { channel = 'instagram', limit = 50, skip = 0 } = {}) =>
    withQuery(paths.channel(sub, agentId, channel, 'messages'), { limit, skip, messageLimit: 1 }),
  /** One chat's messages: the newest page, or the page before seq `before`. */
  chatMessages: (sub, agentId, chatId, { channel = 'instagram', limit = 50, before } = {}) =>
    withQuery(paths.channel(sub, agentId, channel, `messages/${enc(chatId)}`), { limit, before }),
};

/** The webhook callback URL to paste into the platform's app settings. */
export function webhookUrl(origin, sub, agentId, channel = 'instagram') {
  return origin + paths.channel(sub, agentId, channel, 'webhook');
}
