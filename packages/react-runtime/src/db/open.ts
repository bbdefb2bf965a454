/**
 * Opens the local PGlite database with the `live` extension (TanStack DB collections follow the
 * views through `live.changes`). Browsers persist to IndexedDB (`idb://sync-patterns` unless told
 * otherwise); Node runs in memory, which is what tests and benchmarks want.
 */
import { PGlite } from '@electric-sql/pglite';
import { live, type PGliteWithLive } from '@electric-sql/pglite/live';

export type SyncDb = PGliteWithLive;

/** A PGlite query runner: the database itself or a transaction. */
export interface Queryable {
  query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[]; affectedRows?: number }>;
  exec(sql: string): Promise<unknown>;
}

const inBrowser = (): boolean => typeof window !== 'undefined' && typeof indexedDB !== 'undefined';

/** The default data dir: IndexedDB in browsers, memory (undefined) elsewhere. */
export function defaultDataDir(): string | undefined {
  return inBrowser() ? 'idb://sync-patterns' : undefined;
}

/**
 * How a commit reaches IndexedDB. `'relaxed'` (the default): a query returns as soon as Postgres
 * committed in memory and the IndexedDB flush follows in the background (one IndexedDB
 * transaction, so a crash keeps all or none of it). Measured in Chromium against `'strict'` (every
 * query waits for the flush): click → row rendered p50 233 → 10 ms, A → B 489 → 84 ms
 * (tools/e2e, Chromium). This is what Electric's own PGlite examples do. The price: a tab closed
 * or reloaded inside the flush window (a few hundred ms after the last write) loses those newest
 * local writes together with their outbox rows — never one without the other, and never anything
 * the server had acknowledged. `'strict'` closes that window at the cost of the latency.
 */
export type Durability = 'relaxed' | 'strict';

export async function openDb(
  dataDir: string | undefined,
  loadDataDir?: Blob,
  durability: Durability = 'relaxed',
): Promise<SyncDb> {
  const dir = dataDir ?? defaultDataDir();
  return PGlite.create({
    ...(dir !== undefined ? { dataDir: dir } : {}),
    relaxedDurability: durability === 'relaxed',
    ...(loadDataDir !== undefined ? { loadDataDir } : {}),
    extensions: { live },
  });
}
