/**
 * The refused-write errors scenario (issue #11): the server refuses a live write; the app shows
 * it in its refused-writes panel (the runtime's `useFailedWrites`) with the status, the server's
 * field error and the refused values; Retry sends it again and it lands exactly once; Discard
 * forgets a second one, which never reaches the server. Plus the helper that measures "first
 * write sent after the server answers again".
 */
import type { Request, Route } from 'playwright-core';
import type { Ctx, Scenario } from './scenarios.js';
import { until } from './scenarios.js';
import type { User } from './user.js';

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** Times (absolute ms) at which `user`'s page sent a write (POST/PATCH/PUT/DELETE) to the API. */
export function watchWrites(user: User, apiUrl: string): { since(t: number): Promise<number> } {
  const origin = new URL(apiUrl).origin;
  const sent: number[] = [];
  const listener = (r: Request) => {
    const url = new URL(r.url());
    if (url.origin === origin && r.method() !== 'GET' && !url.pathname.startsWith('/v1/shape'))
      sent.push(Date.now());
  };
  user.page.on('request', listener);
  return {
    /** ms from `t` to the first write sent at or after it (waits up to 60 s). */
    async since(t: number) {
      try {
        const at = await until('a write to be sent', 60_000, async () => sent.find((x) => x >= t));
        return at - t;
      } finally {
        user.page.off('request', listener);
      }
    },
  };
}

/** The panel's entries whose text contains `text` (earlier scenarios may have left others). */
const items = (u: User, text: string) =>
  u.page.locator('[data-testid="failed-write"]').filter({ hasText: text });

export const refusedWrites: Scenario = {
  id: '8-refused-write-errors',
  title: 'refused writes: kept and shown with the field error, Retry lands once, Discard forgets',
  needsLive: true,
  async run(ctx: Ctx) {
    const { a } = ctx;
    await a.goto('contacts');
    const errors = a.console.filter((l) => l.startsWith('[pageerror]')).length;
    let refuse = 0;
    const refusal = async (route: Route) => {
      if (route.request().method() === 'POST' && refuse > 0) {
        refuse--;
        return route.fulfill({
          status: 422,
          contentType: 'application/json',
          body: JSON.stringify({
            error: 'validation_failed',
            message: '1 problem: $.email is already taken',
            fields: [{ field: '$.email', message: 'is already taken' }],
          }),
        });
      }
      return route.fallback();
    };
    const matcher = (url: URL) => url.pathname === '/contacts';
    await a.context.route(matcher, refusal);
    try {
      const kept = `Rejected-${ctx.runId}`;
      refuse = 1;
      await a.create('contacts', { first_name: kept, email: `refused@e2e.example` });
      await until(
        'the refused write in the panel',
        15_000,
        async () => (await items(a, kept).count()) === 1,
      );
      const text = await items(a, kept).innerText();
      check(text.includes('422'), `the panel does not show the status: ${text}`);
      check(text.includes('is already taken'), `the panel does not show the field error: ${text}`);
      check(text.includes(kept), `the panel does not show the refused values: ${text}`);
      await until('the refused row to leave the list', 10_000, async () =>
        (await a.rows('contacts')).every((r) => r.label !== kept),
      );
      ctx.note('refused create: shown with status 422, field error and values; row rolled back');

      await items(a, kept).getByRole('button', { name: 'Retry' }).click();
      await until('the retried row to be synced', 20_000, async () => {
        const row = (await a.rows('contacts')).find((r) => r.label === kept);
        return row !== undefined && !row.pending;
      });
      check((await items(a, kept).count()) === 0, 'the retried write is still in the panel');
      const onServer = (await ctx.api.list('contacts')).filter((r) => r.label === kept).length;
      check(onServer === 1, `the retried contact is on the server ${onServer} times`);

      const dropped = `Dropped-${ctx.runId}`;
      refuse = 1;
      await a.create('contacts', { first_name: dropped, email: `dropped@e2e.example` });
      await until(
        'the second refusal in the panel',
        15_000,
        async () => (await items(a, dropped).count()) === 1,
      );
      await items(a, dropped).getByRole('button', { name: 'Discard' }).click();
      await until(
        'the discarded write to leave the panel',
        5_000,
        async () => (await items(a, dropped).count()) === 0,
      );
      check(
        (await ctx.api.list('contacts')).every((r) => r.label !== dropped),
        'the discarded contact reached the server',
      );
      check(
        (await a.rows('contacts')).every((r) => r.label !== dropped),
        'the discarded contact is still listed',
      );
      const pageErrors = a.console.filter((l) => l.startsWith('[pageerror]')).length - errors;
      check(pageErrors === 0, `${pageErrors} page error(s) during the scenario`);
    } finally {
      await a.context.unroute(matcher, refusal);
    }
  },
};
