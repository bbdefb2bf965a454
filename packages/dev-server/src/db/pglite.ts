/**
 * PGlite (Postgres in WASM) behind the {@link Database} interface: the zero-setup default.
 *
 * PGlite is a single connection. Its `transaction()` holds an exclusive lock, so transactions
 * never interleave; REPEATABLE READ is still requested so the code path matches real Postgres.
 * `dataDir` persists to disk (every committed transaction is synced); without it the database
 * lives in memory. `loadDataDir` starts from a dump, which tests use to skip the 1–3 s cold start.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import {
  SESSION_SETTINGS,
  type Database,
  type Isolation,
  type Queryable,
  type SqlParam,
} from './database.js';

export interface PgliteOptions {
  dataDir?: string;
  /** A `dumpDataDir()` tarball to start from (ignored when `dataDir` already holds a database). */
  loadDataDir?: Blob;
}

interface PgliteQueryable {
  query<R>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
}

function wrap(q: PgliteQueryable): Queryable {
  return {
    async query<R extends object>(sql: string, params: readonly SqlParam[] = []): Promise<R[]> {
      const result = await q.query<R>(sql, [...params]);
      return result.rows;
    },
  };
}

export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const initialised =
    options.dataDir !== undefined && existsSync(join(options.dataDir, 'PG_VERSION'));
  const db = await PGlite.create({
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    ...(options.loadDataDir !== undefined && !initialised
      ? { loadDataDir: options.loadDataDir }
      : {}),
  });
  await db.exec(
    `SET TimeZone = '${SESSION_SETTINGS.TimeZone}'; SET DateStyle = '${SESSION_SETTINGS.DateStyle}';`,
  );
  const base = wrap(db);
  let closed = false;
  return {
    kind: 'pglite',
    query: base.query,
    async transaction<T>(
      fn: (tx: Queryable) => Promise<T>,
      isolation: Isolation = 'read committed',
    ): Promise<T> {
      return db.transaction(async (tx) => {
        if (isolation !== 'read committed')
          await tx.query(`SET TRANSACTION ISOLATION LEVEL ${isolation.toUpperCase()}`);
        return fn(wrap(tx));
      });
    },
    async exec(script: string): Promise<void> {
      await db.exec(script);
    },
    async listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
      await db.listen(channel, onPayload);
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}

/** Creates an empty in-memory PGlite and dumps it: a tarball `openPglite({ loadDataDir })` starts from fast. */
export async function dumpEmptyPglite(): Promise<Blob> {
  const db = await PGlite.create();
  try {
    return await db.dumpDataDir('none');
  } finally {
    await db.close();
  }
}
