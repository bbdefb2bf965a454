/**
 * Opens the local PGlite database with the `live` extension (TanStack DB collections follow the
 * views through `live.changes`). Browsers persist to IndexedDB (`idb://sync-patterns` unless told
 * otherwise); Node runs in memory, which is what tests and benchmarks want.
 */
import { PGlite } from '@electric-sql/pglite';
import { live, type PGliteWithLive } from '@electric-sql/pglite/live';
import { SharedPGlite } from './shared-client.js';
import { idbFs } from './flush.js';
import { START_PARAMS } from './start-params.js';
import { LEADER_MESSAGE } from './leader.js';

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
  const fs = idbFs(dir);
  return PGlite.create({
    ...(fs !== undefined ? { fs } : dir !== undefined ? { dataDir: dir } : {}),
    relaxedDurability: durability === 'relaxed',
    startParams: [...START_PARAMS],
    ...(loadDataDir !== undefined ? { loadDataDir } : {}),
    extensions: { live },
  });
}

/**
 * Can this environment share one database between tabs? A browser with module workers, Web Locks
 * and BroadcastChannel (PGlite's multi-tab worker needs all three), on an IndexedDB data dir.
 */
export function canShareAcrossTabs(dataDir: string | undefined): boolean {
  return (
    inBrowser() &&
    typeof Worker !== 'undefined' &&
    typeof BroadcastChannel !== 'undefined' &&
    typeof navigator !== 'undefined' &&
    navigator.locks !== undefined &&
    (dataDir ?? defaultDataDir() ?? '').startsWith('idb://')
  );
}

export interface SharedDb {
  db: SyncDb;
  /** Resolves when this tab becomes the leader (its worker won the election); maybe never. */
  leader: Promise<void>;
}

/**
 * One database per origin shared by every tab (contract §2): each tab starts a dedicated worker
 * (db/pglite-worker.ts); the workers elect a leader with a Web Lock, the leader's worker opens
 * PGlite on IndexedDB, and every tab's queries (the leader's included) go to it. When the leader
 * tab closes, the next tab in the lock's queue opens the database from IndexedDB and becomes the
 * leader. Bundlers (Vite, webpack 5) bundle the worker from the `new Worker(new URL(…))` below.
 */
export async function openSharedDb(
  dataDir: string | undefined,
  durability: Durability = 'relaxed',
  /** Starts the tab's worker (tests run one in-process: db/shared.test.ts). */
  startWorker: (dir: string) => Worker = (dir) =>
    new Worker(new URL('./pglite-worker.js', import.meta.url), {
      type: 'module',
      name: `sync-patterns-db:${dir}`,
    }),
): Promise<SharedDb & { db: SharedPGlite }> {
  const dir = dataDir ?? defaultDataDir() ?? 'idb://sync-patterns';
  const worker = startWorker(dir);
  // Listen before PGliteWorker does anything: the worker may post it at once.
  const leader = new Promise<void>((resolve) => {
    const onMessage = (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown } | null;
      if (data?.type !== LEADER_MESSAGE) return;
      worker.removeEventListener('message', onMessage);
      resolve();
    };
    worker.addEventListener('message', onMessage);
  });
  const shared = new SharedPGlite(worker, {
    dataDir: dir,
    // the election's name: every tab (and every build of the app) of this origin and data dir
    id: `sync-patterns:${dir}`,
    relaxedDurability: durability === 'relaxed',
    extensions: { live },
  });
  await shared.connected;
  // `live` is set up on the instance by PGliteWorker, as `PGliteWorker.create` types it
  const db = shared as SharedPGlite & Pick<SyncDb, 'live'>;
  return { db, leader };
}
