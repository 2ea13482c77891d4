import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRoute, routePath } from '../src/lib/route.js';

const agent = (tab, extra = {}) => ({
  view: 'agent',
  agentId: 'bot-1',
  tab,
  chatId: '',
  channel: '',
  ...extra,
});

test('routes round-trip through the address bar', () => {
  const cases = [
    { view: 'list' },
    { view: 'new' },
    agent('instagram'),
    agent('messenger'),
    agent('settings'),
    agent('conversations', { channel: 'instagram' }),
    agent('conversations', { agentId: 'bot 1', chatId: 'c/1', channel: 'instagram' }),
    agent('conversations', { channel: 'messenger' }),
    agent('conversations', { chatId: '2500', channel: 'messenger' }),
  ];
  for (const route of cases) {
    const path = routePath(route);
    const [pathname, query] = path.split('?');
    assert.deepEqual(parseRoute(pathname, query ? `?${query}` : ''), route, path);
  }
});

test('the links of the page before channel tabs keep their meaning', () => {
  assert.deepEqual(parseRoute('/agents/bot-1'), agent('instagram'));
  assert.deepEqual(parseRoute('/agents/bot-1/settings'), agent('settings'));
  assert.deepEqual(
    parseRoute('/agents/bot-1/conversations/17841'),
    agent('conversations', { chatId: '17841', channel: 'instagram' }),
  );
  assert.equal(routePath(agent('instagram')), '/agents/bot-1');
  assert.equal(
    routePath(agent('conversations', { chatId: '17841', channel: 'instagram' })),
    '/agents/bot-1/conversations/17841',
  );
});

test('any channel name is a tab; other chats name their channel in the query', () => {
  assert.equal(parseRoute('/agents/bot-1/messenger').tab, 'messenger');
  assert.equal(parseRoute('/agents/bot-1/web_chat-2').tab, 'web_chat-2');
  assert.equal(routePath(agent('messenger')), '/agents/bot-1/messenger');
  assert.equal(
    routePath(agent('conversations', { chatId: 'p 1', channel: 'messenger' })),
    '/agents/bot-1/conversations/p%201?channel=messenger',
  );
  assert.equal(
    routePath(agent('conversations', { channel: 'messenger' })),
    '/agents/bot-1/conversations?channel=messenger',
  );
  assert.deepEqual(
    parseRoute('/agents/bot-1/conversations/p1', '?channel=messenger&x=1'),
    agent('conversations', { chatId: 'p1', channel: 'messenger' }),
  );
  // The channel matters only in conversations.
  assert.equal(routePath(agent('settings', { channel: 'messenger' })), '/agents/bot-1/settings');
  assert.equal(parseRoute('/agents/bot-1/settings', '?channel=messenger').channel, '');
});

test('names that cannot be a channel fall back to the default tab and channel', () => {
  for (const tab of ['Instagram', '1abc', 'a b', 'x'.repeat(33), 'café'])
    assert.equal(parseRoute(`/agents/bot-1/${encodeURIComponent(tab)}`).tab, 'instagram', tab);
  assert.equal(parseRoute('/agents/bot-1/conversations', '?channel=Bad!').channel, 'instagram');
  assert.equal(parseRoute('/agents/bot-1/conversations', '?channel=').channel, 'instagram');
  // A chat id is kept only in conversations.
  assert.equal(parseRoute('/agents/bot-1/messenger/123').chatId, '');
});

test('paths that are not the page routes show the agent list, never throw', () => {
  assert.deepEqual(parseRoute('/something/else'), { view: 'list' });
  assert.deepEqual(parseRoute('/agents'), { view: 'list' });
  assert.deepEqual(parseRoute(''), { view: 'list' });
  assert.deepEqual(parseRoute('/agents/%E0%A4%A'), { view: 'list' });
  assert.deepEqual(parseRoute('/agents/new'), { view: 'new' });
});
