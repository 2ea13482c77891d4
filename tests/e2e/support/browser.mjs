// Headless Chromium from the system (Playwright cannot download browsers here), fresh profile.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const kArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const kDesktop = { width: 1280, height: 860 };
export const kPhone = { width: 390, height: 844 };

/** A browser context with its own user data directory; close() removes it. */
export async function openBrowser(viewport = kDesktop) {
  const profile = mkdtempSync(join(tmpdir(), 'chathost-e2e-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHATHOST_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: kArgs,
    viewport,
  });
  context.setDefaultTimeout(15000);
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Horizontal overflow of the page in CSS pixels (0 = no horizontal scroll). */
export function horizontalOverflow(page) {
  return page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
}
