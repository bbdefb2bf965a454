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

export async function openDb(dataDir: string | undefined, loadDataDir?: Blob): Promise<SyncDb> {
  const dir = dataDir ?? defaultDataDir();
  return PGlite.create({
    ...(dir !== undefined ? { dataDir: dir } : {}),
    ...(loadDataDir !== undefined ? { loadDataDir } : {}),
    extensions: { live },
  });
}
