/**
 * One simulated user: a browser context (its own IndexedDB, network and offline state) with one
 * page of the app, its console log, and the UI actions the scenarios use.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';

export type Screen = 'contacts' | 'accounts' | 'people';

/** In-page helpers (installed before the app loads, on every navigation). */
declare global {
  interface Window {
    __e2e: {
      lastClick: number;
      /** Absolute time (ms, sub-ms precision) at which a list row containing `text` exists. */
      waitRow: (text: string, timeoutMs: number) => Promise<number | null>;
      now: () => number;
    };
  }
}

/**
 * Plain JavaScript on purpose: a serialised TS function would carry the transpiler's helpers
 * (`__name`), which do not exist in the page.
 */
export const helpers = `
(() => {
  const now = () => performance.timeOrigin + performance.now();
  const rowWith = (text) =>
    [...document.querySelectorAll('[data-testid="row"]')].some((r) => (r.textContent || '').includes(text));
  window.__e2e = {
    lastClick: 0,
    now,
    waitRow: (text, timeoutMs) =>
      new Promise((resolve) => {
        if (rowWith(text)) return resolve(now());
        const observer = new MutationObserver(() => {
          if (!rowWith(text)) return;
          observer.disconnect();
          clearTimeout(timer);
          resolve(now());
        });
        observer.observe(document, { childList: true, subtree: true, characterData: true });
        const timer = setTimeout(() => { observer.disconnect(); resolve(null); }, timeoutMs);
      }),
  };
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('button[type="submit"]'))
      window.__e2e.lastClick = now();
  }, true);
})();
`;

export interface VisibleRow {
  key: string;
  label: string;
  pending: boolean;
}

/** A cold start opens PGlite in IndexedDB: seconds in headless Chromium. */
const OPEN_TIMEOUT = 90_000;

export class User {
  readonly console: string[] = [];
  /** Navigation → list rendered, of the last open or reload. */
  lastOpenMs = 0;
  private apiBlocked = false;

  private constructor(
    readonly name: string,
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly appUrl: string,
    private readonly apiOrigin: string,
  ) {}

  static async open(browser: Browser, name: string, appUrl: string, apiUrl: string): Promise<User> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    await context.addInitScript({ content: helpers });
    const page = await context.newPage();
    const user = new User(name, context, page, appUrl, new URL(apiUrl).origin);
    page.on('console', (m) => user.console.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => user.console.push(`[pageerror] ${e.stack ?? e.message}`));
    page.on('requestfailed', (r) =>
      user.console.push(`[requestfailed] ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`),
    );
    await context.route(
      (url) => url.origin === user.apiOrigin && !url.pathname.startsWith('/v1/shape'),
      (route: Route) => (user.apiBlocked ? route.abort('internetdisconnected') : route.fallback()),
    );
    const t0 = Date.now();
    await user.goto('contacts');
    user.lastOpenMs = Date.now() - t0;
    return user;
  }

  /** The app's sync mode as it reports it on <html data-sync-mode>. */
  async mode(): Promise<string> {
    return this.page.evaluate(() => document.documentElement.dataset.syncMode ?? 'unknown');
  }

  async goto(screen: Screen): Promise<void> {
    const target = `${this.appUrl}#${screen}`;
    if (this.page.url() === 'about:blank') await this.page.goto(target);
    else await this.page.evaluate((s) => (window.location.hash = s), screen);
    await this.page.waitForSelector(`[data-testid="${screen}-table"]`, { timeout: OPEN_TIMEOUT });
  }

  /** Reloads the page (a fresh app start from the browser's storage) on `screen`. */
  async reload(screen: Screen): Promise<void> {
    await this.page.evaluate((s) => (window.location.hash = s), screen);
    const t0 = Date.now();
    await this.page.reload();
    await this.page.waitForSelector(`[data-testid="${screen}-table"]`, { timeout: OPEN_TIMEOUT });
    this.lastOpenMs = Date.now() - t0;
  }

  /** Whole-network offline (navigator.onLine false, every request fails). */
  async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline);
  }

  /** The API's REST calls fail as if offline; the app's files and the shape feed still load. */
  blockApiWrites(blocked: boolean): void {
    this.apiBlocked = blocked;
  }

  private form(screen: Screen) {
    return this.page.locator(`[data-testid="${screen}"] form`);
  }

  async fill(screen: Screen, values: Record<string, string | boolean>): Promise<void> {
    const form = this.form(screen);
    for (const [name, value] of Object.entries(values)) {
      const input = form.locator(`[name="${name}"]`);
      if (typeof value === 'boolean') await input.setChecked(value);
      else if ((await input.evaluate((e) => e.tagName)) === 'SELECT')
        await input.selectOption(value);
      else await input.fill(value);
    }
  }

  async submit(screen: Screen): Promise<void> {
    await this.form(screen).locator('button[type="submit"]').click();
  }

  /** Fills and submits; returns the click time (absolute ms) recorded in the page. */
  async create(screen: Screen, values: Record<string, string | boolean>): Promise<number> {
    await this.fill(screen, values);
    await this.submit(screen);
    return this.page.evaluate(() => window.__e2e.lastClick);
  }

  async edit(screen: Screen, label: string, values: Record<string, string | boolean>) {
    await this.page
      .locator(`[data-testid="${screen}"]`)
      .getByRole('button', { name: `Edit ${label}`, exact: true })
      .click();
    await this.fill(screen, values);
    await this.submit(screen);
  }

  async remove(screen: Screen, label: string): Promise<void> {
    await this.page
      .locator(`[data-testid="${screen}"]`)
      .getByRole('button', { name: `Delete ${label}`, exact: true })
      .click();
  }

  /** Time (absolute ms) when a row containing `text` is in the DOM; null after the timeout. */
  async waitRow(text: string, timeoutMs: number): Promise<number | null> {
    try {
      return await this.page.evaluate(([t, ms]) => window.__e2e.waitRow(t, ms), [
        text,
        timeoutMs,
      ] as const);
    } catch (e) {
      this.console.push(
        `[e2e] waitRow(${text}) failed: ${e instanceof Error ? e.message : String(e)}`,
      );
      return null; // a reload or navigation interrupted the wait
    }
  }

  async rows(screen: Screen): Promise<VisibleRow[]> {
    return this.page.$$eval(`[data-testid="${screen}"] [data-testid="row"]`, (trs) =>
      trs.map((tr) => ({
        key: tr.getAttribute('data-key') ?? '',
        label: tr.querySelector('.primary')?.textContent ?? '',
        pending: tr.getAttribute('data-pending') === 'true',
      })),
    );
  }

  async badge(): Promise<{ online: boolean; pending: number }> {
    const badge = this.page.locator('[data-testid="sync-badge"]');
    return {
      online: (await badge.getAttribute('data-online')) === 'true',
      pending: Number(await badge.getAttribute('data-pending')),
    };
  }

  async errorText(): Promise<string | null> {
    const alert = this.page.locator('[data-testid="error"]');
    return (await alert.count()) > 0 ? alert.first().locator('p').innerText() : null;
  }

  /** Screenshot + console log under dir (on failure). */
  async saveArtifacts(dir: string, prefix: string): Promise<void> {
    await this.page
      .screenshot({ path: path.join(dir, `${prefix}-${this.name}.png`), fullPage: true })
      .catch(() => undefined);
    writeFileSync(path.join(dir, `${prefix}-${this.name}.console.log`), this.console.join('\n'));
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
