// The page's own routes, kept in the address bar so reload and the back button work.
//
// /agents/:id                      the agent's first tab (Instagram's when it is loaded)
// /agents/:id/:tab                 a channel's tab (its name), conversations or settings
// /agents/:id/conversations/:chat  a chat; ?channel=<name> for a channel other than Instagram
//
// Tab and channel names are only checked for shape here; the agent page falls back to its
// default tab once it knows which channels the host has loaded (lib/channels.js).

import { isChannelName, kPreferredChannel } from './channels.js';

/** The API page: the host's OpenAPI description, drawn by ApiPage.jsx. */
export const kApiPagePath = '/api-docs';

/** The tab and conversation channel a link means when it names none. */
export const kUrlDefaultTab = kPreferredChannel;

function decodeParts(pathname) {
  try {
    return (pathname || '/').split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null; // a malformed %-escape: not one of the page's routes
  }
}

/**
 * Parses a path (and its query) into {view, agentId, tab, chatId, channel}. Unknown paths show
 * the agent list. `channel` is the conversations' channel ('' on other tabs).
 */
export function parseRoute(pathname, search = '') {
  const parts = decodeParts(pathname);
  if (parts && parts.length === 1 && `/${parts[0]}` === kApiPagePath) return { view: 'api' };
  if (!parts || parts[0] !== 'agents' || parts.length < 2) return { view: 'list' };
  if (parts[1] === 'new' && parts.length === 2) return { view: 'new' };
  const tab = isChannelName(parts[2]) ? parts[2] : kUrlDefaultTab;
  if (tab !== 'conversations')
    return { view: 'agent', agentId: parts[1], tab, chatId: '', channel: '' };
  const named = new URLSearchParams(search || '').get('channel');
  const channel = isChannelName(named) ? named : kUrlDefaultTab;
  return { view: 'agent', agentId: parts[1], tab, chatId: parts[3] || '', channel };
}

/** The path (with ?channel= when it is needed) of a route; the inverse of parseRoute. */
export function routePath(route) {
  const enc = encodeURIComponent;
  if (route.view === 'new') return '/agents/new';
  if (route.view === 'api') return kApiPagePath;
  if (route.view !== 'agent') return '/';
  let path = `/agents/${enc(route.agentId)}`;
  if (route.tab && route.tab !== kUrlDefaultTab) path += `/${enc(route.tab)}`;
  if (route.tab !== 'conversations') return path;
  if (route.chatId) path += `/${enc(route.chatId)}`;
  if (route.channel && route.channel !== kUrlDefaultTab) path += `?channel=${enc(route.channel)}`;
  return path;
}
