// Instagram platform features in a real browser against a real host and the fake Graph API:
// "Connect with Instagram" through the fake's consent page and back, at desktop and phone widths;
// a person answering in a thread with the HUMAN_AGENT tag and media by URL; and a slow http
// agent's seen and typing signals. What reached the Graph API is read from the fake.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startAgentEndpoint } from './support/agent_endpoint.mjs';
import { horizontalOverflow, kDesktop, kPhone, openBrowser } from './support/browser.mjs';
import { waitFor } from './support/process.mjs';
import { screenshot } from './support/screenshots.mjs';
import { kAppId, kAppSecret, startStack } from './support/stack.mjs';
import { messageEvent, postWebhook } from './support/webhook.mjs';

const kSub = 'default'; // the dashboard's choice for a token that grants every subaccount
const kDayMs = 24 * 60 * 60 * 1000;
const kLoginAccount = {
  token: 'IGAA-e2e-login',
  igId: '17841400000000011',
  pageId: '100000000000011',
  username: 'login_boutique',
};
const kThreadAccount = {
  token: 'IGAA-e2e-thread',
  igId: '17841400000000012',
  pageId: '100000000000012',
  username: 'thread_boutique',
};
const kReconnectAccount = {
  token: 'IGAA-e2e-reconnect',
  igId: '17841400000000013',
  pageId: '100000000000013',
  username: 'reconnect_boutique',
};

let stack;

before(async () => {
  stack = await startStack({ instagramLogin: true, agentNetworks: true });
  for (const account of [kLoginAccount, kThreadAccount, kReconnectAccount]) {
    const added = await fake('POST', '/_fake/accounts', account);
    assert.equal(added.status, 200, JSON.stringify(added.body));
  }
});

after(async () => {
  await stack?.stop();
});

async function api(method, path, body) {
  const response = await fetch(stack.baseUrl + path, {
    method,
    headers: { Authorization: `Bearer ${stack.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** A call to the fake Graph API's control routes. */
async function fake(method, path, body) {
  const response = await fetch(stack.fakeUrl + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

/** What the fake's consent page grants from now on: `account`, to this host's app. */
async function grantAtConsent(account) {
  const r = await fake('POST', '/_fake/oauth', {
    appId: kAppId,
    appSecret: kAppSecret,
    grantToken: account.token,
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

const agentPath = (agentId, rest = '') =>
  `/api/database/${kSub}/chat-agents/${agentId}${rest ? `/instagram/${rest}` : ''}`;

async function createAgent(id, type, config) {
  const created = await api('POST', `/api/database/${kSub}/chat-agents`, {
    id,
    name: `Agent ${id}`,
    type,
    config,
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
}

async function signIn(page) {
  await page.goto(`${stack.baseUrl}/#token=${stack.token}`);
  await page.getByRole('heading', { name: 'Agents', level: 2 }).waitFor();
}

test('"Connect with Instagram" goes to the consent page and comes back connected', async () => {
  await createAgent('login-bot', 'rules', { rules: [{ match: 'hello', reply: 'Hi!' }] });
  await grantAtConsent(kLoginAccount);
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  const navigations = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest()) navigations.push(request.url());
  });
  try {
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/login-bot`);
    await page.locator('.status--off', { hasText: 'Not connected' }).waitFor();
    // The token form is still there, folded under "Advanced".
    assert.equal(await page.locator('details.token-connect').evaluate((d) => d.open), false);
    const startedAt = Date.now();
    await page.getByRole('button', { name: 'Connect with Instagram' }).click();

    // Instagram (the fake) asks for consent, then sends the browser back through the host.
    const banner = page.getByTestId('connect-result');
    await banner.filter({ hasText: `Instagram connected as @${kLoginAccount.username}` }).waitFor();
    assert.ok(
      navigations.some((url) => url.startsWith(`${stack.fakeUrl}/oauth/authorize?`)),
      `the consent page was not visited: ${navigations.join(' ')}`,
    );
    assert.ok(
      navigations.some((url) => url.startsWith(`${stack.baseUrl}/oauth/instagram/callback?code=`)),
      `the callback was not visited: ${navigations.join(' ')}`,
    );
    const here = new URL(page.url());
    assert.equal(here.pathname, '/agents/login-bot');
    assert.equal(here.search, '', 'the outcome is removed from the address bar');

    await page.locator('.status--on', { hasText: 'Connected' }).waitFor();
    await page.locator('.account-username', { hasText: `@${kLoginAccount.username}` }).waitFor();
    await page.locator('.token-expiry', { hasText: 'Token renews automatically' }).waitFor();
    await page.getByRole('link', { name: `https://ig.me/m/${kLoginAccount.username}` }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Connect with Instagram' }).count(), 0);

    const status = (await api('GET', agentPath('login-bot', 'status'))).body.data;
    assert.equal(status.isConnected, true);
    assert.equal(status.isActive, true);
    assert.equal(status.accountInfo.id, kLoginAccount.igId);
    assert.ok(status.accountInfo.tokenExpiresAt >= startedAt + 59 * kDayMs, 'a 60-day token');
    const subscribed = (await fake('GET', '/_fake/subscriptions')).body.subscriptions;
    assert.deepEqual(subscribed[kLoginAccount.igId], [
      'messages',
      'messaging_postbacks',
      'messaging_seen',
      'messaging_referral',
      'message_reactions',
    ]);
    await screenshot(page, 'instagram-oauth-connected-desktop');

    await page.setViewportSize(kPhone);
    await banner.filter({ hasText: 'Instagram connected as' }).waitFor();
    assert.equal(await horizontalOverflow(page), 0, 'no sideways scroll at 390 px');
    await screenshot(page, 'instagram-oauth-connected-phone');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

/** The sign-in without a browser: start, the consent page, the callback, redirects not followed. */
async function connectWithInstagram(agentId) {
  const started = await api('POST', agentPath(agentId, 'oauth/start'), {});
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const consent = await fetch(started.body.data.authorizeUrl, { redirect: 'manual' });
  assert.equal(consent.status, 302);
  const back = new URL(consent.headers.get('location'));
  back.hash = '';
  // The sign-in cookie start set, sent back as the starting browser would.
  const cookie = (started.headers.get('set-cookie') || '').split(';')[0];
  const done = await fetch(back, { redirect: 'manual', headers: { Cookie: cookie } });
  assert.equal(done.status, 302);
  assert.equal(
    done.headers.get('location'),
    `/agents/${agentId}?connect=instagram&result=connected`,
  );
}

test('a connection Instagram no longer accepts offers Reconnect, which signs in again', async () => {
  await createAgent('reconnect-bot', 'rules', { rules: [{ match: 'hello', reply: 'Hi!' }] });
  await grantAtConsent(kReconnectAccount);
  await connectWithInstagram('reconnect-bot');
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  const navigations = [];
  page.on('request', (request) => {
    if (request.isNavigationRequest()) navigations.push(request.url());
  });
  try {
    // The host's status, as it reads once a send was refused for the token.
    const reason = 'Instagram refused the access token.';
    await page.route(
      (url) => url.pathname === agentPath('reconnect-bot', 'status'),
      async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.data = { ...body.data, isActive: false, inactiveReason: reason };
        await route.fulfill({ response, json: body });
      },
    );
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/reconnect-bot`);
    await page.locator('.warn-text', { hasText: `Needs reconnect: ${reason}` }).waitFor();
    const row = page.locator('.reconnect-row');
    await row
      .filter({
        hasText:
          'Instagram no longer accepts this connection; messages are not answered until you ' +
          'reconnect.',
      })
      .waitFor();
    await page
      .locator('.account-username', { hasText: `@${kReconnectAccount.username}` })
      .waitFor();
    await page.locator('.token-expiry', { hasText: 'Token renews automatically' }).waitFor();
    await page
      .getByRole('link', { name: `https://ig.me/m/${kReconnectAccount.username}` })
      .waitFor();

    await row.getByRole('button', { name: 'Reconnect' }).click();
    await page
      .getByTestId('connect-result')
      .filter({ hasText: `Instagram connected as @${kReconnectAccount.username}` })
      .waitFor();
    assert.ok(
      navigations.some((url) => url.startsWith(`${stack.fakeUrl}/oauth/authorize?`)),
      `the consent page was not visited: ${navigations.join(' ')}`,
    );
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('a person answers with the HUMAN_AGENT tag and media; a slow agent shows seen and typing', async () => {
  const slowUser = '5550102';
  const oldUser = '5550101';
  const agent = await startAgentEndpoint({
    delayMs: 1200,
    answer: (turn) => ({
      reply: turn.userId === slowUser ? 'Yes, the green one is in stock.' : '',
    }),
  });
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    await createAgent('thread-bot', 'http', { url: agent.url, timeout_ms: 10000 });
    await grantAtConsent(kThreadAccount);
    await connectWithInstagram('thread-bot');

    // Connected with Instagram Login, the agent's webhook is signed with the app secret.
    const hookUrl = `${stack.baseUrl}${agentPath('thread-bot', 'webhook')}`;
    const deliver = async (event) => {
      const r = await postWebhook(hookUrl, messageEvent(event), kAppSecret);
      assert.equal(r.status, 200, r.text);
    };
    await deliver({
      igId: kThreadAccount.igId,
      userId: oldUser,
      mid: 'm_login_old',
      text: 'Do you have size M?',
      timestamp: Date.now() - 2 * kDayMs,
    });
    await deliver({
      igId: kThreadAccount.igId,
      userId: slowUser,
      mid: 'm_login_slow',
      text: 'Is the green one in stock?',
    });

    // The slow agent: seen at once, typing while it thinks, then its reply.
    const reply = await waitFor(
      async () =>
        (await fake('GET', '/_fake/sent')).body.sent.find((s) => s.recipientId === slowUser),
      { what: 'the slow agent reply at the fake', timeoutMs: 20000 },
    );
    assert.equal(reply.text, 'Yes, the green one is in stock.');
    assert.equal(reply.tag, '');
    const signals = (await fake('GET', '/_fake/sent')).body.actions.filter(
      (a) => a.recipientId === slowUser,
    );
    assert.deepEqual(
      signals.map((a) => a.action),
      ['mark_seen', 'typing_on'],
    );
    assert.ok(signals[1].atMs <= reply.atMs, 'typing shows before the reply');

    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/thread-bot`);
    await page.getByRole('tab', { name: 'Conversations' }).click();
    const oldChat = page.locator('.chat-item', { hasText: oldUser });
    await oldChat.waitFor();
    await oldChat.click();
    const thread = page.locator('.messages');
    await thread.locator('.message--in', { hasText: 'Do you have size M?' }).waitFor();
    await page
      .locator('.window-note--human_agent', { hasText: 'human agent replies until' })
      .waitFor();

    // Past 24 hours the box asks for the tag before sending.
    const text = 'A person here: size M is back tomorrow.';
    await page.getByLabel('Message', { exact: true }).fill(text);
    const send = page.getByRole('button', { name: 'Send', exact: true });
    await send.click();
    await page.getByText('tick "Send as human agent" to answer', { exact: false }).waitFor();
    const tag = page.getByLabel('Send as human agent (HUMAN_AGENT tag)');
    await tag.check();
    await send.click();
    await thread.locator('.message--out', { hasText: text }).waitFor();
    const tagged = await waitFor(
      async () => (await fake('GET', '/_fake/sent')).body.sent.find((s) => s.text === text),
      { what: 'the tagged message at the fake' },
    );
    assert.equal(tagged.recipientId, oldUser);
    assert.equal(tagged.kind, 'text');
    assert.equal(tagged.messagingType, 'MESSAGE_TAG');
    assert.equal(tagged.tag, 'HUMAN_AGENT');

    // Media by URL: a picture at another origin, as Instagram's CDN is.
    const image = agent.photoUrl;
    await page.getByRole('button', { name: 'Attach media by URL' }).click();
    assert.equal(await page.getByLabel('Media type').inputValue(), 'image');
    await page.getByLabel('Media URL').fill(image);
    assert.equal(await tag.isChecked(), true, 'the tag stays ticked for the next message');
    await send.click();
    const picture = thread.locator('.message--out img.attachment-image');
    await picture.waitFor();
    assert.equal(await picture.getAttribute('src'), image);
    assert.ok(await picture.evaluate((img) => img.complete && img.naturalWidth === 120), 'loads');
    assert.equal(await thread.locator('.attachment-placeholder').count(), 0);
    const media = await waitFor(
      async () =>
        (await fake('GET', '/_fake/sent')).body.sent.find(
          (s) => s.kind === 'attachment' && s.recipientId === oldUser,
        ),
      { what: 'the image at the fake' },
    );
    assert.equal(media.attachmentType, 'image');
    assert.equal(media.attachmentUrl, image);
    assert.equal(media.messagingType, 'MESSAGE_TAG');
    assert.equal(media.tag, 'HUMAN_AGENT');
    await screenshot(page, 'conversation-human-agent-desktop');

    // The slow agent's conversation shows its reply; typing and seen are not messages.
    await page.locator('.chat-item', { hasText: slowUser }).click();
    await thread.locator('.message--out', { hasText: 'Yes, the green one is in stock.' }).waitFor();
    assert.equal(await thread.locator('.message').count(), 2);
    assert.equal(agent.turns.filter((t) => t.userId === slowUser).length, 1);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
    await agent.close();
  }
});
