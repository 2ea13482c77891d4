// Screenshots for docs/screenshots/, taken only when CHATHOST_E2E_SCREENSHOTS=1 so that ordinary
// runs (and CI) never rewrite the committed images.

import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const enabled = process.env.CHATHOST_E2E_SCREENSHOTS === '1';
const sourceDir =
  process.env.CHATHOST_SOURCE_DIR ||
  join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const outDir = join(sourceDir, 'docs', 'screenshots');

export async function screenshot(page, name) {
  if (!enabled) return;
  mkdirSync(outDir, { recursive: true });
  // Let polling and transitions settle so the picture shows a stable screen.
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.screenshot({ path: join(outDir, `${name}.png`), fullPage: false });
}
