/**
 * `docs/images/crm-app.png`: the CRM app in real Chromium against a seeded `sync-patterns dev`,
 * taken with the end-to-end tooling. Run: `npx tsx tools/e2e/screenshot.ts`.
 */
import path from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, repoRoot, stopAll } from './processes.js';
import { apiUrl, appPreview, appUrl, devServer, prepare } from './setup.js';
import { User } from './user.js';

const out = path.join(repoRoot, 'docs/images/crm-app.png');

async function main(): Promise<void> {
  const executablePath = chromiumPath();
  await prepare();
  await devServer(null).start();
  await appPreview().start();
  const browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
  try {
    const user = await User.open(browser, 'screenshot', appUrl, apiUrl);
    await user.page.setViewportSize({ width: 1280, height: 760 });
    await user.goto('contacts');
    await user.page.waitForSelector('[data-testid="row"]');
    await user.fill('contacts', { first_name: 'Katherine', last_name: 'Johnson' });
    await user.page.locator('[data-testid="contacts"] [name="email"]').focus();
    await user.page.mouse.move(900, 330);
    await user.page.screenshot({ path: out });
    log(`screenshot: ${path.relative(repoRoot, out)} (Chromium ${browser.version()})`);
  } finally {
    await browser.close();
    await stopAll();
  }
}

main().catch(async (e: unknown) => {
  await stopAll();
  log(`screenshot failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
