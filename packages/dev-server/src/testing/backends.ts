/**
 * Test support: the CRM fixture's IR, a fast PGlite start (an initdb'd data dir dumped once per
 * machine into the temp folder and loaded by every server), and the backends the suites run
 * against: PGlite always, real Postgres when DATABASE_URL is set (a fresh database per server).
 */
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, type RunnerTask } from 'vitest';
import { loadSpec, type SyncIR } from '@sync/core';
import { dumpEmptyPglite } from '../db/pglite.js';
import { startDevServer, type DevServer, type DevServerOptions } from '../start.js';

export const ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const CRM_SPEC = join(ROOT, 'fixtures/crm/openapi.yaml');

let irPromise: Promise<SyncIR> | null = null;
export function crmIr(): Promise<SyncIR> {
  irPromise ??= loadSpec(CRM_SPEC).then((r) => {
    if (r.ir === null)
      throw new Error(
        `crm fixture did not load: ${r.diagnostics.map((d) => d.message).join('; ')}`,
      );
    return r.ir;
  });
  return irPromise;
}

const irCache = new Map<string, Promise<SyncIR>>();
/** The IR of a spec file (relative to the repo root, or absolute); throws on spec errors. */
export function specIr(path: string): Promise<SyncIR> {
  const file = resolve(ROOT, path);
  let p = irCache.get(file);
  if (p === undefined) {
    p = loadSpec(file).then((r) => {
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      if (r.ir === null || errors.length > 0)
        throw new Error(`${file} did not load: ${errors.map((d) => d.message).join('; ')}`);
      return r.ir;
    });
    irCache.set(file, p);
  }
  return p;
}

let dumpPromise: Promise<Blob> | null = null;
/** An empty PGlite data dir as a tarball, cached in the temp folder across test files and runs. */
export function pgliteDump(): Promise<Blob> {
  dumpPromise ??= (async () => {
    const file = join(tmpdir(), 'sync-dev-server-pglite-0.5.16.tar');
    try {
      return new Blob([new Uint8Array(await readFile(file))]);
    } catch {
      const blob = await dumpEmptyPglite();
      const partial = `${file}.${randomUUID()}`;
      await writeFile(partial, Buffer.from(await blob.arrayBuffer()));
      await rename(partial, file);
      return blob;
    }
  })();
  return dumpPromise;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  /** Server options for a fresh, empty database (and a cleanup to run after the server closes). */
  fresh(): Promise<{ options: Partial<DevServerOptions>; drop(): Promise<void> }>;
}

const pgliteBackend: Backend = {
  name: 'pglite',
  async fresh() {
    return { options: { pgliteDump: await pgliteDump() }, drop: async () => undefined };
  },
};

const postgresBackend = (baseUrl: string): Backend => ({
  name: 'postgres',
  async fresh() {
    const name = `sync_dev_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      options: { databaseUrl: url.toString() },
      async drop() {
        const c = new pg.Client({ connectionString: baseUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  },
});

const DATABASE_URL = process.env.DATABASE_URL;
/**
 * The backends a suite runs against, as `describe.each(BACKENDS)('<title> ($name)', …)`: the
 * Postgres half of every such suite runs only when DATABASE_URL is set (`npm test` starts a
 * throwaway cluster for it). Without it, the half that did not run is reported by name to
 * `npm test`'s summary (see reportSkippedPostgresHalf).
 */
export const BACKENDS: Backend[] =
  DATABASE_URL !== undefined && DATABASE_URL !== ''
    ? [pgliteBackend, postgresBackend(DATABASE_URL)]
    : [pgliteBackend];
if (BACKENDS.length === 1) {
  process.stderr.write(
    '[dev-server tests] DATABASE_URL is not set: the Postgres backend is skipped\n',
  );
  reportSkippedPostgresHalf();
}

function countTests(task: RunnerTask): number {
  return task.type === 'suite' ? task.tasks.reduce((n, t) => n + countTests(t), 0) : 1;
}

/**
 * Without DATABASE_URL the Postgres twin of every `(pglite)` suite in this test file is never
 * collected, so vitest cannot count it. After the file has run, this writes how many tests that
 * half holds to .test-results/ (the folder `npm test` reads for its closing line, which then shows
 * "dev-server on Postgres (DATABASE_URL is not set): N tests not run" and counts N as skipped).
 * Only under `npm test` (tools/run-vitest.mjs creates the folder); an ad-hoc vitest run just logs.
 */
function reportSkippedPostgresHalf(): void {
  const results = join(ROOT, '.test-results');
  afterAll((suite) => {
    const file = suite.file;
    if (!existsSync(results)) return;
    // describe.each formats `($name)` as `('pglite')`.
    const title = new RegExp(`\\((['"]?)${pgliteBackend.name}\\1\\)$`);
    const pgliteHalf = (t: RunnerTask): number =>
      t.type !== 'suite'
        ? 0
        : title.test(t.name)
          ? countTests(t)
          : t.tasks.reduce((n, c) => n + pgliteHalf(c), 0);
    const tests = file.tasks.reduce((n, t) => n + pgliteHalf(t), 0);
    if (tests === 0) return;
    const slug = relative(ROOT, file.filepath)
      .replace(/[\\/]/g, '__')
      .replace(/\.test\.ts$/, '');
    const record = {
      passed: 0,
      failed: 0,
      skipped: tests,
      skippedSuites: [{ name: 'dev-server on Postgres', reason: 'DATABASE_URL is not set', tests }],
    };
    writeFileSync(join(results, `skipped__${slug}.json`), `${JSON.stringify(record)}\n`);
  });
}

export interface TestServer extends DevServer {
  /** Closes the server and drops its database. */
  stop(): Promise<void>;
}

export async function startTestServer(
  backend: Backend,
  extra: Partial<DevServerOptions> = {},
): Promise<TestServer> {
  const ir = await crmIr();
  const db = await backend.fresh();
  const server = await startDevServer({ ir, port: 0, quiet: true, ...db.options, ...extra });
  return {
    ...server,
    async stop() {
      await server.close();
      await db.drop();
    },
  };
}

/**
 * The bearer token test clients send: operations that declare `security` answer 401 without
 * one (the dev server's default). Its text is the principal id (no --auth file).
 */
export const TOKEN: Readonly<Record<string, string>> = { authorization: 'Bearer dev-tests' };

/** Pass as (part of) `api`'s headers to send no token at all. */
export const NO_TOKEN: Readonly<Record<string, string>> = { authorization: '' };

/**
 * JSON request helper: returns status, parsed body and headers. Sends {@link TOKEN} unless the
 * headers carry their own `authorization` ({@link NO_TOKEN}: none).
 */
export async function api<T = Record<string, unknown>>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: T }> {
  const sent: Record<string, string> = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...('authorization' in headers ? {} : TOKEN),
    ...headers,
  };
  if (sent.authorization === '') delete sent.authorization;
  const res = await fetch(`${base}${path}`, {
    method,
    headers: sent,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: (text === '' ? undefined : JSON.parse(text)) as T,
  };
}

/** Polls `check` until it returns true (or throws after `ms`). */
export async function eventually(
  check: () => boolean,
  ms = 5_000,
  what = 'condition',
): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
