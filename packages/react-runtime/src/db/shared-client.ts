/**
 * The tab side of the shared database: PGlite's `PGliteWorker` (election, leader changes, the
 * `live` extension, `listen`, dumps: PGlite's own multi-tab protocol), with `query`, `exec`,
 * `sql` and `transaction` sent as one message per statement (db/statements.ts). While this tab's
 * own worker leads, its calls go on the worker port; otherwise on the leader's BroadcastChannel.
 *
 * A call in flight over the BroadcastChannel when the leader changes is rejected with PGlite's
 * `LeaderChangedError` (the old leader may or may not have run it), as PGliteWorker does.
 */
import type { QueryOptions, Results, Transaction } from '@electric-sql/pglite';
import { query as queryTemplate } from '@electric-sql/pglite/template';
import {
  LeaderChangedError,
  PGliteWorker,
  type PGliteWorkerOptions,
} from '@electric-sql/pglite/worker';
import { LEADER_MESSAGE } from './leader.js';
import {
  answerChannel,
  callChannel,
  fromShape,
  isAnswer,
  isUnknownCall,
  plainOptions,
  STATEMENT_CALL,
  tabLock,
  type StatementAnswer,
  type StatementCall,
  type StatementMethod,
  type Procedure,
} from './statements.js';

interface Pending {
  resolve(result: unknown): void;
  reject(error: unknown): void;
  /** Sent on the worker port (this tab leads): not lost by a leader change. */
  local: boolean;
}

/** The messages this tab exchanged with the database worker (tests and diagnostics). */
export interface StatementStats {
  calls: number;
  answers: number;
}

function newTabId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** Holds the Web Lock `name` until the returned release is called. */
function hold(name: string): Promise<() => void> {
  return new Promise((held) => {
    void navigator.locks.request(name, () => new Promise<void>((release) => held(() => release())));
  });
}

export class SharedPGlite extends PGliteWorker {
  readonly #tab = newTabId();
  readonly #worker: Worker;
  readonly #calls: BroadcastChannel;
  readonly #answers: BroadcastChannel;
  readonly #pending = new Map<number, Pending>();
  readonly #connected: Promise<void>;
  #isConnected = false;
  #next = 0;
  #transactions = 0;
  #leading = false;
  #closing = false;
  #releaseTab: (() => void) | null = null;
  /** The leading worker knows only the original calls (an older build): no `beginQuery`, `run`. */
  #legacy = false;
  readonly stats: StatementStats = { calls: 0, answers: 0 };

  constructor(worker: Worker, options: PGliteWorkerOptions & { id: string }) {
    super(worker, options);
    this.#worker = worker;
    this.#calls = new BroadcastChannel(callChannel(options.id));
    this.#answers = new BroadcastChannel(answerChannel(options.id, this.#tab));
    this.#answers.onmessage = (event: MessageEvent<unknown>) => this.#answered(event.data);
    worker.addEventListener('message', (event: MessageEvent<unknown>) => {
      const data = event.data as { type?: unknown } | null;
      if (data?.type === LEADER_MESSAGE) this.#leading = true;
      else this.#answered(data);
    });
    this.onLeaderChange(() => {
      this.#legacy = false; // the new leader's worker may be of another build
      for (const [id, p] of this.#pending)
        if (!p.local) {
          this.#pending.delete(id);
          p.reject(new LeaderChangedError());
        }
    });
    this.#connected = (async () => {
      // held before the first call: the worker rolls back what this tab leaves open on release
      this.#releaseTab = await hold(tabLock(this.#tab));
      await this.waitReady;
      this.#isConnected = true;
    })();
  }

  /** Connected to the leader (resolves after `waitReady`, with the tab's lock held). */
  get connected(): Promise<void> {
    return this.#connected;
  }

  #answered(data: unknown): void {
    if (!isAnswer(data)) return;
    const answer: StatementAnswer = data;
    const p = this.#pending.get(answer.id);
    if (!p) return;
    this.#pending.delete(answer.id);
    this.stats.answers++;
    if (answer.ok) p.resolve(answer.result);
    else p.reject(fromShape(answer.error));
  }

  async #call<T>(method: StatementMethod, args: unknown[]): Promise<T> {
    if (!this.#isConnected) await this.#connected;
    if (this.#closing) throw new Error('the database connection is closed');
    const id = ++this.#next;
    const local = this.#leading;
    const call: StatementCall = { type: STATEMENT_CALL, tab: this.#tab, id, method, args };
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: unknown) => void, reject, local });
      this.stats.calls++;
      if (local) this.#worker.postMessage(call);
      else this.#calls.postMessage(call);
    });
  }

  override async query<T>(
    query: string,
    params?: unknown[],
    options?: QueryOptions,
  ): Promise<Results<T>> {
    const plain = plainOptions(options);
    if (plain === null) return super.query<T>(query, params, options);
    return this.#call<Results<T>>('query', [query, params ?? [], plain]);
  }

  override async exec(query: string, options?: QueryOptions): Promise<Results[]> {
    const plain = plainOptions(options);
    if (plain === null) return super.exec(query, options);
    return this.#call<Results[]>('exec', [query, plain]);
  }

  override async sql<T>(strings: TemplateStringsArray, ...values: unknown[]): Promise<Results<T>> {
    const { query, params } = queryTemplate(strings, ...values);
    return this.query<T>(query, params);
  }

  /**
   * The callback's statements, then `end`: the first statement carries the `begin`
   * (`beginQuery`/`beginExec`), and the worker keeps PGlite's transaction (and its lock) open
   * until `end` — 2 messages per statement + 2. Commits when the callback resolves, rolls back when
   * it throws. A callback that sends no statement costs nothing.
   */
  override async transaction<T>(callback: (tx: Transaction) => Promise<T>): Promise<T> {
    const id = `${this.#tab}:${++this.#transactions}`;
    /** Settles once the worker has the transaction open (or it failed to begin); null: not sent. */
    let begun: Promise<unknown> | null = null;
    let closed = false;
    const open = () => {
      if (closed) throw new Error('Transaction is closed');
    };
    const options = (o: QueryOptions | undefined) => {
      const plain = plainOptions(o);
      if (plain === null)
        throw new Error('query options with functions or blobs are not supported here');
      return plain;
    };
    /** The first statement begins the transaction; the others follow it (never overtake it). */
    const statement = async <R>(kind: 'Query' | 'Exec', args: unknown[]): Promise<R> => {
      open();
      if (begun === null) {
        const first = this.#begin<R>(id, kind, args);
        begun = first.catch(() => undefined);
        return first;
      }
      await begun;
      return this.#call<R>(`tx${kind}` as const, [id, ...args]);
    };
    const end = async (commit: boolean) => {
      closed = true;
      if (begun === null) return; // nothing reached the worker
      await begun;
      await this.#call('end', [id, commit]);
    };
    const tx: Transaction = {
      query: async <R>(query: string, params?: unknown[], o?: QueryOptions) =>
        statement<Results<R>>('Query', [query, params ?? [], options(o)]),
      sql: async <R>(strings: TemplateStringsArray, ...values: unknown[]) => {
        const { query, params } = queryTemplate(strings, ...values);
        return statement<Results<R>>('Query', [query, params, {}]);
      },
      exec: async (query: string, o?: QueryOptions) =>
        statement<Results[]>('Exec', [query, options(o)]),
      rollback: async () => {
        open();
        await end(false);
      },
      listen: async (channel: string, listener: (payload: string) => void) => {
        open();
        return this.listen(channel, listener, tx);
      },
      get closed() {
        return closed;
      },
    };
    try {
      const result = await callback(tx);
      if (!closed) await end(true);
      return result;
    } catch (e) {
      if (!closed) await end(false).catch(() => undefined);
      throw e;
    }
  }

  /** Begins transaction `id` with its first statement (`begin` then it, for an older worker). */
  async #begin<R>(id: string, kind: 'Query' | 'Exec', args: unknown[]): Promise<R> {
    try {
      if (!this.#legacy)
        try {
          return await this.#call<R>(`begin${kind}` as const, [id, ...args]);
        } catch (e) {
          if (!isUnknownCall(e)) throw e;
          this.#legacy = true;
        }
      await this.#call('begin', [id]);
    } catch (e) {
      // the leader changed: the new one may have begun it; it must not hold the lock forever
      if (e instanceof LeaderChangedError)
        void this.#call('end', [id, false]).catch(() => undefined);
      throw e;
    }
    return this.#call<R>(`tx${kind}` as const, [id, ...args]);
  }

  /**
   * Runs `body` as one transaction in the worker that leads (its procedure `name`, the same
   * function: db/worker-procedures.ts): one call and one answer, whatever the number of
   * statements. Rolled back as a whole when a statement fails (the error keeps its Postgres
   * fields), and never run when this tab closes or gives up on it before it holds the lock. An
   * older worker that does not know it: `body` runs here, one message per statement.
   */
  async procedure<I, O>(name: string, input: I, body: Procedure<I, O>): Promise<O> {
    if (!this.#legacy) {
      const id = `${this.#tab}:${++this.#transactions}`;
      try {
        return await this.#call<O>('run', [id, name, input]);
      } catch (e) {
        if (e instanceof LeaderChangedError)
          void this.#call('end', [id, false]).catch(() => undefined);
        if (!isUnknownCall(e)) throw e;
        this.#legacy = true;
      }
    }
    return this.transaction((tx) => body(tx, input));
  }

  override async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#calls.close();
    this.#answers.close();
    for (const p of this.#pending.values()) p.reject(new Error('the database connection closed'));
    this.#pending.clear();
    this.#releaseTab?.();
    await super.close();
  }
}
