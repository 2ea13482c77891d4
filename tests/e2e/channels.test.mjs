// The agent page draws a tab per channel the host reports (GET /api/database/:sub/channels), and
// any channel but Instagram through the generic panel built from the channel's description.
//
// The Messenger channel (when its plugin is built) is shown by its own description and routes.
// The whole connected life of a generic panel is driven against real routes too: the browser is
// shown one more channel, "relay", described with the Instagram channel's connect fields, whose
// requests (.../relay/...) are answered by the host's Instagram routes. So connect, status, QR
// code, conversations, send and disconnect go through the real host and the fake Graph API,
// while the page only knows the channel by its description.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { kFallbackChannels } from '../../host/web/src/lib/channels.js';
import { horizontalOverflow, kDesktop, kPhone, openBrowser } from './support/browser.mjs';
import { waitFor } from './support/process.mjs';
import { screenshot } from './support/screenshots.mjs';
import { kAccount, kPage, kPerson, messengerBuilt, startStack } from './support/stack.mjs';
import { messageEvent, postWebhook } from './support/webhook.mjs';

const kSub = 'default'; // the dashboard's choice for a token that grants every subaccount
const kRelay = { name: 'relay', displayName: 'Relay' };
// The Messenger plugin is part of the build: its absence is a failure, not a reason to test less.
if (!messengerBuilt())
  throw new Error('the Messenger plugin is not built (target chathost_messenger)');
let stack;
let hostChannels; // the host's own answer

before(async () => {
  stack = await startStack({ messenger: true });
  const listed = await api('GET', `/api/database/${kSub}/channels`);
  assert.equal(listed.status, 200, JSON.stringify(listed.body));
  hostChannels = listed.body.data.channels;
  assert.ok(
    hostChannels.some((c) => c.name === 'instagram'),
    'the host reports the Instagram channel',
  );
  assert.ok(hostChannels.some((c) => c.name === 'messenger'), 'and Messenger');
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
  return { status: response.status, body: await response.json() };
}

async function createAgent(id, name) {
  const created = await api('POST', `/api/database/${kSub}/chat-agents`, {
    id,
    name,
    type: 'rules',
    config: { rules: [{ match: 'hello', reply: 'Hello from the relay' }] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
}

async function signIn(page) {
  await page.goto(`${stack.baseUrl}/#token=${stack.token}`);
  await page.getByRole('heading', { name: 'Agents', level: 2 }).waitFor();
}

/** The tab labels in the order the page should show them for a channel list. */
function expectedTabs(channels) {
  const rest = channels
    .filter((c) => c.name !== 'instagram')
    .sort((a, b) => a.displayName.localeCompare(b.displayName, 'en', { sensitivity: 'base' }));
  const first = channels.filter((c) => c.name === 'instagram');
  return [...first, ...rest].map((c) => c.displayName).concat(['Conversations', 'Settings']);
}

async function tabLabels(page) {
  await page.getByRole('tab', { name: 'Settings' }).waitFor();
  return page.getByRole('tab').allInnerTexts();
}

/** Shows the browser the host's channels plus "relay", answered by the Instagram routes. */
async function addRelayChannel(page) {
  const instagram = hostChannels.find((c) => c.name === 'instagram');
  const relay = { ...instagram, ...kRelay, oauthConnect: false };
  await page.route(
    (url) => url.pathname === `/api/database/${kSub}/channels`,
    async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.data.channels.push(relay);
      await route.fulfill({ response, json: body });
    },
  );
  await page.route(
    (url) => /^\/api\/database\/[^/]+\/chat-agents\/[^/]+\/relay\//.test(url.pathname),
    (route) => route.continue({ url: route.request().url().replace('/relay/', '/instagram/') }),
  );
  return relay;
}

test('the agent page shows a tab per channel the host reports, and keeps old links', async () => {
  await createAgent('tabs-bot', 'Tabs bot');
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/tabs-bot`);
    assert.deepEqual(await tabLabels(page), expectedTabs(hostChannels));
    const instagramTab = page.getByRole('tab', { name: 'Instagram' });
    assert.equal(await instagramTab.getAttribute('aria-selected'), 'true');

    // Arrow keys move the selection (and the address) from tab to tab, End and Home jump.
    await instagramTab.focus();
    await page.keyboard.press('End');
    const settings = page.getByRole('tab', { name: 'Settings' });
    assert.equal(await settings.getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'tab-settings');
    assert.match(page.url(), /\/agents\/tabs-bot\/settings$/);
    await page.keyboard.press('ArrowRight');
    assert.equal(await instagramTab.getAttribute('aria-selected'), 'true');
    assert.match(page.url(), /\/agents\/tabs-bot$/);
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('heading', { name: 'Agent settings' }).waitFor();

    // A tab this host does not have falls back to the default one, in the address bar too.
    await page.goto(`${stack.baseUrl}/agents/tabs-bot/telegram`);
    await page.getByRole('tab', { name: 'Instagram', selected: true }).waitFor();
    await waitFor(async () => new URL(page.url()).pathname === '/agents/tabs-bot', {
      what: 'the address of the default tab',
    });

    // Links from before channel tabs still open what they named.
    await page.goto(`${stack.baseUrl}/agents/tabs-bot/conversations`);
    await page.getByRole('tab', { name: 'Conversations', selected: true }).waitFor();
    await page.getByRole('heading', { name: /^Chats/ }).waitFor();
    // One channel: the conversations look as they did, without a channel switcher.
    const switchers = await page.getByRole('group', { name: 'Channel' }).count();
    assert.equal(switchers, hostChannels.length > 1 ? 1 : 0);
    assert.equal(new URL(page.url()).search, '');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('without the channel list the page shows the Instagram tab alone and says why', async () => {
  await createAgent('fallback-bot', 'Fallback bot');
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    await page.route(
      (url) => url.pathname === `/api/database/${kSub}/channels`,
      (route) =>
        route.fulfill({
          status: 503,
          json: { success: false, message: 'The channel list is unavailable.', code: 'INTERNAL' },
        }),
    );
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/fallback-bot`);
    assert.deepEqual(await tabLabels(page), ['Instagram', 'Conversations', 'Settings']);
    await page
      .getByRole('status')
      .filter({ hasText: 'The channel list is unavailable.' })
      .filter({ hasText: 'only Instagram is shown' })
      .waitFor();
    // The Instagram tab works as before.
    await page.getByText('Not connected', { exact: true }).first().waitFor();
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test("the page's fallback channel is the Instagram plugin's description", () => {
  // Only used when the channel list cannot be read, so nothing else notices when they drift.
  const instagram = hostChannels.find((c) => c.name === 'instagram');
  const [fallback] = kFallbackChannels;
  for (const key of [
    'displayName',
    'maxTextBytes',
    'replyWindowMs',
    'messageTags',
    'taggedWindowMs',
    'sendsAttachments',
    'sendsSenderActions',
  ])
    assert.deepEqual(fallback[key], instagram[key], key);
});

test('a described channel is connected, used and disconnected through its tab', async () => {
  await createAgent('panel-bot', 'Panel bot');
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    const relay = await addRelayChannel(page);
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/panel-bot`);
    assert.deepEqual(await tabLabels(page), expectedTabs([...hostChannels, relay]));
    await page.getByRole('tab', { name: 'Relay' }).click();
    assert.match(page.url(), /\/agents\/panel-bot\/relay$/);
    await page.getByRole('heading', { name: 'Relay connection' }).waitFor();
    await page.locator('.status--off', { hasText: 'Not connected' }).waitFor();

    // The webhook URL is the channel's own.
    assert.equal(
      await page.getByLabel('Callback URL for Relay').inputValue(),
      `${stack.baseUrl}/api/database/${kSub}/chat-agents/panel-bot/relay/webhook`,
    );

    // The form is the description's: secrets masked, required fields checked before sending.
    const connect = page.getByRole('button', { name: 'Connect Relay' });
    for (const field of relay.connectFields) {
      const input = page.locator(`input[name="${field.name}"]`);
      assert.equal(await input.getAttribute('type'), field.secret ? 'password' : 'text');
      assert.equal(await input.getAttribute('id'), `relay-connect-${field.name}`);
      await page.getByLabel(field.label).and(input).waitFor(); // labelled by the description
    }
    await connect.click();
    const required = relay.connectFields.filter((f) => f.required);
    for (const field of required)
      await page.getByText(`${field.label} is required.`, { exact: true }).waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement.name),
      required[0].name,
      'focus moves to the first missing field',
    );

    // The host's VALIDATION_ERROR names a field: that field is marked.
    const values = {
      accessToken: kAccount.token,
      instagramAccountId: 'ig 17841',
      pageId: kAccount.pageId,
      webhookVerificationToken: 'verify-relay',
      webhookSecret: 'relay-secret',
    };
    const fill = async () => {
      for (const field of relay.connectFields)
        await page.locator(`input[name="${field.name}"]`).fill(values[field.name] ?? '');
    };
    await fill();
    await connect.click();
    const apiError = page.locator('#relay-connect-error');
    await apiError.waitFor();
    assert.match(await apiError.innerText(), /VALIDATION_ERROR/);
    assert.equal(
      await page.locator('input[name="instagramAccountId"]').getAttribute('aria-invalid'),
      'true',
    );

    // Connected: the QR code and link of the answer, then the live status and the account.
    values.instagramAccountId = kAccount.igId;
    await fill();
    await connect.click();
    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    assert.match(await qr.getAttribute('src'), /^data:image\/png;base64,/);
    await page.getByRole('link', { name: `https://ig.me/m/${kAccount.username}` }).waitFor();
    await page.locator('.status--on', { hasText: 'Connected' }).waitFor();
    await page.locator('.account-username', { hasText: `@${kAccount.username}` }).waitFor();
    await page.getByText(/^Active/).waitFor();
    assert.equal(await page.locator('input[name="accessToken"]').count(), 0, 'form is gone');

    // A user writes; the chat is listed under the relay channel, and the reply goes out.
    const userId = '6660001';
    const hook = await postWebhook(
      `${stack.baseUrl}/api/database/${kSub}/chat-agents/panel-bot/instagram/webhook`,
      messageEvent({ igId: kAccount.igId, userId, mid: 'm_relay_1', text: 'hello relay' }),
      values.webhookSecret,
    );
    assert.equal(hook.status, 200, hook.text);

    await page.getByRole('tab', { name: 'Conversations' }).click();
    const switcher = page.getByRole('group', { name: 'Channel' });
    const instagramButton = switcher.getByRole('button', { name: 'Instagram' });
    assert.equal(await instagramButton.getAttribute('aria-pressed'), 'true');
    await switcher.getByRole('button', { name: 'Relay' }).click();
    assert.equal(new URL(page.url()).search, '?channel=relay');
    const chatLink = page.locator('.chat-item', { hasText: userId });
    await chatLink.waitFor();
    await chatLink.click();
    const opened = new URL(page.url());
    assert.match(opened.pathname, /^\/agents\/panel-bot\/conversations\/[^/]+$/);
    assert.equal(opened.search, '?channel=relay');
    await page.getByText(`Relay user ${userId}`).waitFor();
    const thread = page.locator('.messages');
    await thread.locator('.message--out', { hasText: 'Hello from the relay' }).waitFor({
      timeout: 20000,
    });
    await page.getByLabel('Message', { exact: true }).fill('Sent from the relay tab');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await thread.locator('.message--out', { hasText: 'Sent from the relay tab' }).waitFor();

    // A reload keeps the channel and the chat.
    await page.reload();
    await page.getByText(`Relay user ${userId}`).waitFor();
    await switcher.getByRole('button', { name: 'Relay', pressed: true }).waitFor();

    // Disconnect, with a confirmation.
    await page.getByRole('tab', { name: 'Relay' }).click();
    await page.getByRole('button', { name: 'Disconnect…' }).click();
    await page.getByText(`Disconnect @${kAccount.username}?`).waitFor();
    await page.getByRole('button', { name: 'Yes, disconnect' }).click();
    await page.locator('.status--off', { hasText: 'Not connected' }).waitFor();
    await page.getByRole('button', { name: 'Connect Relay' }).waitFor();
    const status = await api('GET', `/api/database/${kSub}/chat-agents/panel-bot/instagram/status`);
    assert.equal(status.body.data.isConnected, false);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('at 390 px the channel tabs and the generic panel fit without horizontal scroll', async () => {
  await createAgent('phone-tabs-bot', 'Phone tabs bot');
  const browser = await openBrowser(kPhone);
  const { page } = browser;
  const shown = { name: 'messenger', displayName: 'Messenger' };
  try {
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/phone-tabs-bot/${shown.name}`);
    await page.getByRole('tab', { name: shown.displayName, selected: true }).waitFor();
    await page.locator('.status--off', { hasText: 'Not connected' }).waitFor();
    assert.equal(await horizontalOverflow(page), 0, `the ${shown.name} tab scrolls sideways`);
    await screenshot(page, 'channel-tabs-phone');

    // The tab list scrolls sideways by itself; the selected tab is kept in sight.
    await page.goto(`${stack.baseUrl}/agents/phone-tabs-bot/settings`);
    const settings = page.getByRole('tab', { name: 'Settings', selected: true });
    await settings.waitFor();
    await waitFor(
      async () => {
        const box = await settings.boundingBox();
        return box && box.x >= 0 && box.x + box.width <= kPhone.width;
      },
      { what: 'the selected Settings tab in sight' },
    );
    await page.getByRole('tab', { name: 'Conversations' }).click();
    await page.getByRole('group', { name: 'Channel' }).waitFor();
    assert.equal(await horizontalOverflow(page), 0, 'the conversations scroll sideways');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test(
  "Messenger's tab is drawn from its description and connects through its own routes",
  async () => {
    await createAgent('messenger-bot', 'Messenger bot');
    const messenger = hostChannels.find((c) => c.name === 'messenger');
    const browser = await openBrowser(kDesktop);
    const { page } = browser;
    try {
      await signIn(page);
      await page.goto(`${stack.baseUrl}/agents/messenger-bot`);
      await page.getByRole('tab', { name: 'Messenger' }).click();
      assert.match(page.url(), /\/agents\/messenger-bot\/messenger$/);
      await page.getByRole('heading', { name: 'Messenger connection' }).waitFor();
      await page.locator('.status--off', { hasText: 'Not connected' }).waitFor();
      assert.equal(
        await page.getByLabel('Callback URL for Messenger').inputValue(),
        `${stack.baseUrl}/api/database/${kSub}/chat-agents/messenger-bot/messenger/webhook`,
      );
      for (const field of messenger.connectFields) {
        const input = page.locator(`input[name="${field.name}"]`);
        assert.equal(await input.getAttribute('type'), field.secret ? 'password' : 'text');
        await page.getByLabel(field.label).and(input).waitFor();
      }
      await screenshot(page, 'channel-tabs-desktop');

      // Only the fields Messenger requires are checked before sending.
      const connect = page.getByRole('button', { name: 'Connect Messenger' });
      await connect.click();
      const required = messenger.connectFields.filter((f) => f.required);
      for (const field of required)
        await page.getByText(`${field.label} is required.`, { exact: true }).waitFor();
      assert.equal(await page.locator('.field-error').count(), required.length);

      // A person's token is refused with the host's words on the token field.
      const token = page.locator('input[name="accessToken"]');
      await token.fill(kPerson.token);
      await connect.click();
      const error = page.locator('#messenger-connect-error');
      await error.waitFor();
      assert.match(await error.innerText(), /VALIDATION_ERROR/);
      assert.match(await error.innerText(), /not a Page access token/);
      assert.equal(await token.getAttribute('aria-invalid'), 'true');
      await page
        .locator('.field--invalid .field-error')
        .filter({ hasText: /not a Page access token/ })
        .waitFor();

      // The Page's token connects: status, QR code and the m.me link to the Page.
      await token.fill(kPage.token);
      await connect.click();
      await page.locator('.status--on', { hasText: 'Connected' }).waitFor();
      await page.getByRole('img', { name: /QR code/ }).waitFor();
      await page.getByRole('link', { name: `https://m.me/${kPage.pageId}` }).waitFor();
      assert.deepEqual(browser.problems, []);
    } finally {
      await browser.close();
    }
  },
);
