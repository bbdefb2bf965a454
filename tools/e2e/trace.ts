/**
 * `npx tsx tools/e2e/trace.ts`: where a click's time goes in React live mode. Opens the CRM app
 * in Chromium (one user, one tab: the leader) against a real `sync-patterns dev`, creates
 * contacts, and for each click prints how many messages the page exchanged with the database
 * worker (BroadcastChannel and the worker port, by RPC method) before the row rendered and in
 * the second after, with the round-trip time of each method. Diagnostic only (not a test).
 *
 * `TRACE_MODE=drain`: 20 creates while the API's REST calls fail, a reload, then the API comes
 * back: prints every API request (and the page's console) with its time after the API returned.
 *
 * `TRACE_MODE=ab`: a second user (B) watches: per create in A, the time of A's POST, of B's
 * shape answer, of B's statements, and of the row in B.
 *
 * Env: as tools/e2e/run.ts (E2E_SKIP_BUILD=1 reuses the last build), TRACE_CLICKS (default 10).
 */
import path from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPath, log, stopAll, workDir } from './processes.js';
import { apiUrl, appPreview, appUrl, devServer as makeDevServer, prepare } from './setup.js';
import { helpers } from './user.js';

/** Plain JS (see user.ts): records every message the page posts or receives on a channel/worker. */
const tracer = `
(() => {
  const log = [];
  const now = () => performance.now();
  const describe = (m) => {
    if (m === null || typeof m !== 'object') return { type: typeof m };
    return { type: m.type, method: m.method, callId: m.callId ?? m.id, sql: typeof m.args?.[0] === 'string' ? m.args[0].slice(0, 60) : undefined };
  };
  window.__trace = { log, reset: () => { log.length = 0; } };
  // fetch, in page time: when a request starts, when its answer's headers arrive ('in'), and
  // when its body has been read ('body'; the Electric client reads a shape answer's body)
  const origFetch = window.fetch;
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init && init.method) || (input && input.method) || 'GET';
    const path = new URL(url, location.href).pathname;
    const what = method + ' ' + (path.startsWith('/v1/shape') ? '/v1/shape' : path);
    log.push({ t: now(), dir: 'out', ch: 'fetch', method: what });
    return origFetch.call(this, input, init).then((r) => {
      log.push({ t: now(), dir: 'in', ch: 'fetch', method: what });
      const text = r.text.bind(r);
      const json = r.json.bind(r);
      r.text = () => text().then((x) => { log.push({ t: now(), dir: 'body', ch: 'fetch', method: what }); return x; });
      r.json = () => json().then((x) => { log.push({ t: now(), dir: 'body', ch: 'fetch', method: what }); return x; });
      return r;
    });
  };
  const BC = window.BroadcastChannel;
  const post = BC.prototype.postMessage;
  BC.prototype.postMessage = function (m) {
    log.push({ t: now(), dir: 'out', ch: 'bc:' + this.name.split(':')[0], ...describe(m) });
    return post.call(this, m);
  };
  window.BroadcastChannel = class extends BC {
    constructor(name) {
      super(name);
      BC.prototype.addEventListener.call(this, 'message', (e) =>
        log.push({ t: now(), dir: 'in', ch: 'bc:' + name.split(':')[0], ...describe(e.data) }));
    }
  };
  const W = window.Worker;
  const wpost = W.prototype.postMessage;
  W.prototype.postMessage = function (m, t) {
    log.push({ t: now(), dir: 'out', ch: 'worker', ...describe(m) });
    return wpost.call(this, m, t);
  };
  window.Worker = class extends W {
    constructor(url, options) {
      super(url, options);
      W.prototype.addEventListener.call(this, 'message', (e) =>
        log.push({ t: now(), dir: 'in', ch: 'worker', ...describe(e.data) }));
    }
  };
})();
`;

interface Entry {
  t: number;
  dir: 'in' | 'out' | 'body';
  ch: string;
  type?: string;
  method?: string;
  callId?: string;
  sql?: string;
}

function summarize(entries: Entry[], from: number, to: number): string {
  const inRange = entries.filter((e) => e.t >= from && e.t <= to);
  const byKey = new Map<string, number>();
  for (const e of inRange) {
    const k = `${e.ch} ${e.dir} ${e.type ?? '?'}${e.method ? `:${e.method}` : ''}`;
    byKey.set(k, (byKey.get(k) ?? 0) + 1);
  }
  return [...byKey.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${n}× ${k}`)
    .join(', ');
}

/** Round trip per RPC method: call posted → its answer received. */
function roundTrips(entries: Entry[]): Map<string, number[]> {
  const sent = new Map<string, Entry>();
  const out = new Map<string, number[]>();
  for (const e of entries) {
    if (e.callId === undefined) continue;
    if (e.dir === 'out' && e.method !== undefined) sent.set(e.callId, e);
    else if (e.dir === 'in' && sent.has(e.callId) && e.type !== 'rpc-call') {
      const s = sent.get(e.callId)!;
      sent.delete(e.callId);
      const k = `${s.method}`;
      out.set(k, [...(out.get(k) ?? []), e.t - s.t]);
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  const clicks = Number(process.env.TRACE_CLICKS ?? 10);
  await prepare();
  const dataDir = path.join(workDir, 'db');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  const server = makeDevServer(dataDir);
  const preview = appPreview();
  await server.start();
  await preview.start();
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: chromiumArgs,
    headless: true,
  });
  try {
    const context = await browser.newContext();
    await context.addInitScript({ content: tracer });
    await context.addInitScript({ content: helpers });
    const page = await context.newPage();
    await page.goto(`${appUrl}#contacts`);
    await page.waitForSelector('[data-testid="contacts-table"]', { timeout: 90_000 });
    await page.waitForTimeout(3_000);
    log(`trace: API ${apiUrl}, app ${appUrl}`);
    const form = page.locator('[data-testid="contacts"] form');
    if (process.env.TRACE_MODE === 'ab') {
      const other = await browser.newContext();
      await other.addInitScript({ content: tracer });
      await other.addInitScript({ content: helpers });
      const b = await other.newPage();
      await b.goto(`${appUrl}#contacts`);
      await b.waitForSelector('[data-testid="contacts-table"]', { timeout: 90_000 });
      await b.waitForTimeout(3_000);
      const apiOrigin = new URL(apiUrl).origin;
      const events: { at: number; what: string }[] = [];
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.origin === apiOrigin && r.method() === 'POST')
          events.push({ at: Date.now(), what: 'A POST sent' });
      });
      page.on('requestfinished', (r) => {
        const u = new URL(r.url());
        if (u.origin === apiOrigin && r.method() === 'POST')
          events.push({ at: Date.now(), what: 'A POST answered' });
      });
      b.on('requestfinished', (r) => {
        const u = new URL(r.url());
        if (u.pathname.startsWith('/v1/shape'))
          events.push({ at: Date.now(), what: `B shape answered ${u.searchParams.get('table')}` });
      });
      const totals: number[] = [];
      const hops = new Map<string, number[]>();
      const hop = (name: string, ms: number | undefined) => {
        if (ms === undefined || !Number.isFinite(ms)) return;
        hops.set(name, [...(hops.get(name) ?? []), ms]);
      };
      for (let i = 1; i <= clicks; i++) {
        const name = `AB${i}-${Date.now().toString(36)}`;
        await form.locator('[name="first_name"]').fill(name);
        await form.locator('[name="email"]').fill(`ab${i}@e2e.example`);
        events.length = 0;
        for (const p of [page, b])
          await p.evaluate(() =>
            (window as unknown as { __trace: { reset(): void } }).__trace.reset(),
          );
        const inB = b.evaluate((n) => window.__e2e.waitRow(n, 10_000), name);
        const t0 = Date.now();
        await form.locator('button[type="submit"]').click();
        const click = await page.evaluate(() => window.__e2e.lastClick);
        const at = await inB;
        const { entries, origin } = await b.evaluate(() => ({
          entries: (window as unknown as { __trace: { log: Entry[] } }).__trace.log,
          origin: performance.timeOrigin,
        }));
        const inA = await page.evaluate(() => ({
          entries: (window as unknown as { __trace: { log: Entry[] } }).__trace.log,
          origin: performance.timeOrigin,
        }));
        const rel = (abs: number) => `${(abs - click).toFixed(0).padStart(5)} ms`;
        totals.push((at ?? NaN) - click);
        log(
          `create ${i}: in B after ${((at ?? NaN) - click).toFixed(0)} ms (click at +${(click - t0).toFixed(0)} ms of the Playwright click)`,
        );
        for (const e of events) log(`  ${rel(e.at)} ${e.what}`);
        // in page time (sub-ms): A's messages to its worker and requests until its POST answered
        const pageLine = (who: string, list: Entry[], o: number, until: (e: Entry) => boolean) => {
          const shown: string[] = [];
          for (const e of list) {
            if (e.ch === 'worker' || e.ch === 'fetch')
              shown.push(
                `${(e.t + o - click).toFixed(1)} ${e.ch === 'fetch' ? 'fetch ' : ''}${e.dir}${e.method ? `:${e.method}` : e.type ? `:${e.type}` : ''}`,
              );
            if (until(e)) break;
          }
          log(`  ${who} (ms after the click): ${shown.join(', ')}`);
        };
        pageLine(
          'A',
          inA.entries,
          inA.origin,
          (e) => e.ch === 'fetch' && e.dir === 'in' && (e.method ?? '').startsWith('POST'),
        );
        pageLine('B', entries, origin, () => false);
        const stmts = entries.filter((e) => e.dir === 'out' && e.ch === 'worker');
        if (stmts.length > 0)
          log(
            `  ${rel(stmts[0]!.t + origin)} B first statement; ${stmts.length} statements until ${rel(stmts[stmts.length - 1]!.t + origin)}: ${stmts.map((e) => e.method).join(' ')}`,
          );
        log(`  ${rel(at ?? NaN)} row in B`);
        // hops, in page time (both pages on one machine: one clock)
        const aAbs = (e: Entry | undefined) => (e ? e.t + inA.origin : undefined);
        const bAbs = (e: Entry | undefined) => (e ? e.t + origin : undefined);
        const post = inA.entries.find(
          (e) => e.ch === 'fetch' && e.dir === 'out' && e.method?.startsWith('POST'),
        );
        const posted = inA.entries.find(
          (e) => e.ch === 'fetch' && e.dir === 'in' && e.method?.startsWith('POST'),
        );
        const firstA = inA.entries.find((e) => e.ch === 'worker' && e.dir === 'out');
        const shapeIn = entries.find(
          (e) =>
            e.ch === 'fetch' &&
            e.dir === 'in' &&
            e.method === 'GET /v1/shape' &&
            e.t + origin > (aAbs(post) ?? 0),
        );
        const shapeBody = entries.find(
          (e) => e.ch === 'fetch' && e.dir === 'body' && e.t >= (shapeIn?.t ?? Infinity),
        );
        const bOut = entries.filter(
          (e) => e.ch === 'worker' && e.dir === 'out' && e.t >= (shapeIn?.t ?? Infinity),
        );
        const bLastIn = [...entries]
          .reverse()
          .find((e) => e.ch === 'worker' && e.dir === 'in' && (at ?? 0) >= e.t + origin);
        const sub = (x: number | undefined, y: number | undefined) =>
          x !== undefined && y !== undefined ? x - y : undefined;
        hop('click → A first worker call', sub(aAbs(firstA), click));
        hop('click → A POST sent', sub(aAbs(post), click));
        hop('A POST sent → answered', sub(aAbs(posted), aAbs(post)));
        hop('A POST sent → B shape answer', sub(bAbs(shapeIn), aAbs(post)));
        hop('B shape answer → body read', sub(bAbs(shapeBody), bAbs(shapeIn)));
        hop('B body read → first worker call', sub(bAbs(bOut[0]), bAbs(shapeBody)));
        hop('B first worker call → last answer before the row', sub(bAbs(bLastIn), bAbs(bOut[0])));
        hop('B last answer → row in B', sub(at ?? undefined, bAbs(bLastIn)));
        await page.waitForTimeout(500);
      }
      log(`trace: A → B p50 ${median(totals).toFixed(0)} ms (n=${totals.length})`);
      for (const [name, xs] of hops)
        log(`  ${name.padEnd(50)} p50 ${median(xs).toFixed(1)} ms (n=${xs.length})`);
      return;
    }
    if (process.env.TRACE_MODE === 'drain') {
      const apiOrigin = new URL(apiUrl).origin;
      let blocked = true;
      let t0 = Date.now();
      await context.route(
        (u) => u.origin === apiOrigin && !u.pathname.startsWith('/v1/shape'),
        (route) => (blocked ? route.abort('internetdisconnected') : route.fallback()),
      );
      page.on('request', (r) => {
        const u = new URL(r.url());
        if (u.origin === apiOrigin)
          log(
            `  ${String(Date.now() - t0).padStart(6)} ms ${blocked ? 'blocked ' : ''}${r.method()} ${u.pathname}`,
          );
      });
      page.on('console', (m) =>
        log(`  ${String(Date.now() - t0).padStart(6)} ms console ${m.text()}`),
      );
      for (let i = 1; i <= 20; i++) {
        await form.locator('[name="first_name"]').fill(`Drain${i}`);
        await form.locator('[name="email"]').fill(`drain${i}@e2e.example`);
        await form.locator('button[type="submit"]').click();
      }
      await page.waitForTimeout(1_000);
      if (process.env.TRACE_RELOAD !== '0') {
        log('trace: reload');
        await page.reload();
        await page.waitForSelector('[data-testid="contacts-table"]', { timeout: 90_000 });
      }
      await page.waitForTimeout(Number(process.env.TRACE_WAIT ?? 3_000));
      t0 = Date.now();
      blocked = false;
      log('trace: API answers again');
      const badge = page.locator('[data-testid="sync-badge"]');
      while (Number(await badge.getAttribute('data-pending')) > 0 && Date.now() - t0 < 60_000)
        await page.waitForTimeout(50);
      log(`trace: drained after ${Date.now() - t0} ms`);
      return;
    }
    const all: Entry[] = [];
    const perClick: number[] = [];
    const perClickAll: number[] = [];
    const latencies: number[] = [];
    for (let i = 1; i <= clicks; i++) {
      const name = `Trace${i}-${Date.now().toString(36)}`;
      await form.locator('[name="first_name"]').fill(name);
      await form.locator('[name="email"]').fill(`trace${i}@e2e.example`);
      await page.evaluate(() =>
        (window as unknown as { __trace: { reset(): void } }).__trace.reset(),
      );
      const row = page.evaluate((n) => window.__e2e.waitRow(n, 5_000), name);
      await form.locator('button[type="submit"]').click();
      const at = await row;
      await page.waitForTimeout(1_500);
      const { entries, click, origin } = await page.evaluate(() => ({
        entries: (window as unknown as { __trace: { log: Entry[] } }).__trace.log,
        click: window.__e2e.lastClick,
        origin: performance.timeOrigin,
      }));
      const clickT = click - origin;
      const rowT = (at ?? NaN) - origin;
      const before = entries.filter((e) => e.t >= clickT && e.t <= rowT).length;
      perClick.push(before);
      perClickAll.push(entries.length);
      latencies.push(rowT - clickT);
      all.push(...entries);
      log(
        `click ${i}: row after ${(rowT - clickT).toFixed(1)} ms; ${before} messages before the row, ${entries.length} within 1.5 s`,
      );
      log(`  before the row: ${summarize(entries, clickT, rowT)}`);
      log(`  after the row:  ${summarize(entries, rowT, Infinity)}`);
      if (i === 1) {
        for (const e of entries)
          log(
            `    ${(e.t - clickT).toFixed(1).padStart(8)} ms ${e.dir.padEnd(3)} ${e.ch} ${e.type ?? ''} ${e.method ?? ''} ${e.sql ?? ''}`,
          );
      }
    }
    log(
      `\ntrace: click → row p50 ${median(latencies).toFixed(1)} ms; messages before the row p50 ${median(perClick)}, within 1.5 s p50 ${median(perClickAll)}`,
    );
    for (const [method, times] of [...roundTrips(all).entries()].sort(
      (a, b) => b[1].length - a[1].length,
    ))
      log(
        `  ${method.padEnd(26)} ${String(times.length).padStart(5)} calls, round trip p50 ${median(times).toFixed(2)} ms, max ${Math.max(...times).toFixed(1)} ms`,
      );
  } finally {
    await browser.close();
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  async (e: unknown) => {
    await stopAll();
    console.error(e);
    process.exit(1);
  },
);
