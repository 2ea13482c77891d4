// The page's own routes, kept in the address bar so reload and the back button work.

/** Parses a path into {view, agentId, tab, chatId}. Unknown paths show the agent list. */
export function parseRoute(pathname) {
  const parts = (pathname || '/').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'agents' || parts.length < 2) return { view: 'list' };
  if (parts[1] === 'new' && parts.length === 2) return { view: 'new' };
  const tabs = ['instagram', 'conversations', 'settings'];
  const tab = tabs.includes(parts[2]) ? parts[2] : 'instagram';
  const chatId = tab === 'conversations' && parts[3] ? parts[3] : '';
  return { view: 'agent', agentId: parts[1], tab, chatId };
}

export function routePath(route) {
  const enc = encodeURIComponent;
  if (route.view === 'new') return '/agents/new';
  if (route.view !== 'agent') return '/';
  let path = `/agents/${enc(route.agentId)}`;
  if (route.tab && route.tab !== 'instagram') path += `/${route.tab}`;
  if (route.tab === 'conversations' && route.chatId) path += `/${enc(route.chatId)}`;
  return path;
}
