/**
 * Test support for the PGlite runtime: the CRM fixture's IR, its `liveSchema` as @sync/react
 * generates it (the checked-in golden output, imported as an app imports it, so the tests run the
 * real generated SQL), an empty PGlite data dir dumped once per process (each client/server starts
 * from it in ~0.3 s), the real dev server, and a controllable `fetch` (offline, 503 once, call log).
 * The runtime depends on no generator: a test that needs a schema generated from another IR gets it
 * from `generators/react/src/testing/live-schema.ts`.
 */
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, type SyncIR } from '@sync/core';
import { dumpEmptyPglite, startDevServer, type DevServer } from '@sync/dev-server';
import { createSyncClient, type SyncClient, type SyncClientOptions } from '../client/create.js';
import type { LiveSchema } from '../schema.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
let ir: Promise<SyncIR> | null = null;
let dump: Promise<Blob> | null = null;
let schema: Promise<LiveSchema> | null = null;

export function crmIr(): Promise<SyncIR> {
  ir ??= loadSpec(path.join(root, 'fixtures/crm/openapi.yaml')).then((r) => {
    if (!r.ir) throw new Error('crm fixture did not load');
    return r.ir;
  });
  return ir;
}

let batchIr: Promise<SyncIR> | null = null;
/**
 * The CRM plus the batch write operation of fixtures/dev-server/sync-batch.yaml (`POST /sync/batch`,
 * `x-sync-batch: true`): both copied to a temp folder, the path item referenced from `paths`.
 */
export function crmBatchIr(): Promise<SyncIR> {
  batchIr ??= (async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-crm-batch-'));
    const crm = readFileSync(path.join(root, 'fixtures/crm/openapi.yaml'), 'utf8');
    writeFileSync(
      path.join(dir, 'openapi.yaml'),
      crm.replace(/^paths:\n/m, "paths:\n  /sync/batch:\n    $ref: './sync-batch.yaml#/path'\n"),
    );
    copyFileSync(
      path.join(root, 'fixtures/dev-server/sync-batch.yaml'),
      path.join(dir, 'sync-batch.yaml'),
    );
    const r = await loadSpec(path.join(dir, 'openapi.yaml'), { cwd: dir });
    if (!r.ir?.batch) throw new Error('crm + batch did not load');
    return r.ir;
  })();
  return batchIr;
}

export function emptyDump(): Promise<Blob> {
  dump ??= dumpEmptyPglite();
  return dump;
}

/**
 * The CRM fixture's `liveSchema`: @sync/react's golden output for fixtures/crm (the golden test,
 * `npx vitest run tools/golden`, keeps it equal to what the generator prints today).
 */
export function crmSchema(): Promise<LiveSchema> {
  const file = path.join(root, 'generators/react/__goldens__/crm/live/schema.ts');
  schema ??= (import(/* @vite-ignore */ file) as Promise<{ liveSchema: LiveSchema }>).then(
    (m) => m.liveSchema,
  );
  return schema;
}

export async function startServer(): Promise<DevServer> {
  return startDevServer({ ir: await crmIr(), port: 0, quiet: true, pgliteDump: await emptyDump() });
}

/** Resolves when `signal` aborts (never without one), rejecting like fetch does. */
const aborted = (signal: AbortSignal | null | undefined) =>
  new Promise<never>((_, reject) => {
    const fail = () =>
      reject(
        signal?.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'),
      );
    if (signal?.aborted) fail();
    else signal?.addEventListener('abort', fail);
  });

/**
 * A fetch the test controls: `offline` fails every call, `failWrites` answers 503 to writes,
 * `hangWrites` lets the server commit a write but never answers (a proxy swallowing responses),
 * `holdReads` makes shape requests wait (a lagging shape), `answerWrites` replaces the server's
 * answer to writes (e.g. 429 with Retry-After).
 */
export class TestFetch {
  offline = false;
  failWrites = 0;
  hangWrites = 0;
  holdReads = false;
  answerWrites: (() => Response) | null = null;
  readonly writes: {
    method: string;
    url: string;
    key: string | null;
    body: unknown;
    at: number;
  }[] = [];
  readonly reads: string[] = [];
  private released: (() => void)[] = [];

  /** Lets held shape requests go on. */
  releaseReads(): void {
    this.holdReads = false;
    for (const r of this.released.splice(0)) r();
  }

  readonly fetch: typeof fetch = async (input, init) => {
    if (this.offline) throw new TypeError('fetch failed (test: offline)');
    const method = init?.method ?? 'GET';
    if (method === 'GET') {
      this.reads.push(String(input));
      if (!String(input).includes('/v1/shape')) return globalThis.fetch(input, init);
      const hold = () =>
        Promise.race([new Promise<void>((r) => this.released.push(r)), aborted(init?.signal)]);
      if (this.holdReads) await hold();
      const response = await globalThis.fetch(input, init);
      // an answer arriving while reads are held (a long poll in flight) waits too
      if (this.holdReads) await hold();
      return response;
    } else {
      const key = new Headers(init?.headers).get('idempotency-key');
      const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
      this.writes.push({ method, url: String(input), key, body, at: Date.now() });
      if (this.answerWrites) return this.answerWrites();
      if (this.hangWrites > 0) {
        this.hangWrites--;
        await globalThis.fetch(input, { ...init, signal: null });
        return aborted(init?.signal);
      }
      if (this.failWrites > 0) {
        this.failWrites--;
        // the request still reaches the server: the retry must not create a duplicate
        await globalThis.fetch(input, init);
        return new Response('{"error":"unavailable"}', { status: 503 });
      }
    }
    return globalThis.fetch(input, init);
  };
}

/** The bearer token test clients send (its text is the principal id on sync-patterns dev). */
export const TEST_TOKEN = 'runtime-tests';
export const TEST_AUTH: Readonly<Record<string, string>> = {
  authorization: `Bearer ${TEST_TOKEN}`,
};

export async function startClient(
  server: DevServer,
  f: TestFetch = new TestFetch(),
  extra: { schema?: LiveSchema; loadDataDir?: Blob; options?: Partial<SyncClientOptions> } = {},
): Promise<SyncClient> {
  const client = createSyncClient({
    // The CRM spec declares bearer security: sync-patterns dev answers 401 without a token.
    getAuthToken: () => Promise.resolve(TEST_TOKEN),
    ...extra.options,
    apiBaseUrl: server.url,
    electricUrl: `${server.url}/v1/shape`,
    fetch: f.fetch,
    loadDataDir: extra.loadDataDir ?? (await emptyDump()),
    schema: extra.schema ?? (await crmSchema()),
  });
  await client.ready;
  return client;
}

/** Polls `check` until it returns a truthy value (or fails after `ms`). */
export async function eventually<T>(check: () => Promise<T> | T, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Rows of a SQL query on the client's database. */
export async function rows<T = Record<string, unknown>>(
  client: SyncClient,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await client.db().query<T>(sql, params)).rows;
}
