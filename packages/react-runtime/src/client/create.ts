/**
 * `createSyncClient`: opens PGlite, applies/upgrades the generated schema, starts one shape
 * consumer per live entity and the outbox worker, and exposes what the React bindings and the
 * generated hooks need (collections, writes through the view, status). Wiring only: each concern
 * lives in its own module.
 */
import type { SyncDb } from '../db/open.js';
import {
  canShareAcrossTabs,
  defaultDataDir,
  openDb,
  openSharedDb,
  type Durability,
} from '../db/open.js';
import { migrate } from '../db/migrate.js';
import { entityOf, type LiveEntity, type LiveSchema } from '../schema.js';
import { startConsumer, type ShapeConsumer } from '../shape/consumer.js';
import { DEFAULT_BATCH_SIZE, OutboxWorker } from '../outbox/worker.js';
import { DEFAULT_REQUEST_TIMEOUT_MS } from '../outbox/send.js';
import { pruneFailed, type OutboxCount } from '../outbox/store.js';
import { listFailed, type FailedWrite } from './failed.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import { entityCollection, type EntityCollection, type LiveCollection } from './collections.js';
import { ChangeFeed } from './changes.js';
import { StatusStore, type SyncStatus } from './status.js';
import { Writes, type LiveRowValue } from './writes.js';
import { TabBus, type TabMessage } from './tabs.js';
import { LeaderChangedError } from '@electric-sql/pglite/worker';

export interface SyncClientOptions {
  apiBaseUrl: string;
  electricUrl: string;
  getAuthToken?: () => Promise<string | null | undefined>;
  /**
   * 'idb://name' in browsers (default 'idb://sync-patterns'); memory in Node (default). In a
   * browser, every tab of the origin with the same IndexedDB data dir shares one database: one
   * tab (the leader) holds it in a worker and runs the shape consumers and the outbox drain;
   * leadership moves when that tab closes (contract §2).
   */
  dataDir?: string;
  fetch?: typeof fetch;
  /**
   * Outbox requests in flight at once (default 1: the server sees writes in the order they were
   * made, across entities). Raise it only when no entity references another. Not used while the
   * outbox drains in batches (`outboxBatchSize`): a batch already carries many writes, in order.
   */
  outboxConcurrency?: number;
  /**
   * Writes per batch request (default 100) when the spec declares a batch write operation
   * (`x-sync-batch`, docs/backend-contract.md "Batch writes"): the outbox drains in batches,
   * in order. 1 sends one request per write; without a batch operation it always does.
   */
  outboxBatchSize?: number;
  /**
   * A write request not answered within this many ms (default 15,000) is abandoned and retried
   * with the same Idempotency-Key (a server that committed it answers the retry from its
   * idempotency record).
   */
  requestTimeoutMs?: number;
  /**
   * While writes wait on an unreachable API (no HTTP answer), how often to probe it (a GET of
   * `apiBaseUrl`; default 1,000 ms). The queue drains as soon as it answers.
   */
  probeIntervalMs?: number;
  /** Retry backoff of the outbox (contract §2 defaults: 500 ms × 2^n, at most 30 s, full jitter). */
  backoff?: Partial<BackoffPolicy>;
  /** IndexedDB flush policy (see `Durability` in db/open.ts); default 'relaxed'. */
  durability?: Durability;
  /**
   * A PGlite `dumpDataDir()` tarball to start from (fast test and benchmark startup). The
   * database is then this tab's own, not shared with other tabs.
   */
  loadDataDir?: Blob;
  /** Follow the shapes (default true); false only writes and drains. */
  sync?: boolean;
}

export interface SyncClient {
  readonly ready: Promise<void>;
  readonly schema: LiveSchema;
  readonly status: { subscribe(l: () => void): () => void; getSnapshot(): SyncStatus };
  /** The database (after `ready`). */
  db(): SyncDb;
  entity(table: string): LiveEntity;
  collection(table: string): LiveCollection;
  insert(table: string, values: object): Promise<LiveRowValue>;
  update(table: string, key: unknown, values: object): Promise<LiveRowValue>;
  remove(table: string, key: unknown): Promise<void>;
  /** Why the collection of `table` failed, or null. */
  collectionError(table: string): unknown;
  /** Asks the shape of `table` for fresh data now (a live hook's `refetch`). */
  refresh(table: string): Promise<void>;
  /** Writes the server refused (kept 24 hours, contract §2), oldest first. */
  failedWrites(): Promise<FailedWrite[]>;
  /**
   * Makes a refused write again, through the view, as a new write (the same values, a new
   * Idempotency-Key): it is visible at once and queued; settles like the original mutation.
   */
  retryWrite(writeId: string): Promise<void>;
  /** Forgets a refused write (its local change was already rolled back). */
  discardWrite(writeId: string): Promise<void>;
  /** Sends every due outbox row now; resolves when the outbox is idle. */
  drainNow(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Is the API answering? Any HTTP answer below 500 counts (a 404 for the base URL is fine); 5xx
 * are what a proxy answers while the API behind it is down.
 */
async function probeApi(doFetch: typeof fetch, apiBaseUrl: string, timeoutMs: number) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const r = await doFetch(apiBaseUrl, { method: 'GET', signal: abort.signal });
    await r.body?.cancel().catch(() => undefined);
    return r.status < 500;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function createSyncClient(options: SyncClientOptions & { schema: LiveSchema }): SyncClient {
  const { schema } = options;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const authToken = options.getAuthToken ?? (() => Promise.resolve(null));
  const nameOf = (t: string) => schema.entities.find((e) => e.table === t)?.name ?? t;
  const status = new StatusStore(
    schema.entities.map((e) => e.table),
    nameOf,
  );
  let db: SyncDb | null = null;
  let worker: OutboxWorker | null = null;
  let writes: Writes | null = null;
  const consumers = new Map<string, ShapeConsumer>();
  const collections = new Map<string, EntityCollection>();
  const feed = new ChangeFeed();
  const onOnline = () => void worker?.reconnect();
  const refreshStatus = () => void (db && status.refresh(db, schema).catch(() => undefined));

  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const shared = options.loadDataDir === undefined && canShareAcrossTabs(options.dataDir);
  const dir = options.dataDir ?? defaultDataDir() ?? 'memory';
  // Tabs sharing the database: the bus carries what is per tab (see client/tabs.ts).
  let bus: TabBus | null = null;
  let leader = false;
  let closed = false;
  const upToDate = new Set<string>();
  const broadcastStatus = () => {
    if (!leader || !bus) return;
    const { online, lastError } = status.getSnapshot();
    bus.post({ type: 'status', status: { online, lastError, upToDate: [...upToDate] } });
  };
  const outboxChanged = (counts?: readonly OutboxCount[]) => {
    if (counts && db) void status.counted(db, schema, counts).catch(() => undefined);
    else refreshStatus();
    bus?.post({ type: 'outbox' });
  };

  /** Runs the outbox drain and the shape consumers: in the leader tab only. */
  const lead = async (d: SyncDb, w: Writes) => {
    if (closed || leader) return;
    leader = true;
    // What a closed leader had in flight is sent again, with the same Idempotency-Key. (After a
    // handover, a query sent before this tab heard of the new leader fails with
    // LeaderChangedError: this statement is idempotent, so it is simply run again.)
    await untilLeaderSettles(() =>
      d.query(`UPDATE "_sync_outbox" SET "status" = 'pending' WHERE "status" = 'inflight'`),
    );
    worker = new OutboxWorker(
      d,
      schema,
      {
        apiBaseUrl: options.apiBaseUrl,
        fetch: doFetch,
        authToken,
        db: d,
        timeoutMs,
      },
      {
        settled: (id, outcome) => {
          w.settle(id, outcome);
          bus?.settled(id, outcome);
        },
        reported: (r) => {
          if (r.kind === 'ok') status.set({ online: true, lastError: null });
          else if (r.kind === 'refused')
            status.set({ lastError: { message: r.error.message, status: r.error.status } });
          else
            status.set({
              online: r.status !== undefined,
              lastError: { message: r.message, ...(r.status ? { status: r.status } : {}) },
            });
          broadcastStatus();
        },
        changed: outboxChanged,
        keysChanged: (table, keys) => feed.emit(table, keys),
      },
      // shared: only the leader tab drains (the election's lock); else tabs with one data dir
      shared ? null : `sync-patterns-outbox:${dir}`,
      { ...DEFAULT_BACKOFF, ...options.backoff },
      Math.max(1, Math.floor(options.outboxConcurrency ?? 1)),
      () => probeApi(doFetch, options.apiBaseUrl, Math.min(timeoutMs, 5_000)),
      options.probeIntervalMs ?? 1_000,
      Math.max(1, Math.floor(options.outboxBatchSize ?? DEFAULT_BATCH_SIZE)),
    );
    if (options.sync !== false)
      for (const e of schema.entities)
        consumers.set(
          e.table,
          await startConsumer(d, e, {
            url: options.electricUrl,
            fetch: doFetch,
            headers: async (): Promise<Record<string, string>> => {
              const t = await authToken();
              return t ? { authorization: `Bearer ${t}` } : {};
            },
            readBack: () => feed.listening(e.table),
            onBatch: (table, result) => {
              feed.emit(table, result.keys, result.rows);
              if (result.upToDate) {
                upToDate.add(table);
                status.markUpToDate(table);
              }
              status.set({ online: true });
              outboxChanged();
              broadcastStatus();
              void worker?.reachable();
            },
            onError: (_table, error) => {
              worker?.markUnreachable();
              status.set({ lastError: { message: String(error) } });
              broadcastStatus();
            },
          }),
        );
    bus?.post({ type: 'leader' });
    broadcastStatus();
    // Starting to lead is a reconnect (§2): what waits on a backoff from before (a reload, a
    // closed leader) is due now. Otherwise, with the API still unreachable, no request of this
    // session fails before that backoff ends (up to 30 s), so nothing probes the API, and the
    // first write waits out the backoff however soon the API answers again.
    void worker.reconnect();
  };

  const onTabMessage = (m: TabMessage) => {
    switch (m.type) {
      case 'keys':
        feed.receive(m.table, m.keys);
        break;
      case 'settled':
        writes?.settle(m.writeId, TabBus.outcomeOf(m));
        break;
      case 'status':
        status.set({ online: m.status.online, lastError: m.status.lastError });
        for (const t of m.status.upToDate) status.markUpToDate(t);
        break;
      case 'outbox':
        refreshStatus();
        break;
      case 'hello':
        broadcastStatus();
        break;
      case 'kick':
        void worker?.kick();
        break;
      case 'request': {
        if (!leader || !worker) break;
        const what = m.what;
        const run =
          what === 'drain' ? worker.reconnect() : (consumers.get(what.refresh)?.refresh() ?? null);
        void Promise.resolve(run).then(
          () => bus?.post({ type: 'done', id: m.id }),
          (e: unknown) => bus?.post({ type: 'done', id: m.id, error: String(e) }),
        );
        break;
      }
      default:
        break;
    }
  };

  const ready = (async () => {
    let leadership: Promise<void> = Promise.resolve();
    let d: SyncDb;
    if (shared) {
      const s = await openSharedDb(options.dataDir, options.durability);
      d = s.db;
      leadership = s.leader;
      retryReadsOnLeaderChange(d);
    } else d = await openDb(options.dataDir, options.loadDataDir, options.durability);
    db = d;
    // two tabs starting at once must not both upgrade the schema
    if (shared)
      await navigator.locks.request(`sync-patterns-migrate:${dir}`, () => migrate(d, schema));
    else await migrate(d, schema);
    await pruneFailed(d, Date.now());
    // Coalesced and deferred: the write's own path (commit → collection re-read → this tab's
    // optimistic row) goes first. Kicking the drain before the re-read made the POST leave
    // sooner but the row render ~10 ms later (e2e click → row p50 44.5 and 59.1 ms against a
    // 50 ms target), so the local render keeps the first place. The status re-read goes one
    // task after the kick, so that the drain's pick is queued at the database before it and
    // the POST does not wait for it (tools/e2e/trace.ts, TRACE_MODE=ab: the POST left after
    // three answers, now after two).
    let afterWriteQueued = false;
    const w = new Writes(d, feed, () => {
      if (afterWriteQueued) return;
      afterWriteQueued = true;
      setTimeout(() => {
        afterWriteQueued = false;
        if (leader) void worker?.kick();
        else bus?.post({ type: 'kick' });
        setTimeout(() => outboxChanged(), 0);
      }, 0);
    });
    writes = w;
    if (shared) {
      const b = new TabBus(`sync-patterns-tabs:${dir}`, onTabMessage);
      bus = b;
      feed.relayTo((table, keys) => b.keys(table, keys));
      b.post({ type: 'hello' });
    }
    if (typeof window !== 'undefined') window.addEventListener('online', onOnline);
    await status.refresh(d, schema);
    if (!shared) await lead(d, w);
    else
      void leadership
        .then(() => lead(d, w))
        .catch((e: unknown) => status.set({ lastError: { message: String(e) } }));
  })();

  const must = <T>(v: T | null): T => {
    if (v === null) throw new Error('the sync client is not ready yet (await client.ready)');
    return v;
  };
  const collectionOf = (table: string): EntityCollection => {
    let c = collections.get(table);
    if (!c) {
      c = entityCollection(must(db), entityOf(schema, table), must(writes), feed);
      collections.set(table, c);
    }
    return c;
  };

  /** Runs a write; resolves once an open collection of `table` shows it. */
  const visible = async <T>(table: string, write: (w: Writes) => Promise<T>): Promise<T> => {
    await ready;
    try {
      return await write(must(writes));
    } finally {
      await collections.get(table)?.flush();
    }
  };

  return {
    ready,
    schema,
    status: { subscribe: status.subscribe, getSnapshot: status.getSnapshot },
    db: () => must(db),
    entity: (table) => entityOf(schema, table),
    collection: (table) => collectionOf(table).collection,
    insert: (table, values) => visible(table, (w) => w.insert(entityOf(schema, table), values)),
    update: (table, key, values) =>
      visible(table, (w) => w.update(entityOf(schema, table), key, values)),
    remove: (table, key) => visible(table, (w) => w.remove(entityOf(schema, table), key)),
    collectionError: (table) => collections.get(table)?.error() ?? null,
    refresh: async (table) => {
      await ready;
      const t = entityOf(schema, table).table;
      if (leader) await consumers.get(t)?.refresh();
      else if (options.sync !== false) await bus?.request({ refresh: t });
    },
    failedWrites: async () => {
      await ready;
      return listFailed(must(db), schema);
    },
    retryWrite: async (writeId) => {
      await ready;
      const d = must(db);
      const failed = (await listFailed(d, schema)).find((f) => f.writeId === writeId);
      if (!failed) throw new Error(`no failed write ${writeId}`);
      await d.query(`DELETE FROM "_sync_outbox" WHERE "write_id" = $1 AND "status" = 'failed'`, [
        writeId,
      ]);
      refreshStatus();
      const e = entityOf(schema, failed.table);
      const numeric = ['int32', 'int64'].includes(
        e.columns.find((c) => c.primaryKey)?.storage ?? '',
      );
      const key = numeric ? Number(failed.key) : failed.key;
      if (failed.op === 'insert')
        await visible(failed.table, (w) => w.insert(e, { ...failed.values, [e.primaryKey]: key }));
      else if (failed.op === 'update')
        await visible(failed.table, (w) => w.update(e, key, failed.values));
      else await visible(failed.table, (w) => w.remove(e, key));
    },
    discardWrite: async (writeId) => {
      await ready;
      await must(db).query(
        `DELETE FROM "_sync_outbox" WHERE "write_id" = $1 AND "status" = 'failed'`,
        [writeId],
      );
      refreshStatus();
    },
    drainNow: async () => {
      await ready;
      if (leader) await must(worker).reconnect();
      else await must(bus).request('drain');
    },
    close: async () => {
      await ready.catch(() => undefined);
      closed = true;
      bus?.close();
      if (typeof window !== 'undefined') window.removeEventListener('online', onOnline);
      for (const c of consumers.values()) c.stop();
      for (const c of collections.values()) await c.collection.cleanup();
      await worker?.close();
      await db?.close();
    },
  };
}

/** Runs `run` again while it fails because the leader tab changed under it (at most 10 times). */
async function untilLeaderSettles<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!(e instanceof LeaderChangedError) || attempt >= 10) throw e;
    }
  }
}

/**
 * A query in flight when the leader tab closes is rejected with PGlite's `LeaderChangedError`
 * (the old leader may or may not have run it). A read is safe to run again on the new leader; a
 * write is not, and its caller gets the error.
 */
function retryReadsOnLeaderChange(db: SyncDb): void {
  const query = db.query.bind(db) as (sql: string, params?: unknown[]) => Promise<unknown>;
  const retrying = (sql: string, params?: unknown[]): Promise<unknown> =>
    /^\s*(SELECT|WITH)\b/i.test(sql)
      ? untilLeaderSettles(() => query(sql, params))
      : query(sql, params);
  (db as unknown as { query: typeof retrying }).query = retrying;
}
