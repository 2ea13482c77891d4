// The dashboard in a real browser against a real host and the fake Graph API: sign-in, agents,
// Instagram connect with QR and live status, a signed webhook turning into a chat thread, a reply
// from the send box reaching the Graph API, disconnect; validation errors; the phone layout.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { horizontalOverflow, kDesktop, kPhone, openBrowser } from './support/browser.mjs';
import { waitFor } from './support/process.mjs';
import { screenshot } from './support/screenshots.mjs';
import { kAccount, startStack } from './support/stack.mjs';
import { messageEvent, postWebhook } from './support/webhook.mjs';

const kSub = 'default'; // the dashboard's choice for a token that grants every subaccount
let stack;

before(async () => {
  stack = await startStack();
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

const agentPath = (agentId, rest = '') =>
  `/api/database/${kSub}/chat-agents/${agentId}${rest ? `/instagram/${rest}` : ''}`;

async function sentToFake() {
  const response = await fetch(`${stack.fakeUrl}/_fake/sent`);
  return (await response.json()).sent;
}

async function signIn(page) {
  await page.goto(`${stack.baseUrl}/#token=${stack.token}`);
  await page.getByRole('heading', { name: 'Agents', level: 2 }).waitFor();
}

/**
 * The token form's submit button. When the host offers "Connect with Instagram" the form is
 * folded under "Advanced: connect with an access token"; this unfolds it first.
 */
async function tokenConnectButton(page) {
  await page.locator('details.token-connect, form.connect-form').first().waitFor();
  const advanced = page.locator('details.token-connect');
  if ((await advanced.count()) > 0 && !(await advanced.evaluate((d) => d.open)))
    await advanced.locator('summary').click();
  return page.getByRole('button', { name: /^Connect (Instagram|with token)$/ });
}

test('from sign-in to a webhook message, a reply from the send box and disconnect', async () => {
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    await page.goto(stack.baseUrl + '/');
    await page.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
    await screenshot(page, 'signin-desktop');

    // The start-up link signs in, keeps the token for the tab, and clears it from the address bar.
    await signIn(page);
    assert.ok(!page.url().includes('token'), `token left in the URL: ${page.url()}`);
    assert.equal(await page.evaluate(() => sessionStorage.getItem('chathost.token')), stack.token);
    assert.equal(await page.getByLabel('Subaccount').inputValue(), kSub);

    // Create a rules agent.
    await page.getByRole('button', { name: 'New agent' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Shop bot');
    await page.getByLabel('ID (optional)').fill('shop-bot');
    await page.getByLabel('Rule 1: when the message contains').fill('price');
    await page.getByLabel('reply with').fill('From 9 EUR');
    await page.getByLabel('Fallback reply').fill('A person will answer soon.');
    await screenshot(page, 'agent-new-desktop');
    await page.getByRole('button', { name: 'Create agent' }).click();
    await page.getByRole('heading', { name: 'Shop bot', level: 1 }).waitFor();
    assert.match(page.url(), /\/agents\/shop-bot$/);
    await page.getByRole('link', { name: /Shop bot/ }).waitFor(); // listed in the sidebar
    const created = await api('GET', agentPath('shop-bot'));
    assert.deepEqual(created.body.data.config.rules, [{ match: 'price', reply: 'From 9 EUR' }]);

    // Connect Instagram: QR code, then the status turns connected by itself.
    await page.getByText('Not connected', { exact: true }).first().waitFor();
    const connectButton = await tokenConnectButton(page);
    const webhookSecret = 'agent-webhook-secret-42';
    await page.getByLabel('Page access token').fill(kAccount.token);
    await page.getByLabel('Instagram account ID').fill(kAccount.igId);
    await page.getByLabel('Facebook Page ID').fill(kAccount.pageId);
    await page.getByLabel('Webhook verification token').fill('verify-e2e');
    await page.getByLabel('Webhook secret').fill(webhookSecret);
    await screenshot(page, 'instagram-connect-desktop');
    await connectButton.click();

    const qr = page.getByRole('img', { name: /QR code/ });
    await qr.waitFor();
    assert.match(await qr.getAttribute('src'), /^data:image\/png;base64,/);
    assert.ok(
      await qr.evaluate((img) => img.complete && img.naturalWidth > 50),
      'QR image decodes',
    );
    const igLink = page.getByRole('link', { name: `https://ig.me/m/${kAccount.username}` });
    await igLink.waitFor();
    await page.locator('.status--on', { hasText: 'Connected' }).waitFor();
    await page.getByText(`@${kAccount.username}`, { exact: true }).waitFor();
    const apiStatus = (await api('GET', agentPath('shop-bot', 'status'))).body.data;
    assert.equal(apiStatus.accountInfo.username, kAccount.username);
    await page
      .locator('.account-facts dd', { hasText: apiStatus.accountInfo.accountType })
      .waitFor();
    await page.getByText(/^Active/).waitFor();
    const hookUrl = `${stack.baseUrl}${agentPath('shop-bot', 'webhook')}`;
    assert.equal(await page.getByLabel('Callback URL for Meta').inputValue(), hookUrl);
    await screenshot(page, 'instagram-connected-desktop');

    // A user writes to the account: Meta's signed webhook, then the agent's rule answers.
    const userId = '5550001';
    const first = await postWebhook(
      hookUrl,
      messageEvent({ igId: kAccount.igId, userId, mid: 'm_e2e_1', text: 'What is the price?' }),
      webhookSecret,
    );
    assert.equal(first.status, 200, first.text);

    await page.getByRole('tab', { name: 'Conversations' }).click();
    const chatLink = page.locator('.chat-item', { hasText: userId });
    await chatLink.waitFor();
    await chatLink.click();
    const thread = page.locator('.messages');
    await thread.locator('.message--in', { hasText: 'What is the price?' }).waitFor();
    await thread.locator('.message--out', { hasText: 'From 9 EUR' }).waitFor({ timeout: 20000 });

    // The byte counter counts UTF-8 bytes and the limit is enforced.
    const box = page.getByLabel('Message', { exact: true });
    const send = page.getByRole('button', { name: 'Send', exact: true });
    await box.fill('é'.repeat(501));
    await page.getByText('1002 / 1000 bytes — 2 over the limit').waitFor();
    assert.equal(await send.isDisabled(), true);
    const reply = 'Thanks for writing 😀 we ship tomorrow';
    await box.fill(reply);
    await page.getByText(`${Buffer.byteLength(reply)} / 1000 bytes`, { exact: true }).waitFor();
    await send.click();
    await thread.locator('.message--out', { hasText: reply }).waitFor();
    assert.equal(await box.inputValue(), '');
    const sent = await waitFor(async () => (await sentToFake()).find((s) => s.text === reply), {
      what: 'the reply at the fake Graph API',
    });
    assert.equal(sent.recipientId, userId);

    // A new message shows up in the open thread without a reload.
    const second = await postWebhook(
      hookUrl,
      messageEvent({ igId: kAccount.igId, userId, mid: 'm_e2e_2', text: 'Great, see you' }),
      webhookSecret,
    );
    assert.equal(second.status, 200, second.text);
    await thread.locator('.message--in', { hasText: 'Great, see you' }).waitFor();
    await screenshot(page, 'conversation-desktop');

    // Disconnect, with a confirmation.
    await page.getByRole('tab', { name: 'Instagram' }).click();
    await page.getByRole('button', { name: 'Disconnect…' }).click();
    await page.getByText(`Disconnect @${kAccount.username}?`).waitFor();
    await page.getByRole('button', { name: 'Yes, disconnect' }).click();
    await page.locator('.status--off', { hasText: 'Not connected' }).waitFor();
    await page
      .getByRole('button', { name: /^Connect (with )?Instagram$/ })
      .first()
      .waitFor();
    const status = await api('GET', agentPath('shop-bot', 'status'));
    assert.equal(status.body.data.isConnected, false);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('the connect form names bad fields and shows the API error next to it', async () => {
  const created = await api('POST', `/api/database/${kSub}/chat-agents`, {
    id: 'form-bot',
    name: 'Form bot',
    type: 'rules',
    config: { rules: [] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    await signIn(page);
    await page.goto(`${stack.baseUrl}/agents/form-bot`);
    const connect = await tokenConnectButton(page);
    await connect.click();
    for (const text of [
      'Access token is required.',
      'Instagram account ID is required.',
      'Facebook Page ID is required.',
      'Webhook verification token is required.',
    ])
      await page.getByText(text, { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Page access token').getAttribute('aria-invalid'), 'true');
    assert.equal(
      await page.evaluate(() => document.activeElement.id),
      'connect-accessToken',
      'focus moves to the first invalid field',
    );

    await page.getByLabel('Page access token').fill('EAAG-not-a-known-token');
    await page.getByLabel('Instagram account ID').fill('ig-abc');
    await page.getByLabel('Facebook Page ID').fill(kAccount.pageId);
    await page.getByLabel('Webhook verification token').fill('verify');
    await connect.click();
    await page.getByText('Instagram account ID must contain only digits.').waitFor();
    assert.equal(await page.getByText('Access token is required.').count(), 0);

    // Passes the page's checks, but the Graph API rejects the token: the API's words and code.
    await page.getByLabel('Instagram account ID').fill(kAccount.igId);
    await connect.click();
    const error = page.locator('#connect-error');
    await error.waitFor();
    assert.match(await error.innerText(), /AUTH_FAILED/);
    assert.ok(
      (await error.innerText()).length > 'AUTH_FAILED'.length + 5,
      'the message is in words',
    );
    assert.ok(
      !(await error.innerText()).includes('EAAG-not-a-known-token'),
      'the token is not echoed',
    );
    await screenshot(page, 'instagram-errors-desktop');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('an invalid token goes back to sign-in with the reason', async () => {
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    const [head, payload] = stack.token.split('.');
    await page.goto(`${stack.baseUrl}/#token=${head}.${payload}.AAAAinvalidsignatureAAAA`);
    await page.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Signed out' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('chathost.token')), null);

    // Pasting a good token signs in.
    await page.getByLabel('Access token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText(/not a valid token/).waitFor();
    await page.getByLabel('Access token').fill(stack.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Agents', level: 2 }).waitFor();
  } finally {
    await browser.close();
  }
});

test('the outcome of "Connect with Instagram" is shown as text and leaves the address bar', async () => {
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  try {
    await signIn(page);
    const reason = '<b>Access denied</b> by the user';
    await page.goto(
      `${stack.baseUrl}/?connect=instagram&result=error&reason=${encodeURIComponent(reason)}`,
    );
    const banner = page.getByRole('alert').filter({ hasText: 'Instagram was not connected' });
    await banner.waitFor();
    assert.equal(
      await banner.locator('.banner-text').innerText(),
      `Instagram was not connected: ${reason}`,
    );
    assert.equal(await page.locator('.banner b').count(), 0, 'the reason is not rendered as HTML');
    assert.equal(new URL(page.url()).search, '', 'the query is removed from the address bar');
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await banner.count(), 0);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('at 390 px every screen fits without horizontal scroll', async () => {
  // Its own account at the fake, so this test needs nothing from the others.
  const phoneAccount = {
    token: 'EAAG-phone',
    igId: '17841400000000002',
    pageId: '100000000000002',
  };
  await fetch(`${stack.fakeUrl}/_fake/accounts`, {
    method: 'POST',
    body: JSON.stringify({
      ...phoneAccount,
      username: 'phone_store',
      accountType: 'MEDIA_CREATOR',
    }),
  });
  await api('POST', `/api/database/${kSub}/chat-agents`, {
    id: 'phone-bot',
    name: 'Phone bot',
    config: { rules: [{ match: 'hello', reply: 'Hi! How can we help?' }] },
  });
  const connected = await api('POST', agentPath('phone-bot', 'connect'), {
    accessToken: phoneAccount.token,
    instagramAccountId: phoneAccount.igId,
    pageId: phoneAccount.pageId,
    webhookVerificationToken: 'verify-phone',
    webhookSecret: 'phone-secret',
  });
  assert.equal(connected.status, 200, JSON.stringify(connected.body));
  const hook = await postWebhook(
    `${stack.baseUrl}${agentPath('phone-bot', 'webhook')}`,
    messageEvent({
      igId: phoneAccount.igId,
      userId: '7770001',
      mid: 'm_phone_1',
      text: 'hello, is the blue one still available in size M? A rather long line to wrap.',
      // An image served by the host itself: the test browser reaches nothing else.
      attachments: [{ type: 'image', payload: { url: `${stack.baseUrl}/favicon.svg` } }],
    }),
    'phone-secret',
  );
  assert.equal(hook.status, 200, hook.text);

  const browser = await openBrowser(kPhone);
  const { page } = browser;
  const fits = async (what) =>
    assert.equal(await horizontalOverflow(page), 0, `${what} scrolls sideways at 390 px`);
  try {
    await page.goto(stack.baseUrl + '/');
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await fits('sign-in');
    await screenshot(page, 'signin-phone');

    await signIn(page);
    await page.getByRole('link', { name: /Phone bot/ }).waitFor();
    await fits('agent list');
    await screenshot(page, 'agents-phone');

    await page.getByRole('link', { name: /Phone bot/ }).click();
    await page.locator('.status--on', { hasText: 'Connected' }).waitFor();
    await page.getByText('@phone_store', { exact: true }).waitFor();
    await fits('Instagram tab');
    await screenshot(page, 'instagram-phone');

    await page.getByRole('tab', { name: 'Conversations' }).click();
    const chatLink = page.locator('.chat-item', { hasText: '7770001' });
    await chatLink.waitFor();
    await fits('chat list');
    await screenshot(page, 'chats-phone');

    await chatLink.click();
    await page
      .locator('.message--out', { hasText: 'Hi! How can we help?' })
      .waitFor({ timeout: 20000 });
    await page.locator('.message--in a.attachment').waitFor();
    await fits('thread');
    await screenshot(page, 'conversation-phone');

    // A send the Graph API refuses: its words and the code appear under the send box.
    await fetch(`${stack.fakeUrl}/_fake/faults`, {
      method: 'POST',
      body: JSON.stringify({ match: `/${phoneAccount.pageId}/messages`, kind: 'outside_window' }),
    });
    await page.getByLabel('Message', { exact: true }).fill('Are you still there?');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const sendError = page.locator('#send-error');
    await sendError.waitFor();
    // The host passes the Graph API's refusal on (API_ERROR), or names it (OUTSIDE_WINDOW).
    assert.match(await sendError.innerText(), /API_ERROR|OUTSIDE_WINDOW/);
    assert.match(await sendError.innerText(), /window/i);
    assert.equal(
      await page.getByLabel('Message', { exact: true }).inputValue(),
      'Are you still there?',
    );
    await fits('thread with a send error');

    await page.getByRole('button', { name: '← Chats' }).click();
    await chatLink.waitFor();

    await page.getByRole('link', { name: '← Agents' }).click();
    await page.getByRole('button', { name: 'New agent' }).first().click();
    await page.getByRole('button', { name: 'Create agent' }).waitFor();
    await fits('new agent form');
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});
