/**
 * `startDevServer`: opens the database (PGlite, or Postgres with `databaseUrl`), creates the
 * schema from the IR, wires the REST API and the shape feed onto one node:http server, and
 * returns a handle whose `close()` shuts down in order: long-polls answer up-to-date, in-flight
 * requests finish, the server closes, then the database closes (a data dir is left consistent).
 */
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SyncIR } from '@sync/core';
import { Auth, readAuthFile, type AuthFile } from './auth/auth.js';
import type { Database } from './db/database.js';
import { openPglite } from './db/pglite.js';
import { openPostgres } from './db/postgres.js';
import { createHttpServer, type HttpDeps } from './http/server.js';
import { Api } from './rest/api.js';
import { EntityHandlers } from './rest/entity.js';
import { Router } from './rest/router.js';
import { NOTIFY_CHANNEL, schemaDdl } from './schema/ddl.js';
import { buildModel } from './schema/model.js';
import { applySeed, readSeed, type SeedData } from './seed.js';
import { ShapeFeed } from './shape/feed.js';
import { ShapeHandles } from './shape/handles.js';
import { liveTables } from './shape/request.js';
import { Notifier } from './shape/notifier.js';

export interface DevServerOptions {
  ir: SyncIR;
  /**
   * Principals by token (`--auth <file>`, or the file's content). Enforces auth: a secured
   * operation without a token, or an unknown token, answers 401; x-rbac applies.
   */
  auth?: string | AuthFile;
  /**
   * Serve callers without a token on secured operations as the anonymous principal
   * (`--allow-anonymous`). By default they answer 401, as the backend the spec describes would.
   */
  allowAnonymous?: boolean;
  /** Default 4100; 0 picks a free port. */
  port?: number;
  host?: string;
  /** A Postgres URL; without it the server runs embedded PGlite. */
  databaseUrl?: string;
  /** PGlite only: persist the database in this folder (created if missing). */
  dataDir?: string;
  /** A seed file path, or the seed data itself. */
  seed?: string | SeedData;
  quiet?: boolean;
  /** Where log lines go (default: stderr). */
  log?: (line: string) => void;
  /** How long a live request is held without changes (default 20 s). */
  longPollTimeoutMs?: number;
  /** PGlite only: start from a `dumpDataDir()` tarball instead of initdb (fast test startup). */
  pgliteDump?: Blob;
  /**
   * Postgres only: serve just the shape feed over tables another backend owns and writes to.
   * Every live table and column must exist already (nothing of the backend's is created or
   * altered; only the capture triggers and the `_sync_*` tables are added), and REST answers 404.
   */
  shapesOnly?: boolean;
}

export interface DevServer {
  url: string;
  port: number;
  database: Database;
  close(): Promise<void>;
  /** Forces 409 must-refetch for every shape of `table` (or of all tables). Returns the tables. */
  rotateShapes(table?: string): Promise<string[]>;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} is in use; pass --port`);
  }
}

async function openDatabase(o: DevServerOptions): Promise<Database> {
  if (o.databaseUrl !== undefined) return openPostgres(o.databaseUrl);
  if (o.dataDir !== undefined) await mkdir(o.dataDir, { recursive: true });
  return openPglite({
    ...(o.dataDir !== undefined ? { dataDir: o.dataDir } : {}),
    ...(o.pgliteDump !== undefined ? { loadDataDir: o.pgliteDump } : {}),
  });
}

/**
 * `--shapes-only`: the backend owns the tables. Refuses to start (rather than create or alter
 * them) when a live table or one of its synced columns is missing.
 */
async function requireBackendTables(
  db: Database,
  model: ReturnType<typeof buildModel>,
): Promise<void> {
  const problems: string[] = [];
  for (const t of model.tables.values()) {
    const [schema, table] = t.table.includes('.') ? t.table.split('.', 2) : ['public', t.table];
    const rows = await db.query<{ column_name: string }>(
      'SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2',
      [schema ?? 'public', table ?? t.table],
    );
    if (rows.length === 0) {
      problems.push(`table ${t.table} does not exist`);
      continue;
    }
    const have = new Set(rows.map((r) => r.column_name));
    const missing = t.columns.filter((c) => !have.has(c.name)).map((c) => c.name);
    if (missing.length > 0) problems.push(`table ${t.table} has no column ${missing.join(', ')}`);
  }
  if (problems.length > 0)
    throw new Error(
      `--shapes-only: ${problems.join('; ')}. Create the tables with your backend's migrations first (the spec's live entities need them, with the spec's property names as columns).`,
    );
}

/** Binds the port first: a taken port fails at once, before any database work. */
async function listen(server: Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error),
    );
    server.listen(port, host, () => resolve());
  });
}

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const log =
    options.quiet === true
      ? null
      : (options.log ?? ((line: string) => process.stderr.write(`${line}\n`)));
  const model = buildModel(options.ir, { shapesOnly: options.shapesOnly === true });
  const authFile =
    typeof options.auth === 'string' ? await readAuthFile(options.auth) : (options.auth ?? null);
  const auth = new Auth(options.ir, authFile, options.allowAnonymous === true);
  for (const s of model.skipped) log?.(`warning=${JSON.stringify(s)}`);
  let setReady: (deps: HttpDeps) => void = () => undefined;
  let setFailed: (error: unknown) => void = () => undefined;
  const ready = new Promise<HttpDeps>((resolve, reject) => {
    setReady = resolve;
    setFailed = reject;
  });
  ready.catch(() => undefined);
  const server = createHttpServer(ready, log);
  // PGlite runs on this thread: a long query delays timers, and a 5 s keep-alive timeout firing
  // late races with a client reusing the connection (ECONNRESET). Keep idle sockets longer.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const port = options.port ?? 4100;
  const host = options.host ?? '127.0.0.1';
  await listen(server, port, host);
  const notifier = new Notifier();
  let db: Database | null = null;
  let feed: ShapeFeed;
  try {
    if (options.shapesOnly === true && options.databaseUrl === undefined)
      throw new Error(
        'shapesOnly needs databaseUrl: the shape feed of a database another backend writes to',
      );
    db = await openDatabase(options);
    if (options.shapesOnly === true) await requireBackendTables(db, model);
    await db.exec(schemaDdl(model));
    if (options.seed !== undefined) {
      const seed = typeof options.seed === 'string' ? await readSeed(options.seed) : options.seed;
      // Seed first, log after: `log?.(…)` would skip evaluating its argument under --quiet.
      const seeded = await applySeed(db, model, seed);
      log?.(`seeded=${seeded}`);
    }
    const handles = await ShapeHandles.load(db);
    await db.listen(NOTIFY_CHANNEL, (table) => notifier.bump(table));
    feed = new ShapeFeed(
      db,
      model,
      handles,
      notifier,
      { longPollMs: options.longPollTimeoutMs ?? 20_000 },
      auth,
    );
  } catch (error) {
    setFailed(error);
    await new Promise<void>((r) => server.close(() => r()));
    await db?.close().catch(() => undefined);
    throw error;
  }
  const database = db;
  const rotateShapes = async (table?: string): Promise<string[]> => {
    await feed.rotate(table);
    return table === undefined ? [...model.tables.keys()] : [table];
  };
  const api: Pick<Api, 'handle'> =
    options.shapesOnly === true
      ? {
          handle: () =>
            Promise.resolve({
              status: 404,
              body: {
                error: 'not_found',
                message:
                  'sync-patterns dev --shapes-only serves only the shape feed (/v1/shape); the REST API is your backend',
              },
            }),
        }
      : new Api(
          model,
          new Router(options.ir),
          new EntityHandlers(database, model, (table) => notifier.bump(table), auth),
          auth,
          options.ir.batch === undefined
            ? null
            : {
                operation: options.ir.batch.operation,
                db: database,
                onCommit: (table) => notifier.bump(table),
              },
          // PGlite runs one transaction at a time: single writes that wait for it are run
          // together (rest/group.ts); Postgres runs them side by side on its pool
          database.kind === 'pglite'
            ? { db: database, onCommit: (table) => notifier.bump(table) }
            : null,
        );
  setReady({ api, feed, rotate: rotateShapes, tables: liveTables(model) });
  const actual = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
  let closing: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      notifier.close(); // pending long-polls answer up-to-date now
      await new Promise<void>((resolve) => {
        const idle = setInterval(() => server.closeIdleConnections(), 25);
        const hard = setTimeout(() => server.closeAllConnections(), 3_000);
        server.close(() => {
          clearInterval(idle);
          clearTimeout(hard);
          resolve();
        });
        server.closeIdleConnections();
      });
      await feed.close(); // snapshots still being read end their transactions
      await database.close(); // after every in-flight request has finished
    })();
    return closing;
  };
  return { url, port: actual, database, close, rotateShapes };
}
