// The dashboard's API page in a real browser: reached from the top bar, drawn from the host's
// /api/openapi.json with no request leaving the host, every operation grouped under its tag, an
// operation's parameters, body and answers, the error code table; and the page signed out, at
// desktop and phone widths.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { horizontalOverflow, kDesktop, kPhone, openBrowser } from './support/browser.mjs';
import { screenshot } from './support/screenshots.mjs';
import { startStack } from './support/stack.mjs';

let stack;
let doc;

before(async () => {
  stack = await startStack({ instagramLogin: true });
  doc = await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json();
});

after(async () => {
  await stack?.stop();
});

/** Requests the page makes to anywhere but the host. */
function watchForeignRequests(page) {
  const foreign = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(stack.baseUrl) && !request.url().startsWith('data:'))
      foreign.push(request.url());
  });
  return foreign;
}

test('the API page shows every operation by tag, its details and the error codes', async () => {
  const browser = await openBrowser(kDesktop);
  const { page } = browser;
  const foreign = watchForeignRequests(page);
  try {
    await page.goto(`${stack.baseUrl}/#token=${stack.token}`);
    await page.getByRole('heading', { name: 'Agents', level: 2 }).waitFor();
    await page.getByRole('link', { name: 'API', exact: true }).click();
    await page.getByRole('heading', { name: 'API', level: 1 }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/api-docs');

    // One section per tag with operations, each operation once.
    const api = page.locator('.api-page');
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item));
    await api.getByText(`${operations.length} operations`).waitFor();
    assert.equal(await api.locator('details.api-op').count(), operations.length);
    for (const tag of ['Agents', 'Channels', 'Operations', 'API', 'Instagram'])
      await api.getByRole('heading', { name: tag, level: 2, exact: true }).waitFor();

    // The send operation: its body from the channel's description, its answers and codes.
    const send = page.locator('#op-instagramSend');
    await send.locator('summary.api-op-head').click();
    await send.getByText('Request body').waitFor();
    await send.locator('.schema-name', { hasText: /^to$/ }).waitFor();
    await send.locator('.schema-name', { hasText: /^tag$/ }).waitFor();
    await send.getByText('needs message or attachment').waitFor();
    for (const code of ['NOT_CONNECTED', 'OUTSIDE_WINDOW', 'AUTH_FAILED', 'RATE_LIMITED'])
      await send.locator('.error-code', { hasText: code }).waitFor();
    await send.locator('summary', { hasText: 'data schema' }).click();
    await send.locator('.schema-name', { hasText: 'messageIds' }).waitFor();
    await screenshot(page, 'api-page-desktop');

    // The filter narrows the list; the error code table is always there.
    await page.getByLabel('Filter').fill('webhook');
    assert.equal(await page.locator('details.api-op').count(), 4);
    const codes = page.locator('#error-codes');
    await codes.scrollIntoViewIfNeeded();
    await codes.locator('tr', { hasText: 'OUTSIDE_WINDOW' }).getByText('409').waitFor();
    assert.equal(
      await codes.locator('tbody tr').count(),
      doc.components.schemas.ErrorCode.enum.length,
    );

    // The top bar's link marks the page; going back returns to the agents.
    assert.equal(
      await page.getByRole('link', { name: 'API', exact: true }).getAttribute('aria-current'),
      'page',
    );
    await page.goBack();
    await page.getByRole('heading', { name: 'Agents', level: 1 }).waitFor();
    assert.deepEqual(foreign, []);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});

test('the API page needs no sign-in and fits a phone', async () => {
  const browser = await openBrowser(kPhone);
  const { page } = browser;
  const foreign = watchForeignRequests(page);
  try {
    await page.goto(`${stack.baseUrl}/api-docs#op-createAgent`);
    await page.getByRole('heading', { name: 'API', level: 1 }).waitFor();
    // A link to an operation opens it.
    const create = page.locator('#op-createAgent');
    assert.ok(await create.evaluate((d) => d.open));
    await create.locator('.api-status', { hasText: '201' }).waitFor();
    await create.locator('.error-code', { hasText: 'CONFLICT' }).waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, 'no horizontal scroll on a phone');
    await screenshot(page, 'api-page-phone');
    await page.getByRole('link', { name: /Dashboard/ }).click();
    await page.getByRole('heading', { name: 'Sign in to the dashboard' }).waitFor();
    assert.deepEqual(foreign, []);
    assert.deepEqual(browser.problems, []);
  } finally {
    await browser.close();
  }
});
