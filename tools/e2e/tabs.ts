/**
 * Two tabs of one app (issue #11, defect 1), in a browser context of its own (one user's
 * profile: one IndexedDB, one set of Web Locks). With the API unreachable, tab 1 makes one write
 * and tab 2 two; each tab shows the other's optimistic rows (timed: tab 1's click → the row in
 * tab 2); tab 2 closes and a new tab (3) shows all three; the API comes back and all three land on
 * the server exactly once. Then the first tab (the one that opened the database and ran the sync)
 * closes: a tab opened after it loads, follows the shapes (a row created on the server shows in
 * both open tabs) and drains its own write. No page error in any tab.
 *
 * Before the fix each tab opened its own PGlite on the same IndexedDB database: tab 2 did not see
 * tab 1's rows, a write was lost, and tab 1 threw an uncaught ErrnoError.
 */
import type { Page } from 'playwright-core';
import type { Ctx, Scenario } from './scenarios.js';
import { until } from './scenarios.js';
import { sleep } from './processes.js';
import { helpers } from './user.js';

const OPEN_TIMEOUT = 90_000;
const ROWS = '[data-testid="contacts"] [data-testid="row"]';

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

async function labels(page: Page): Promise<string[]> {
  return page.$$eval(ROWS, (trs) =>
    trs.map((tr) => tr.querySelector('.primary')?.textContent ?? ''),
  );
}

async function create(page: Page, firstName: string, email: string): Promise<void> {
  const form = page.locator('[data-testid="contacts"] form');
  await form.locator('[name="first_name"]').fill(firstName);
  await form.locator('[name="email"]').fill(email);
  await form.locator('button[type="submit"]').click();
}

export const twoTabs: Scenario = {
  id: '10-two-tabs',
  title:
    'two tabs share one database: each sees the other, 0 writes lost, a tab opened after the first closed syncs, no page error',
  needsLive: true,
  async run(ctx: Ctx) {
    const url = new URL(ctx.a.page.url());
    url.hash = 'contacts';
    const apiOrigin = new URL(ctx.api.baseUrl).origin;
    const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 820 } });
    // Where a page error came from (a worker's error reaches the page as an ErrorEvent).
    await context.addInitScript({
      content: `addEventListener('error', (e) => console.error('[error event]', e.message, e.filename + ':' + e.lineno + ':' + e.colno, String(e.error && (e.error.stack || e.error))));
addEventListener('unhandledrejection', (e) => console.error('[unhandledrejection]', String(e.reason && (e.reason.stack || e.reason.name || e.reason)), JSON.stringify(e.reason)));`,
    });
    await context.addInitScript({ content: helpers });
    let blocked = false;
    await context.route(
      (u) => u.origin === apiOrigin && !u.pathname.startsWith('/v1/shape'),
      (route) => (blocked ? route.abort('internetdisconnected') : route.fallback()),
    );
    const errors: string[] = [];
    const consoleLines: string[] = [];
    const start = Date.now();
    const open = async (name: string): Promise<Page> => {
      const page = await context.newPage();
      page.on('pageerror', (e) =>
        errors.push(
          `${name} at ${Date.now() - start} ms: ${e.name}: ${e.message} ${e.stack ?? ''}`,
        ),
      );
      page.on('console', (m) =>
        consoleLines.push(`${name} at ${Date.now() - start} ms [${m.type()}] ${m.text()}`),
      );
      page.on('worker', (w) => {
        w.on('console', (m) =>
          consoleLines.push(`${name} worker at ${Date.now() - start} ms [${m.type()}] ${m.text()}`),
        );
      });
      await page.goto(url.href);
      await page.waitForSelector('[data-testid="contacts-table"]', { timeout: OPEN_TIMEOUT });
      return page;
    };
    const names = [1, 2, 3].map((i) => `Tab${i}-${ctx.runId}`);
    const seesAll = async (page: Page, all = names) => {
      const shown = await labels(page);
      return all.every((n) => shown.includes(n));
    };
    try {
      const tab1 = await open('tab 1');
      const tab2 = await open('tab 2');
      blocked = true;
      // in-page clocks (performance.timeOrigin + now()): the click in tab 1, the row in each tab
      const inTabs = [tab1, tab2].map((page) =>
        page.evaluate(([t, ms]) => window.__e2e.waitRow(t, ms), [names[0]!, 10_000] as const),
      );
      await create(tab1, names[0]!, 'tab1@e2e.example');
      const click = await tab1.evaluate(() => window.__e2e.lastClick);
      const [own, other] = await Promise.all(inTabs);
      check(own != null, 'tab 1 never showed its own optimistic row (10 s)');
      check(other != null, 'tab 2 never showed tab 1’s optimistic row (10 s)');
      ctx.figure(
        `two tabs: tab 1's optimistic row visible in tab 2 ${Math.round(other - click)} ms after the click (in tab 1 itself: ${Math.round(own - click)} ms)`,
      );
      const t0 = Date.now();
      await create(tab2, names[1]!, 'tab2@e2e.example');
      await create(tab2, names[2]!, 'tab3@e2e.example');
      await until('tab 1 to show tab 2’s rows', 10_000, () => seesAll(tab1));
      await until('tab 2 to show all three rows', 10_000, () => seesAll(tab2));
      ctx.figure(
        `two tabs: tab 2's two writes (typed and clicked by Playwright) visible in tab 1 after ${Date.now() - t0} ms`,
      );
      await sleep(1_000); // the relaxed IndexedDB flush (see the offline scenario)
      ctx.note(`closing tab 2 at ${Date.now() - start} ms`);
      await tab2.close();
      const tab3 = await open('tab 3');
      await until('a new tab to show all three rows', 15_000, () => seesAll(tab3));
      blocked = false;
      await until('the three writes on the server', 45_000, async () => {
        const server = await ctx.api.list('contacts');
        return names.every((n) => server.some((r) => r.label === n));
      });
      const server = await ctx.api.list('contacts');
      for (const n of names) {
        const count = server.filter((r) => r.label === n).length;
        check(count === 1, `${n} is on the server ${count} times`);
      }
      ctx.figure('two tabs: 3 of 3 writes landed exactly once (0 lost)');

      // The first tab held the database and ran the sync: it closes, a later tab takes over.
      await sleep(1_000);
      ctx.note(`closing tab 1 at ${Date.now() - start} ms`);
      await tab1.close();
      const t4 = Date.now();
      const tab4 = await open('tab 4');
      ctx.figure(
        `two tabs: a tab opened after the first tab closed rendered in ${Date.now() - t4} ms`,
      );
      check(await seesAll(tab4), 'the tab opened after the first closed does not show the rows');
      const serverSide = `Srv-${ctx.runId}`;
      await ctx.api.create('contacts', { first_name: serverSide, email: 'srv@e2e.example' });
      for (const [name, page] of [
        ['tab 3', tab3],
        ['tab 4', tab4],
      ] as const)
        await until(`${name} to show a row created on the server after the handover`, 20_000, () =>
          seesAll(page, [serverSide]),
        );
      const late = `Tab4-${ctx.runId}`;
      await create(tab4, late, 'tab4@e2e.example');
      await until('tab 3 to show tab 4’s row', 10_000, () => seesAll(tab3, [late]));
      await until('tab 4’s write on the server', 30_000, async () =>
        (await ctx.api.list('contacts')).some((r) => r.label === late),
      );
      ctx.figure(
        'two tabs: after the first tab closed, the next tab follows the shapes and drains',
      );
      if (errors.length > 0) for (const line of consoleLines) ctx.note(line);
      check(errors.length === 0, `page errors: ${errors.join(' | ')}`);
    } catch (e) {
      for (const line of consoleLines) ctx.note(line);
      throw e;
    } finally {
      await context.close();
    }
  },
};
