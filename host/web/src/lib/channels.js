// The channels the host has loaded, as the agent page shows them: a tab per channel, the
// default tab, the connect form each channel describes, and what its send box allows. Built from
// GET /api/database/:sub/channels, so a new channel plugin needs no change here.

import { safeUrl } from './url.js';

/** A channel's name as the host allows it (also its path segment and its tab's name). */
export const kChannelNamePattern = /^[a-z][a-z0-9_-]{0,31}$/;

/** The agent page's own tabs, after the channels'. A channel with one of these names gets none. */
export const kPageTabs = [
  { id: 'conversations', label: 'Conversations' },
  { id: 'settings', label: 'Settings' },
];

/** The channel whose tab comes first, and which old links without a channel mean. */
export const kPreferredChannel = 'instagram';

/**
 * The channel list used only when GET .../channels could not be read: Instagram alone, as the
 * page worked before channels were listed. It mirrors the Instagram plugin's own description
 * (plugins/instagram: InstagramChannel::describe; tests/e2e/channels.test.mjs compares the two);
 * whenever the list loads, its values are used.
 */
export const kFallbackChannels = [
  {
    name: 'instagram',
    displayName: 'Instagram',
    connectFields: [],
    maxTextBytes: 1000,
    replyWindowMs: 24 * 60 * 60 * 1000,
    messageTags: ['HUMAN_AGENT'],
    taggedWindowMs: 7 * 24 * 60 * 60 * 1000,
    sendsAttachments: true,
    sendsSenderActions: true,
    oauthConnect: false,
  },
];

/** The SDK's default text limit (ChannelDescription::maxTextBytes), for an entry without one. */
const kDefaultMaxTextBytes = 1000;

export function isChannelName(text) {
  return typeof text === 'string' && kChannelNamePattern.test(text);
}

const isPageTab = (name) => kPageTabs.some((t) => t.id === name);
const text = (value, fallback) => (typeof value === 'string' && value.trim() ? value : fallback);
const count = (value, fallback) =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : fallback;

function connectFieldsOf(list) {
  const seen = new Set();
  const fields = [];
  for (const f of Array.isArray(list) ? list : []) {
    if (!f || typeof f !== 'object' || !text(f.name, '') || seen.has(f.name)) continue;
    seen.add(f.name);
    fields.push({
      name: f.name,
      label: text(f.label, f.name),
      required: f.required !== false,
      secret: f.secret === true,
    });
  }
  return fields;
}

function channelOf(item) {
  return {
    name: item.name,
    displayName: text(item.displayName, item.name),
    connectFields: connectFieldsOf(item.connectFields),
    maxTextBytes: count(item.maxTextBytes, kDefaultMaxTextBytes),
    replyWindowMs: count(item.replyWindowMs, 0),
    messageTags: Array.isArray(item.messageTags)
      ? item.messageTags.filter((t) => typeof t === 'string' && t)
      : [],
    taggedWindowMs: count(item.taggedWindowMs, 0),
    sendsAttachments: item.sendsAttachments === true,
    sendsSenderActions: item.sendsSenderActions === true,
    oauthConnect: item.oauthConnect === true,
  };
}

/**
 * The channels of the API's answer ({channels: [...]}) in tab order: Instagram first when it is
 * loaded, then by display name. Entries without a usable name, with a page tab's name, or
 * repeated are left out; missing members get safe defaults.
 */
export function channelsFromList(data) {
  const list = data && Array.isArray(data.channels) ? data.channels : [];
  const byName = new Map();
  for (const item of list)
    if (item && isChannelName(item.name) && !isPageTab(item.name) && !byName.has(item.name))
      byName.set(item.name, channelOf(item));
  return [...byName.values()].sort(compareChannels);
}

function compareChannels(a, b) {
  if (a.name === kPreferredChannel) return -1;
  if (b.name === kPreferredChannel) return 1;
  const byLabel = a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base' });
  return byLabel || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}

/** [{id, label, channel}]: a tab per channel (channel set), then Conversations and Settings. */
export function agentTabs(channels) {
  return [
    ...(channels || []).map((c) => ({ id: c.name, label: c.displayName, channel: c })),
    ...kPageTabs.map((t) => ({ ...t, channel: null })),
  ];
}

/** The tab a bare agent link opens: the first channel's, or Conversations without channels. */
export function defaultTab(channels) {
  return channels && channels.length ? channels[0].name : kPageTabs[0].id;
}

/** `tab` when the page has it, else the default tab. */
export function resolveTab(tab, channels) {
  return agentTabs(channels).some((t) => t.id === tab) ? tab : defaultTab(channels);
}

/** The channel whose conversations are shown: `name` when loaded, else the first; '' for none. */
export function resolveChannel(name, channels) {
  const list = channels || [];
  if (list.some((c) => c.name === name)) return name;
  return list.length ? list[0].name : '';
}

/**
 * An agent page's route (lib/route.js) as the page shows it with these channels: an unknown tab
 * becomes the default one, an unknown conversations channel the first channel (and its chat,
 * which belonged to another channel, is dropped).
 */
export function resolveAgentRoute(route, channels) {
  const tab = resolveTab(route.tab, channels);
  if (tab !== 'conversations') return { ...route, tab, chatId: '', channel: '' };
  const channel = resolveChannel(route.channel, channels);
  return { ...route, tab, channel, chatId: channel === route.channel ? route.chatId || '' : '' };
}

export function findChannel(channels, name) {
  return (channels || []).find((c) => c.name === name) || null;
}

/** A string usable inside an element id (connect field names are JSON member names). */
function idPart(value) {
  return String(value).replace(/[^A-Za-z0-9_-]/g, '_');
}

/** The connect form's fields: [{name, id, label, type, required}]; secrets are password inputs. */
export function connectFormModel(channel) {
  const prefix = `${idPart(channel.name)}-connect-`;
  return (channel.connectFields || []).map((f) => ({
    name: f.name,
    id: prefix + idPart(f.name),
    label: f.label,
    type: f.secret ? 'password' : 'text',
    required: f.required,
  }));
}

/**
 * Checks the connect form: required fields must be filled. Returns {errors: {name: message},
 * body}; the body holds the trimmed values that are set (optional empty ones are left out).
 */
export function validateConnectForm(model, values) {
  const errors = {};
  const body = {};
  for (const field of model) {
    const value = String((values || {})[field.name] ?? '').trim();
    if (value) body[field.name] = value;
    else if (field.required) errors[field.name] = `${field.label} is required.`;
  }
  return { errors, body };
}

/**
 * What the send box of a chat on `channel` (one of the loaded channels) allows: {maxTextBytes,
 * sendsAttachments, tag, replyWindowMs, taggedWindowMs}. `tag` is the message tag a person may
 * use after the reply window ('' when the channel has none).
 */
export function sendRules(channel) {
  const tag = channel.messageTags && channel.messageTags.length ? channel.messageTags[0] : '';
  return {
    maxTextBytes: channel.maxTextBytes,
    sendsAttachments: channel.sendsAttachments,
    tag,
    replyWindowMs: channel.replyWindowMs,
    taggedWindowMs: tag ? channel.taggedWindowMs : 0,
  };
}

const kImageDataUrl = /^data:image\/(png|gif|jpeg|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$/;

/**
 * The QR code and link a connect answer carries ({qrCode, qrCodeDataUrl, username}, as the Meta
 * channels answer, and alreadyConnected, which the host adds): {link, image, username,
 * alreadyConnected} with only an http(s) link and an image data URL kept, or null when it has
 * neither.
 */
export function connectLinkOf(answer) {
  if (!answer || typeof answer !== 'object') return null;
  const link = safeUrl(answer.qrCode);
  const image =
    typeof answer.qrCodeDataUrl === 'string' && kImageDataUrl.test(answer.qrCodeDataUrl)
      ? answer.qrCodeDataUrl
      : '';
  if (!link && !image) return null;
  return {
    link,
    image,
    username: typeof answer.username === 'string' ? answer.username : '',
    alreadyConnected: answer.alreadyConnected === true,
  };
}
