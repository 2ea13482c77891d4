import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  agentTabs,
  channelsFromList,
  connectFormModel,
  connectLinkOf,
  defaultTab,
  findChannel,
  isChannelName,
  kFallbackChannels,
  resolveAgentRoute,
  resolveChannel,
  resolveTab,
  sendRules,
  validateConnectForm,
} from '../src/lib/channels.js';

const kReplyWindowMs = 24 * 60 * 60 * 1000;
const kHumanAgentWindowMs = 7 * 24 * 60 * 60 * 1000;

// As GET /api/database/:sub/channels answers it: sorted by name.
const kList = {
  channels: [
    {
      name: 'instagram',
      displayName: 'Instagram',
      connectFields: [
        { name: 'accessToken', label: 'Access token', required: true, secret: true },
        { name: 'instagramAccountId', label: 'Instagram id', required: true, secret: false },
      ],
      maxTextBytes: 1000,
      replyWindowMs: kReplyWindowMs,
      messageTags: ['HUMAN_AGENT'],
      taggedWindowMs: kHumanAgentWindowMs,
      sendsAttachments: true,
      sendsSenderActions: true,
      oauthConnect: true,
    },
    {
      name: 'messenger',
      displayName: 'Messenger',
      connectFields: [
        { name: 'pageAccessToken', label: 'Page access token', required: true, secret: true },
        { name: 'pageId', label: 'Page id', required: true, secret: false },
        { name: 'webhookSecret', label: 'Webhook secret', required: false, secret: true },
      ],
      maxTextBytes: 2000,
      replyWindowMs: kReplyWindowMs,
      messageTags: ['HUMAN_AGENT'],
      taggedWindowMs: kHumanAgentWindowMs,
      sendsAttachments: true,
      sendsSenderActions: true,
      oauthConnect: false,
    },
    { name: 'a_chat', displayName: 'Zulu chat', connectFields: [] },
    { name: 'b_chat', displayName: 'alpha chat' },
  ],
};

const names = (channels) => channels.map((c) => c.name);

test('channelsFromList puts Instagram first, then orders by display name', () => {
  assert.deepEqual(names(channelsFromList(kList)), ['instagram', 'b_chat', 'messenger', 'a_chat']);
  // Without Instagram the display names alone decide; equal ones fall back to the name.
  const twins = {
    channels: [
      { name: 'zz', displayName: 'Chat' },
      { name: 'aa', displayName: 'Chat' },
      { name: 'mm', displayName: 'Beta' },
    ],
  };
  assert.deepEqual(names(channelsFromList(twins)), ['mm', 'aa', 'zz']);
});

test('channelsFromList keeps what it needs and drops what it cannot use', () => {
  const list = channelsFromList({
    channels: [
      { name: 'Bad Name' },
      { name: 'settings', displayName: 'Clash with a page tab' },
      { name: 'conversations' },
      null,
      'messenger',
      { name: 'web', displayName: '  ' },
      { name: 'web', displayName: 'Second web' },
    ],
  });
  assert.equal(list.length, 1);
  const [web] = list;
  assert.equal(web.displayName, 'web');
  assert.deepEqual(web.connectFields, []);
  assert.equal(web.maxTextBytes, 1000);
  assert.equal(web.replyWindowMs, 0);
  assert.deepEqual(web.messageTags, []);
  assert.equal(web.sendsAttachments, false);
  assert.deepEqual(channelsFromList(null), []);
  assert.deepEqual(channelsFromList({ channels: 'x' }), []);
});

test('connect fields default to required, not secret, labelled by their name', () => {
  const [only] = channelsFromList({
    channels: [
      {
        name: 'web',
        connectFields: [
          { name: 'token' },
          { name: 'token', label: 'Repeated' },
          { label: 'No name' },
          { name: 'hint', label: 'Hint', required: false, secret: true },
        ],
      },
    ],
  });
  assert.deepEqual(only.connectFields, [
    { name: 'token', label: 'token', required: true, secret: false },
    { name: 'hint', label: 'Hint', required: false, secret: true },
  ]);
});

test('agentTabs: a tab per channel, then Conversations and Settings', () => {
  const channels = channelsFromList(kList);
  const tabs = agentTabs(channels);
  assert.deepEqual(
    tabs.map((t) => [t.id, t.label]),
    [
      ['instagram', 'Instagram'],
      ['b_chat', 'alpha chat'],
      ['messenger', 'Messenger'],
      ['a_chat', 'Zulu chat'],
      ['conversations', 'Conversations'],
      ['settings', 'Settings'],
    ],
  );
  assert.equal(tabs[2].channel.name, 'messenger');
  assert.equal(tabs[4].channel, null);
  assert.deepEqual(
    agentTabs([]).map((t) => t.id),
    ['conversations', 'settings'],
  );
});

test('the default tab is the first channel, and unknown tabs fall back to it', () => {
  const channels = channelsFromList(kList);
  assert.equal(defaultTab(channels), 'instagram');
  assert.equal(resolveTab('messenger', channels), 'messenger');
  assert.equal(resolveTab('settings', channels), 'settings');
  assert.equal(resolveTab('telegram', channels), 'instagram');
  const messengerOnly = channelsFromList({ channels: [kList.channels[1]] });
  assert.equal(defaultTab(messengerOnly), 'messenger');
  assert.equal(resolveTab('instagram', messengerOnly), 'messenger');
  assert.equal(defaultTab([]), 'conversations');
  assert.equal(resolveTab('instagram', []), 'conversations');
});

test('resolveChannel keeps a loaded channel, else takes the first', () => {
  const channels = channelsFromList(kList);
  assert.equal(resolveChannel('messenger', channels), 'messenger');
  assert.equal(resolveChannel('telegram', channels), 'instagram');
  assert.equal(resolveChannel('', channels), 'instagram');
  assert.equal(resolveChannel('instagram', []), '');
  assert.equal(findChannel(channels, 'messenger').displayName, 'Messenger');
  assert.equal(findChannel(channels, 'nope'), null);
});

test('the fallback is the Instagram tab alone', () => {
  assert.deepEqual(names(channelsFromList({ channels: kFallbackChannels })), ['instagram']);
  assert.deepEqual(
    agentTabs(kFallbackChannels).map((t) => t.id),
    ['instagram', 'conversations', 'settings'],
  );
});

test("the fallback sends as the Instagram plugin's description does", () => {
  const [instagram] = channelsFromList(kList);
  const [fallback] = channelsFromList({ channels: kFallbackChannels });
  assert.deepEqual(sendRules(fallback), sendRules(instagram));
  assert.deepEqual(sendRules(fallback), {
    maxTextBytes: 1000,
    sendsAttachments: true,
    tag: 'HUMAN_AGENT',
    replyWindowMs: kReplyWindowMs,
    taggedWindowMs: kHumanAgentWindowMs,
  });
});

test('connectFormModel: ids per channel and field, secrets as password inputs', () => {
  const messenger = findChannel(channelsFromList(kList), 'messenger');
  assert.deepEqual(connectFormModel(messenger), [
    {
      name: 'pageAccessToken',
      id: 'messenger-connect-pageAccessToken',
      label: 'Page access token',
      type: 'password',
      required: true,
    },
    {
      name: 'pageId',
      id: 'messenger-connect-pageId',
      label: 'Page id',
      type: 'text',
      required: true,
    },
    {
      name: 'webhookSecret',
      id: 'messenger-connect-webhookSecret',
      label: 'Webhook secret',
      type: 'password',
      required: false,
    },
  ]);
  // A member name that is not usable in an id still gives a valid one.
  const [odd] = connectFormModel({ name: 'web', connectFields: [{ name: 'a b.c', label: 'X' }] });
  assert.equal(odd.id, 'web-connect-a_b_c');
  assert.equal(odd.name, 'a b.c');
});

test('validateConnectForm names missing required fields and sends trimmed values', () => {
  const model = connectFormModel(findChannel(channelsFromList(kList), 'messenger'));
  const empty = validateConnectForm(model, {});
  assert.deepEqual(empty.errors, {
    pageAccessToken: 'Page access token is required.',
    pageId: 'Page id is required.',
  });
  const blank = validateConnectForm(model, { pageAccessToken: '   ', pageId: '42' });
  assert.deepEqual(Object.keys(blank.errors), ['pageAccessToken']);
  const filled = validateConnectForm(model, {
    pageAccessToken: ' EAAG-1 ',
    pageId: '42',
    webhookSecret: '',
    unrelated: 'x',
  });
  assert.deepEqual(filled.errors, {});
  assert.deepEqual(filled.body, { pageAccessToken: 'EAAG-1', pageId: '42' });
});

test("sendRules: the channel's limits, its first tag, no tagged window without a tag", () => {
  const channels = channelsFromList(kList);
  assert.deepEqual(sendRules(findChannel(channels, 'messenger')), {
    maxTextBytes: 2000,
    sendsAttachments: true,
    tag: 'HUMAN_AGENT',
    replyWindowMs: kReplyWindowMs,
    taggedWindowMs: kHumanAgentWindowMs,
  });
  assert.deepEqual(
    sendRules({ ...findChannel(channels, 'a_chat'), taggedWindowMs: 5000 }),
    { maxTextBytes: 1000, sendsAttachments: false, tag: '', replyWindowMs: 0, taggedWindowMs: 0 },
  );
  // The loaded description wins over the fallback's values.
  const instagram = { ...findChannel(channels, 'instagram'), maxTextBytes: 640 };
  assert.equal(sendRules(instagram).maxTextBytes, 640);
});

test('isChannelName accepts what the host allows', () => {
  for (const name of ['instagram', 'web_chat', 'x-1', 'a'.repeat(32)])
    assert.ok(isChannelName(name), name);
  for (const name of ['', 'A', '_x', '1x', 'a'.repeat(33), 'a b', undefined, 7])
    assert.ok(!isChannelName(name), String(name));
});

test('connectLinkOf keeps an http(s) link and an image data URL, nothing else', () => {
  const png = 'data:image/png;base64,iVBORw0KGgo=';
  assert.deepEqual(
    connectLinkOf({
      qrCode: 'https://m.me/acme',
      qrCodeDataUrl: png,
      username: 'acme',
      alreadyConnected: true,
    }),
    { link: 'https://m.me/acme', image: png, username: 'acme', alreadyConnected: true },
  );
  assert.deepEqual(connectLinkOf({ qrCode: 'https://m.me/acme' }), {
    link: 'https://m.me/acme',
    image: '',
    username: '',
    alreadyConnected: false,
  });
  assert.equal(connectLinkOf({ qrCode: 'javascript:alert(1)' }), null);
  assert.equal(connectLinkOf({ qrCode: ' javascript:alert(1)' }), null);
  assert.deepEqual(connectLinkOf({ qrCode: 'JavaScript:alert(1)', qrCodeDataUrl: png }), {
    link: '',
    image: png,
    username: '',
    alreadyConnected: false,
  });
  assert.equal(connectLinkOf({ qrCodeDataUrl: 'data:text/html;base64,PGI+' }), null);
  assert.equal(connectLinkOf({ alreadyConnected: true }), null);
  assert.equal(connectLinkOf(null), null);
});

test('resolveAgentRoute replaces what the loaded channels do not have', () => {
  const both = channelsFromList(kList);
  const messengerOnly = channelsFromList({ channels: [kList.channels[1]] });
  const route = (tab, extra = {}) => ({ view: 'agent', agentId: 'a', tab, ...extra });
  const chat = route('conversations', { channel: 'messenger', chatId: 'p1' });
  assert.deepEqual(resolveAgentRoute(chat, both), chat);
  assert.deepEqual(
    resolveAgentRoute(route('instagram', { chatId: '', channel: '' }), messengerOnly),
    route('messenger', { chatId: '', channel: '' }),
  );
  // An old Instagram chat link on a host without Instagram: the conversations of the default
  // channel, without the chat.
  const oldLink = route('conversations', { channel: 'instagram', chatId: '1784' });
  assert.deepEqual(
    resolveAgentRoute(oldLink, messengerOnly),
    route('conversations', { channel: 'messenger', chatId: '' }),
  );
  // A tab without a channel in the route (the Conversations tab was clicked).
  assert.deepEqual(
    resolveAgentRoute(route('conversations'), both),
    route('conversations', { channel: 'instagram', chatId: '' }),
  );
  assert.deepEqual(
    resolveAgentRoute(route('telegram', { chatId: '', channel: '' }), both),
    route('instagram', { chatId: '', channel: '' }),
  );
});
