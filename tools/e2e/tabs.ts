/**
 * Two tabs of one app (issue #11, defect 1): user A opens a second tab of the same origin. With
 * the API unreachable, tab 1 makes one write and tab 2 two; each tab shows the other's optimistic
 * rows; tab 2 closes and a new tab opens with all three; then the API comes back and all three
 * land on the server exactly once. No page error in any tab. Before the fix each tab opened its
 * own PGlite on the same IndexedDB database: tab 2 did not see tab 1's rows and a write was lost.
 *
 * NOT REGISTERED in `scenarios` yet: defect 1 is still open in the React runtime (see
 * packages/react-runtime/README.md, status). Register it with the fix.
 */
import type { Page } from 'playwright-core';
import type { Ctx, Scenario } from './scenarios.js';
import { until } from './scenarios.js';
import { sleep } from './processes.js';

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

async function labels(page: Page): Promise<string[]> {
  return page.$$eval('[data-testid="contacts"] [data-testid="row"]', (trs) =>
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
  id: '9-two-tabs',
  title: 'two tabs share one database: each sees the other, 0 writes lost, no page error',
  needsLive: true,
  async run(ctx: Ctx) {
    const { a } = ctx;
    await a.goto('contacts');
    const url = a.page.url();
    const errors: string[] = [];
    const open = async (): Promise<Page> => {
      const page = await a.context.newPage();
      page.on('pageerror', (e) => errors.push(`${e.name}: ${e.message}`));
      await page.goto(url);
      await page.waitForSelector('[data-testid="contacts-table"]', { timeout: 90_000 });
      return page;
    };
    const before = a.console.filter((l) => l.startsWith('[pageerror]')).length;
    const tab2 = await open();
    const names = [1, 2, 3].map((i) => `Tab${i}-${ctx.runId}`);
    a.blockApiWrites(true);
    let tab3: Page | null = null;
    try {
      const t0 = Date.now();
      await create(a.page, names[0]!, 'tab1@e2e.example');
      await create(tab2, names[1]!, 'tab2@e2e.example');
      await create(tab2, names[2]!, 'tab3@e2e.example');
      const seesAll = async (page: Page) => {
        const shown = await labels(page);
        return names.every((n) => shown.includes(n));
      };
      await until('tab 2 to show tab 1’s row and its own', 10_000, () => seesAll(tab2));
      await until('tab 1 to show tab 2’s rows', 10_000, () => seesAll(a.page));
      ctx.figure(`two tabs: each shows the other's optimistic rows within ${Date.now() - t0} ms`);
      await sleep(1_000); // the relaxed IndexedDB flush (see the offline scenario)
      await tab2.close();
      tab3 = await open();
      await until('a new tab to show all three rows', 15_000, () => seesAll(tab3!));
    } finally {
      a.blockApiWrites(false);
    }
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
    await tab3?.close();
    const pageErrors = [
      ...errors,
      ...a.console.filter((l) => l.startsWith('[pageerror]')).slice(before),
    ];
    check(pageErrors.length === 0, `page errors: ${pageErrors.join(' | ')}`);
  },
};
