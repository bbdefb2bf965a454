/**
 * The dedicated worker every browser tab starts (see `openSharedDb` in db/open.ts): the worker
 * side of PGlite's multi-tab protocol (`PGliteWorker` in the tabs, @electric-sql/pglite 0.5.16,
 * pinned). The workers elect one leader per database with a Web Lock; only the leader's worker
 * opens PGlite on IndexedDB, and every tab's queries are sent to it over BroadcastChannels. When
 * the leader tab closes, its lock is released and the next tab's worker opens the database.
 *
 * It is PGlite's own `worker()` (src/worker/index.ts) with these fixes, all seen in Chromium:
 * - A tab that closed while its request for the query or transaction lock was queued got the lock
 *   later and never released it: every other tab's queries then waited forever (a tab opened
 *   after another closed never loaded). A lock granted to a closed tab is now released at once.
 * - A tab that closed inside a transaction had its `ROLLBACK` queued behind the transaction lock
 *   it held itself, so it ran after the next tab's `BEGIN`. It now runs while the lock is held.
 * - Answers to a closed tab were posted to its closed channel: an uncaught `InvalidStateError`.
 * - The tab learns it leads from `init` itself (`LEADER_MESSAGE`, posted before the database
 *   answers anyone): PGliteWorker's `leader-now` can arrive before the tab listens for it, and the
 *   tab then never learns it leads.
 * - A background IndexedDB flush that races a file deletion is retried (db/flush.ts).
 * - Statements: PGlite's protocol sends each query from the tab as about fourteen round trips
 *   (locks, parse, bind, execute, flush…). The runtime's statements use ours instead
 *   (db/statements.ts): one call and one answer per statement, on the worker port for the
 *   leader's own tab; the runtime's hot transactions (a shape response, a confirmed write) are
 *   procedures run here in one call (db/worker-procedures.ts). PGlite's protocol stays for
 *   everything else (`live`, `listen`, dumps).
 */
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { idbFs } from './flush.js';
import { LEADER_MESSAGE } from './leader.js';
import { START_PARAMS } from './start-params.js';
import {
  answerChannel,
  callChannel,
  isCall,
  STATEMENT_ANSWER,
  StatementServer,
  tabLock,
  toShape,
  type StatementAnswer,
  type StatementCall,
  type Procedure,
} from './statements.js';
import { PROCEDURES } from './worker-procedures.js';

type Options = PGliteOptions & { id?: string };

/** The worker's global scope, as far as this code uses it. */
export interface WorkerScope {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** What the worker runs on: its scope, its Web Locks, and how it opens the database. */
export interface WorkerEnv {
  scope: WorkerScope;
  locks: LockManager;
  open(options: PGliteOptions): Promise<PGlite>;
  /** The procedures it runs for its tabs (default: db/worker-procedures.ts; tests change them). */
  procedures?: Readonly<Record<string, Procedure<never>>>;
}

/** PGlite on the data dir (IndexedDB with retried flushes for `idb://`), relaxed by default. */
export function openPglite(options: PGliteOptions): Promise<PGlite> {
  const { dataDir, ...pgOptions } = options;
  const fs = idbFs(dataDir);
  return PGlite.create({
    ...pgOptions,
    ...(fs !== undefined ? { fs } : dataDir !== undefined ? { dataDir } : {}),
    relaxedDurability: options.relaxedDurability ?? true,
    startParams: [...START_PARAMS],
  });
}

/** Takes a Web Lock and keeps it until `release` is called (or the worker ends). */
function acquireLock(locks: LockManager, name: string): Promise<() => void> {
  return new Promise((granted) => {
    void locks.request(name, () => new Promise<void>((release) => granted(() => release())));
  });
}

/** Waits until `name` can be taken, i.e. until its holder (a tab) has gone. */
function whenReleased(locks: LockManager, name: string): Promise<void> {
  return new Promise((gone) => {
    void locks.request(name, () => {
      gone();
      return Promise.resolve();
    });
  });
}

/** The wire-protocol message `Query('ROLLBACK')`. */
function rollbackMessage(): Uint8Array {
  const sql = new TextEncoder().encode('ROLLBACK\0');
  const message = new Uint8Array(5 + sql.length);
  message[0] = 0x51; // 'Q'
  new DataView(message.buffer).setInt32(1, 4 + sql.length);
  message.set(sql, 5);
  return message;
}

/** A copy of `data` when it is a view into a larger buffer (the whole WASM memory). */
function own(data: Uint8Array): Uint8Array {
  return data.byteLength === data.buffer.byteLength ? data : data.slice();
}

function makeApi(db: PGlite, tab: { closed: boolean }) {
  let queryLock: (() => void) | null = null;
  let transactionLock: (() => void) | null = null;
  const hold = (
    run: (fn: () => Promise<void>) => Promise<unknown>,
    keep: (release: () => void) => void,
  ) =>
    new Promise<void>((acquired) => {
      void run(
        () =>
          new Promise<void>((release) => {
            if (tab.closed) release();
            else keep(release);
            acquired();
          }),
      );
    });
  const api = {
    getDebugLevel: async () => db.debug,
    close: async () => db.close(),
    execProtocol: async (message: Uint8Array) => {
      const { messages, data } = await db.execProtocol(message);
      return { messages, data: own(data) };
    },
    execProtocolStream: async (message: Uint8Array) => db.execProtocolStream(message),
    execProtocolRaw: async (message: Uint8Array) => own(await db.execProtocolRaw(message)),
    dumpDataDir: async (compression?: Parameters<PGlite['dumpDataDir']>[0]) =>
      db.dumpDataDir(compression),
    syncToFs: async () => db.syncToFs(),
    _handleBlob: async (blob?: File | Blob) => db._handleBlob(blob),
    _getWrittenBlob: async () => db._getWrittenBlob(),
    _cleanupBlob: async () => db._cleanupBlob(),
    _checkReady: async () => db._checkReady(),
    _acquireQueryLock: () =>
      hold(
        (fn) => db._runExclusiveQuery(fn),
        (release) => (queryLock = release),
      ),
    _releaseQueryLock: async () => {
      queryLock?.();
      queryLock = null;
    },
    _acquireTransactionLock: () =>
      hold(
        (fn) => db._runExclusiveTransaction(fn),
        (release) => (transactionLock = release),
      ),
    _releaseTransactionLock: async () => {
      transactionLock?.();
      transactionLock = null;
    },
  };
  /** The tab closed: give back what it held, rolling back a transaction it left open. */
  const closed = async () => {
    const tx = transactionLock;
    const query = queryLock;
    transactionLock = null;
    queryLock = null;
    if (tx) {
      const rollback = () => db.execProtocol(rollbackMessage()).catch(() => undefined);
      if (query) await rollback();
      else await db._runExclusiveQuery(rollback);
    }
    query?.();
    tx?.();
  };
  return { api, closed };
}

type Api = ReturnType<typeof makeApi>['api'];

function connectTab(env: WorkerEnv, tabId: string, db: PGlite, connected: Set<string>): void {
  if (connected.has(tabId)) return;
  connected.add(tabId);
  const channel = new BroadcastChannel(`pglite-tab:${tabId}`);
  const tab = { closed: false };
  const { api, closed } = makeApi(db, tab);
  const post = (message: unknown) => {
    if (!tab.closed) channel.postMessage(message);
  };
  // The tab holds this lock while it is open.
  void whenReleased(env.locks, `pglite-tab-close:${tabId}`).then(async () => {
    tab.closed = true;
    channel.close();
    connected.delete(tabId);
    await closed();
  });
  channel.addEventListener('message', (event: MessageEvent) => {
    const msg = event.data as {
      type?: string;
      callId?: string;
      method?: keyof Api;
      args?: unknown[];
    };
    if (msg.type !== 'rpc-call' || msg.method === undefined || tab.closed) return;
    const { callId, method } = msg;
    void (async () => {
      try {
        await db.waitReady;
        const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
        const result = await fn(...(msg.args ?? []));
        post({ type: 'rpc-return', callId, result });
      } catch (error) {
        post({ type: 'rpc-error', callId, error: { message: (error as Error).message } });
      }
    })();
  });
  post({ type: 'connected' });
}

/**
 * Answers the statement calls (db/statements.ts) of every tab: its own tab's on the worker port,
 * the others' from the call channel, each on the tab's own answer channel. Set up before the
 * leader announces itself, so a tab that heard of it reaches it.
 */
function serveStatements(env: WorkerEnv, id: string, server: StatementServer): void {
  const { scope } = env;
  interface Tab {
    closed: boolean;
    channel: BroadcastChannel | null;
  }
  const calls = new BroadcastChannel(callChannel(id));
  const tabs = new Map<string, Tab>();
  const tabOf = (tab: string): Tab => {
    const known = tabs.get(tab);
    if (known) return known;
    const entry: Tab = { closed: false, channel: null };
    tabs.set(tab, entry);
    // The tab holds this lock from before its first call until it closes.
    void whenReleased(env.locks, tabLock(tab)).then(async () => {
      entry.closed = true;
      entry.channel?.close();
      await server.tabClosed(tab);
    });
    return entry;
  };
  const serve = (call: StatementCall, answer: (tab: Tab, a: StatementAnswer) => void) => {
    const tab = tabOf(call.tab);
    if (tab.closed) return;
    void server.handle(call).then(
      (result) => {
        if (!tab.closed) answer(tab, { type: STATEMENT_ANSWER, id: call.id, ok: true, result });
      },
      (error: unknown) => {
        if (!tab.closed)
          answer(tab, { type: STATEMENT_ANSWER, id: call.id, ok: false, error: toShape(error) });
      },
    );
  };
  calls.onmessage = (event: MessageEvent) => {
    const call: unknown = event.data;
    if (!isCall(call)) return;
    serve(call, (tab, a) => {
      tab.channel ??= new BroadcastChannel(answerChannel(id, call.tab));
      tab.channel.postMessage(a);
    });
  };
  scope.addEventListener('message', (event: MessageEvent) => {
    const call: unknown = event.data;
    if (isCall(call)) serve(call, (_tab, a) => scope.postMessage(a));
  });
}

/** The worker's life: handshake with its tab, wait to lead, then serve every tab. */
export async function runDbWorker(env: WorkerEnv): Promise<void> {
  const { scope } = env;
  scope.postMessage({ type: 'here' });
  const options = await new Promise<Options>((resolve) => {
    const onInit = (event: MessageEvent) => {
      const data = event.data as { type?: string; options?: Options };
      if (data.type !== 'init') return;
      scope.removeEventListener('message', onInit);
      resolve(data.options ?? {});
    };
    scope.addEventListener('message', onInit);
  });
  const id = options.id ?? `sync-patterns:${options.dataDir ?? ''}`;
  scope.postMessage({ type: 'ready', id });
  const broadcast = new BroadcastChannel(`pglite-broadcast:${id}`);
  const connected = new Set<string>();
  // Held until this worker ends (its tab closed): then the next tab's worker leads.
  await acquireLock(env.locks, `pglite-election-lock:${id}`);
  const { id: _id, ...pgOptions } = options;
  const dbPromise = env.open(pgOptions);
  serveStatements(env, id, new StatementServer(dbPromise, env.procedures ?? PROCEDURES));
  broadcast.onmessage = async (event: MessageEvent) => {
    const msg = event.data as { type?: string; id?: string };
    if (msg.type === 'tab-here' && msg.id !== undefined)
      connectTab(env, msg.id, await dbPromise, connected);
  };
  scope.postMessage({ type: LEADER_MESSAGE });
  broadcast.postMessage({ type: 'leader-here', id });
  scope.postMessage({ type: 'leader-now' });
  const db = await dbPromise;
  db.onNotification((channel, payload) =>
    broadcast.postMessage({ type: 'notify', channel, payload }),
  );
}
