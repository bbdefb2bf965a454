/**
 * The real-backend scenario (issue #14): the CRM app against test-apps/fastapi (the CRM on FastAPI
 * + SQLAlchemy, for REST) and `sync-patterns dev --shapes-only` (for the shape feed), both on one
 * Postgres database. Two users of their own (fresh browser contexts on an app built for these two
 * servers): live propagation A → B (timed), an offline edit that reaches the server and B, and a
 * confirmed write the backend refuses (422), rolled back with the error shown.
 *
 * Postgres: a database of its own (`sync_e2e_fastapi_<pid>`, dropped at the end) in DATABASE_URL
 * when set (npm test sets it); otherwise a throwaway cluster (initdb + postgres on a free port, as
 * the `postgres` user when run as root), removed at the end. Python: packages/fastapi/.venv, made
 * by packages/fastapi/venv.sh when missing or stale. Every process started here is stopped on
 * every exit path (Server; stopAll on a crash).
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Api } from './api.js';
import { appDir, isAlive, log, repoRoot, resultsDir, Server, workDir } from './processes.js';
import type { Ctx, Scenario } from './scenarios.js';
import { converge, percentile, until } from './scenarios.js';
import { holdPort } from './setup.js';
import { E2E_TOKEN } from './api.js';
import { User } from './user.js';

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

const cli = path.join(repoRoot, 'packages/cli/bin/sync-patterns.js');
const vite = path.join(repoRoot, 'node_modules/vite/bin/vite.js');
const ms = (v: number) => `${v.toFixed(1)} ms`;

/** Runs a command without blocking the event loop (the browser keeps running); throws on failure. */
function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return new Promise<string>((done, fail) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) =>
      code === 0
        ? done(out)
        : fail(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`)),
    );
  });
}

/** packages/fastapi/.venv (made or refreshed from requirements.lock by venv.sh): its python. */
async function venvPython(): Promise<string> {
  const out = await exec('bash', [path.join(repoRoot, 'packages/fastapi/venv.sh')], repoRoot);
  const venv = out.trim().split('\n').at(-1) ?? '';
  return path.join(venv, 'bin/python');
}

interface Database {
  url: string;
  dispose(): Promise<void>;
}

/** Runs SQL (autocommit) on `url` with the venv's psycopg; returns the first column, a line a row. */
function sql(python: string, url: string, statement: string): Promise<string> {
  const script = [
    'import sys, psycopg',
    'with psycopg.connect(sys.argv[1], autocommit=True) as c:',
    '    cur = c.execute(sys.argv[2])',
    '    for row in (cur.fetchall() if cur.description else []): print(row[0])',
  ].join('\n');
  return exec(python, ['-c', script, url, statement], repoRoot);
}

/** This run's database in DATABASE_URL is `<prefix><pid>`; the throwaway cluster's folder too. */
const DB_PREFIX = 'sync_e2e_fastapi_';
const CLUSTER_PREFIX = 'sync-e2e-fastapi-pg-';

/** Throwaway clusters of killed runs: their folder, once no Postgres runs on it any more. */
function removeStaleClusters(): void {
  for (const name of readdirSync(os.tmpdir())) {
    const pid = Number(/^sync-e2e-fastapi-pg-(\d+)-/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || isAlive(pid)) continue;
    const dir = path.join(os.tmpdir(), name);
    let postmaster = NaN;
    try {
      postmaster = Number(
        readFileSync(path.join(dir, 'data/postmaster.pid'), 'utf8').split('\n')[0],
      );
    } catch {
      // never started, or stopped cleanly
    }
    if (Number.isInteger(postmaster) && isAlive(postmaster)) continue;
    rmSync(dir, { recursive: true, force: true });
  }
}

function pgBinDir(): string | undefined {
  const fromConfig = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
  const candidates = [
    process.env.PG_BINDIR,
    fromConfig.status === 0 ? fromConfig.stdout.trim() : undefined,
    ...spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r'], {
      encoding: 'utf8',
    }).stdout.split('\n'),
  ];
  return candidates.find(
    (d): d is string =>
      d !== undefined && d !== '' && spawnSync('test', ['-x', `${d}/initdb`]).status === 0,
  );
}

/** A database of our own in DATABASE_URL, or a throwaway cluster. */
async function database(python: string): Promise<Database> {
  const given = process.env.DATABASE_URL;
  if (given !== undefined && given !== '') {
    const name = `${DB_PREFIX}${process.pid}`;
    // Databases of runs that were killed before they could drop theirs.
    const names = await sql(
      python,
      given,
      `SELECT datname FROM pg_database WHERE datname LIKE '${DB_PREFIX}%'`,
    );
    for (const stale of names.split('\n').filter(Boolean)) {
      const pid = Number(stale.slice(DB_PREFIX.length));
      if (stale === name || !Number.isInteger(pid) || !isAlive(pid))
        await sql(python, given, `DROP DATABASE IF EXISTS "${stale}" WITH (FORCE)`);
    }
    await sql(python, given, `CREATE DATABASE "${name}"`);
    const url = new URL(given);
    url.pathname = `/${name}`;
    log(`    Postgres: database ${name} in DATABASE_URL`);
    return {
      url: url.toString(),
      dispose: () => sql(python, given, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(),
    };
  }
  const bin = pgBinDir();
  if (bin === undefined)
    throw new Error(
      'no DATABASE_URL and no PostgreSQL server binaries (initdb): set DATABASE_URL, or `apt-get install -y postgresql`',
    );
  removeStaleClusters();
  const dir = mkdtempSync(path.join(os.tmpdir(), `${CLUSTER_PREFIX}${process.pid}-`));
  // Postgres refuses to run as root: as root, its files belong to, and it runs as, `postgres`.
  const root = process.getuid?.() === 0;
  if (root) chownSync(dir, Number(idOf('-u')), Number(idOf('-g')));
  const as = (program: string, args: string[]): [string, string[]] =>
    root ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  const held = await holdPort(undefined, 'the throwaway Postgres port');
  const port = held.port;
  const server = new Server(
    'postgres',
    ...as(`${bin}/postgres`, [
      ...['-D', `${dir}/data`, '-p', String(port), '-k', dir],
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    ]),
    dir,
    async () =>
      spawnSync(`${bin}/pg_isready`, ['-q', '-h', '127.0.0.1', '-p', String(port)]).status === 0,
    {},
    held.release,
  );
  const dispose = async () => {
    await held.release();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await exec(...as(`${bin}/initdb`, ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres']), dir);
    await server.start();
  } catch (e) {
    await dispose();
    throw e;
  }
  log(`    Postgres: throwaway cluster on port ${port} (${dir})`);
  return { url: `postgresql://postgres@127.0.0.1:${port}/postgres`, dispose };
}

function idOf(flag: '-u' | '-g'): string {
  return spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim();
}

/** Everything the scenario starts, stopped and removed in reverse order by `close()`. */
class Stack {
  private readonly undo: (() => Promise<void>)[] = [];
  add(fn: () => Promise<void>): void {
    this.undo.push(fn);
  }
  async close(): Promise<void> {
    const errors: string[] = [];
    for (const fn of this.undo.reverse())
      await fn().catch((e: unknown) => errors.push(e instanceof Error ? e.message : String(e)));
    if (errors.length > 0) log(`    clean-up problems: ${errors.join('; ')}`);
  }
}

export const fastapiBackend: Scenario = {
  id: '9-fastapi-backend',
  title:
    'real backend: FastAPI (REST) + sync-patterns dev --shapes-only (shapes) on Postgres: live, offline, refused confirmed write',
  needsLive: true,
  async run(ctx: Ctx) {
    const stack = new Stack();
    try {
      const t0 = Date.now();
      const [apiPort, shapesPort, appPort] = [
        await holdPort(undefined, 'the FastAPI port'),
        await holdPort(undefined, 'the shapes port'),
        await holdPort(undefined, 'the FastAPI app port'),
      ];
      stack.add(async () => {
        await Promise.all([apiPort.release(), shapesPort.release(), appPort.release()]);
      });
      const apiUrl = `http://127.0.0.1:${apiPort.port}`;
      const shapesUrl = `http://127.0.0.1:${shapesPort.port}`;
      const appUrl = `http://127.0.0.1:${appPort.port}/`;
      const outDir = path.join(workDir, 'fastapi-app');
      mkdirSync(workDir, { recursive: true });
      stack.add(async () => rmSync(outDir, { recursive: true, force: true }));

      // The app, built for these two servers (the generated client is the run's, from prepare()),
      // while the venv and Postgres get ready.
      const build = exec(
        process.execPath,
        [vite, 'build', '--logLevel', 'error', '--emptyOutDir'],
        appDir,
        {
          VITE_API_BASE_URL: apiUrl,
          VITE_ELECTRIC_URL: `${shapesUrl}/v1/shape`,
          APP_OUT_DIR: outDir,
        },
      );
      build.catch(() => undefined);
      const python = await venvPython();
      const db = await database(python);
      stack.add(() => db.dispose());

      const fastapi = new Server(
        'fastapi',
        python,
        ['-m', 'crm_app', '--database-url', db.url, '--port', String(apiPort.port)],
        path.join(repoRoot, 'test-apps/fastapi'),
        `${apiUrl}/health`,
        {
          PYTHONPATH: [
            path.join(repoRoot, 'packages/fastapi/src'),
            path.join(repoRoot, 'test-apps/fastapi'),
          ].join(path.delimiter),
        },
        apiPort.release,
      );
      stack.add(() => fastapi.stop());
      await fastapi.start(); // creates the tables; the shapes server needs them
      const shapes = new Server(
        'shapes-server',
        process.execPath,
        [
          cli,
          'dev',
          '--spec',
          'fixtures/crm/openapi.yaml',
          '--port',
          String(shapesPort.port),
          '--shapes-only',
          '--database-url',
          db.url,
        ],
        repoRoot,
        // The CRM spec declares bearer security: the shape feed answers 401 without a token.
        async () =>
          (
            await fetch(`${shapesUrl}/v1/shape?table=contacts&offset=-1`, {
              headers: { authorization: `Bearer ${E2E_TOKEN}` },
            })
          ).ok,
        {},
        shapesPort.release,
      );
      stack.add(() => shapes.stop());
      await shapes.start();
      await build;
      const preview = new Server(
        'fastapi-app-preview',
        process.execPath,
        [vite, 'preview', '--port', String(appPort.port), '--strictPort'],
        appDir,
        appUrl,
        { APP_OUT_DIR: outDir, APP_PORT: String(appPort.port) },
        appPort.release,
      );
      stack.add(() => preview.stop());
      await preview.start();
      ctx.note(
        `FastAPI on ${apiUrl}, shapes on ${shapesUrl}, app on ${appUrl}: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      );

      const opening = [
        User.open(ctx.browser, 'A-fastapi', appUrl, apiUrl),
        User.open(ctx.browser, 'B-fastapi', appUrl, apiUrl),
      ];
      for (const u of opening) stack.add(async () => (await u.catch(() => null))?.close());
      const [a, b] = (await Promise.all(opening)) as [User, User];
      check((await a.mode()) === 'live', `the app is in "${await a.mode()}" mode, not live`);
      const api = new Api(apiUrl);
      const sub: Ctx = { ...ctx, a, b, api, live: true };
      try {
        await livePropagation(sub);
        await offlineEdit(sub);
        await refusedConfirmed(sub);
        await converge(sub, 'contacts');
        await converge(sub, 'accounts');
      } catch (e) {
        // run.ts saves the artifacts of its own users; these are ours.
        const dir = path.join(resultsDir, fastapiBackend.id);
        mkdirSync(dir, { recursive: true });
        await a.saveArtifacts(dir, 'failure');
        await b.saveArtifacts(dir, 'failure');
        throw e;
      }
    } finally {
      await stack.close();
    }
  },
};

/** (1) A creates five contacts and edits one; B sees each without a reload. */
async function livePropagation(ctx: Ctx): Promise<void> {
  const { a, b } = ctx;
  await a.goto('contacts');
  await b.goto('contacts');
  const toB: number[] = [];
  for (let i = 1; i <= 5; i++) {
    const name = `Fa${i}-${ctx.runId}`;
    const inB = b.waitRow(name, 10_000);
    const click = await a.create('contacts', { first_name: name, email: `fa${i}@e2e.example` });
    const atB = await inB;
    check(atB !== null, `${name}: not visible in B within 10 s (no reload)`);
    toB.push(atB - click);
  }
  const renamed = `FaEdited-${ctx.runId}`;
  const inB = b.waitRow(renamed, 10_000);
  const start = Date.now();
  await a.edit('contacts', `Fa1-${ctx.runId}`, { first_name: renamed });
  const atB = await inB;
  check(atB !== null, `the edit ${renamed} is not visible in B within 10 s`);
  const edit = atB - start;
  ctx.figure(
    `FastAPI + shapes-only: create in A → visible in B: p50 ${ms(percentile(toB, 50))}, max ${ms(Math.max(...toB))} (n=5); edit in A → visible in B: ${ms(edit)}`,
  );
  const onServer = (await ctx.api.list('contacts')).filter((r) => r.label === renamed).length;
  check(onServer === 1, `the edited contact is on the FastAPI backend ${onServer} times`);
}

/** (2) A goes offline, edits a contact, comes back: the edit reaches the server and B. */
async function offlineEdit(ctx: Ctx): Promise<void> {
  const { a, b } = ctx;
  const before = `Fa2-${ctx.runId}`;
  const after = `FaOffline-${ctx.runId}`;
  await a.setOffline(true);
  try {
    await until('A to show offline', 5_000, async () => !(await a.badge()).online);
    await a.edit('contacts', before, { first_name: after });
    await until('the offline edit in A', 5_000, async () =>
      (await a.rows('contacts')).some((r) => r.label === after && r.pending),
    );
    check(
      (await ctx.api.list('contacts')).every((r) => r.label !== after),
      'the offline edit reached the server while A was offline',
    );
    check(
      (await b.rows('contacts')).every((r) => r.label !== after),
      'B shows the offline edit while A is offline',
    );
  } finally {
    await a.setOffline(false);
  }
  const back = Date.now();
  await until('A outbox to drain', 30_000, async () => (await a.badge()).pending === 0);
  await until('the offline edit on the FastAPI backend', 10_000, async () =>
    (await ctx.api.list('contacts')).some((r) => r.label === after),
  );
  const atB = await b.waitRow(after, 15_000);
  check(atB !== null, 'B does not show the offline edit');
  ctx.figure(
    `FastAPI + shapes-only: offline edit → visible in B ${ms(atB - back)} after A reconnects`,
  );
}

/** (3) A confirmed write (accounts, local_first: false) the backend refuses with a 422. */
async function refusedConfirmed(ctx: Ctx): Promise<void> {
  const { a, b } = ctx;
  await a.goto('accounts');
  await b.goto('accounts');
  const refused = `FaRefused-${ctx.runId}`;
  let status = 0;
  const seen = (r: import('playwright-core').Response) => {
    const url = new URL(r.url());
    if (url.origin === new URL(ctx.api.baseUrl).origin && url.pathname === '/accounts')
      if (r.request().method() === 'POST') status = r.status();
  };
  a.page.on('response', seen);
  try {
    await a.create('accounts', {
      name: refused,
      owner_email: 'owner at e2e.example', // not an email: FastAPI (pydantic EmailStr) refuses it
      annual_revenue: '120000.00',
    });
    const error = await until('the refusal to be shown', 10_000, () => a.errorText());
    check(status === 422, `the backend answered ${status}, not 422`);
    check(/owner email/i.test(error), `error message "${error}" does not name the field`);
    await until(
      'the refused row to disappear',
      5_000,
      async () =>
        (await a.rows('accounts')).every((r) => r.label !== refused) &&
        (await a.page.locator('[data-testid="placeholder"]', { hasText: refused }).count()) === 0,
    );
    check(
      (await ctx.api.list('accounts')).every((r) => r.label !== refused),
      'the refused account is on the server',
    );
    check(
      (await b.rows('accounts')).every((r) => r.label !== refused),
      'B shows the refused account',
    );
    ctx.note(`refusal (422) shown: "${error.replace(/\s+/g, ' ').slice(0, 80)}"; row rolled back`);

    const accepted = `FaConfirmed-${ctx.runId}`;
    const inB = b.waitRow(accepted, 10_000);
    await a.create('accounts', {
      name: accepted,
      owner_email: 'owner@e2e.example',
      annual_revenue: '42000.00',
    });
    check((await inB) !== null, 'the accepted confirmed write does not reach B');
  } finally {
    a.page.off('response', seen);
  }
}
