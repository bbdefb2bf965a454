/**
 * One message per statement between a tab and the database worker that leads (see
 * db/pglite-worker.ts and db/shared-client.ts).
 *
 * PGlite's own multi-tab protocol (`PGliteWorker`) runs the extended query protocol from the tab:
 * every `query()` is about fourteen round trips to the worker (transaction lock, query lock,
 * parse, describe, bind, describe, execute, sync, blob handling, flush, both unlocks), each a
 * BroadcastChannel message and its answer. Measured in Chromium (tools/e2e/trace.ts): 60
 * messages between a click and its optimistic row, about 620 in the following second, and a
 * write waiting p50 124 ms for the transaction lock behind the drain's equally chatty
 * transactions. Here a statement is one call and one answer: the worker runs `db.query` /
 * `db.exec` itself (PGlite's locks taken there, in arrival order), and a transaction is `begin`,
 * its statements, `end`, the worker holding PGlite's transaction open in between.
 *
 * Transport: the leader's own tab posts to its dedicated worker (a port within the renderer
 * process); other tabs post on the BroadcastChannel `callChannel(db)`, which only the leader's
 * worker listens to, and get answers on their own `answerChannel(db, tab)`. Each tab holds the
 * Web Lock `tabLock(tab)` while open: when it is released, the worker rolls back whatever
 * transaction that tab left open.
 */
import type { PGlite, QueryOptions, Transaction } from '@electric-sql/pglite';

export const STATEMENT_CALL = 'sync-patterns:sql';
export const STATEMENT_ANSWER = 'sync-patterns:sql-answer';

/** Options that survive a structured clone (the others make the tab use PGlite's own protocol). */
export type PlainQueryOptions = Pick<QueryOptions, 'rowMode' | 'paramTypes'>;

/**
 * `beginQuery`/`beginExec` begin a transaction with its first statement (one round trip fewer);
 * `run` runs a procedure of the worker (db/procedures.ts) in one transaction: one call, one answer.
 */
export type StatementMethod =
  'query' | 'exec' | 'begin' | 'beginQuery' | 'beginExec' | 'txQuery' | 'txExec' | 'end' | 'run';

/**
 * What a worker answers to a call it does not know (a tab of a newer build while an older build's
 * worker leads): the tab then falls back to the calls every worker knows.
 */
export const UNKNOWN_CALL = 'unknown statement call';

export function isUnknownCall(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith(UNKNOWN_CALL);
}

/**
 * A transaction's body run where the database is (in the worker that leads): plain data in,
 * plain data out (both cross as structured clones), every statement on `tx`.
 */
export type Procedure<I = never, O = unknown> = (tx: Transaction, input: I) => Promise<O>;

export interface StatementCall {
  type: typeof STATEMENT_CALL;
  tab: string;
  id: number;
  method: StatementMethod;
  args: unknown[];
}

/** An error as it crosses: name, message and its primitive own properties (`code`, `detail`…). */
export interface ErrorShape {
  name: string;
  message: string;
  props: Record<string, string | number | boolean | null>;
}

export type StatementAnswer =
  | { type: typeof STATEMENT_ANSWER; id: number; ok: true; result: unknown }
  | { type: typeof STATEMENT_ANSWER; id: number; ok: false; error: ErrorShape };

export const callChannel = (db: string) => `sync-patterns-sql:${db}`;
export const answerChannel = (db: string, tab: string) => `sync-patterns-sql:${db}:${tab}`;
export const tabLock = (tab: string) => `sync-patterns-sql-tab:${tab}`;

export function isCall(m: unknown): m is StatementCall {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === STATEMENT_CALL;
}

export function isAnswer(m: unknown): m is StatementAnswer {
  return typeof m === 'object' && m !== null && (m as { type?: unknown }).type === STATEMENT_ANSWER;
}

/** Options that can be sent as they are, or null when the tab must use PGlite's own protocol. */
export function plainOptions(options: QueryOptions | undefined): PlainQueryOptions | null {
  if (options === undefined) return {};
  const { rowMode, paramTypes, ...rest } = options;
  if (Object.values(rest).some((v) => v !== undefined)) return null;
  return {
    ...(rowMode !== undefined ? { rowMode } : {}),
    ...(paramTypes !== undefined ? { paramTypes } : {}),
  };
}

export function toShape(error: unknown): ErrorShape {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), props: {} };
  const props: ErrorShape['props'] = {};
  for (const [k, v] of Object.entries(error))
    if (v === null || ['string', 'number', 'boolean'].includes(typeof v))
      props[k] = v as string | number | boolean | null;
  return { name: error.name, message: error.message, props };
}

export function fromShape(shape: ErrorShape): Error {
  const error = new Error(shape.message);
  Object.assign(error, shape.props);
  error.name = shape.name;
  return error;
}

interface OpenTransaction {
  tab: string;
  /** PGlite's transaction, once it has begun (it waits for PGlite's transaction lock). */
  tx: Transaction | null;
  /** Ends PGlite's transaction callback (true commits, false rolls back); set once begun. */
  finish: ((commit: boolean) => void) | null;
  /** Ended before it began (its tab closed, or gave up waiting): rolled back as it begins. */
  abandoned: boolean;
  done: Promise<void>;
}

/**
 * The worker side: runs the calls of every tab on the leader's PGlite. Each call is handled as it
 * arrives; PGlite's transaction mutex orders them (first come, first served) and keeps other
 * tabs' statements out of an open transaction. A transaction is known by a key its tab chose
 * (`begin`, `txQuery`/`txExec`, `end`), from the moment `begin` arrives: one whose tab closes, or
 * that its tab gave up on, is rolled back even if it had not begun yet, so no transaction is
 * left holding the lock.
 */
export class StatementServer {
  private readonly open = new Map<string, OpenTransaction>();
  /** Rolled back before their `begin` arrived (the two can cross on a leader change). */
  private readonly cancelled = new Set<string>();

  constructor(
    private readonly db: Promise<PGlite>,
    /** The procedures `run` knows, by name (db/worker-procedures.ts). */
    private readonly procedures: Readonly<Record<string, Procedure<never>>> = {},
  ) {}

  async handle(call: StatementCall): Promise<unknown> {
    const db = await this.db;
    const a = call.args;
    switch (call.method) {
      case 'query':
        return db.query(a[0] as string, a[1] as unknown[], a[2] as PlainQueryOptions);
      case 'exec':
        return db.exec(a[0] as string, a[1] as PlainQueryOptions);
      case 'begin':
        return this.begin(db, call.tab, String(a[0]));
      case 'beginQuery':
        await this.begin(db, call.tab, String(a[0]));
        return this.transaction(a[0]).query(
          a[1] as string,
          a[2] as unknown[],
          a[3] as PlainQueryOptions,
        );
      case 'beginExec':
        await this.begin(db, call.tab, String(a[0]));
        return this.transaction(a[0]).exec(a[1] as string, a[2] as PlainQueryOptions);
      case 'run':
        return this.run(db, call.tab, String(a[0]), String(a[1]), a[2]);
      case 'txQuery':
        return this.transaction(a[0]).query(
          a[1] as string,
          a[2] as unknown[],
          a[3] as PlainQueryOptions,
        );
      case 'txExec':
        return this.transaction(a[0]).exec(a[1] as string, a[2] as PlainQueryOptions);
      case 'end':
        return this.end(String(a[0]), a[1] === true);
      default:
        throw new Error(`${UNKNOWN_CALL} ${String(call.method)}`);
    }
  }

  /** The tab closed: roll back its transactions, begun or still waiting for the lock. */
  async tabClosed(tab: string): Promise<void> {
    const left = [...this.open.entries()].filter(([, t]) => t.tab === tab);
    await Promise.all(left.map(([key]) => this.end(key, false).catch(() => undefined)));
  }

  /** Transactions open or waiting to begin (tests). */
  get transactions(): number {
    return this.open.size;
  }

  private transaction(key: unknown): Transaction {
    const tx = this.open.get(String(key))?.tx;
    if (!tx) throw new Error('Transaction is closed');
    return tx;
  }

  /** Starts PGlite's transaction and keeps it open until `end`; resolves once it has begun. */
  private begin(db: PGlite, tab: string, key: string): Promise<void> {
    if (this.open.has(key)) throw new Error(`transaction ${key} is already open`);
    return new Promise<void>((begun, failed) => {
      const t: OpenTransaction = {
        tab,
        tx: null,
        finish: null,
        abandoned: false,
        done: Promise.resolve(),
      };
      if (this.cancelled.delete(key)) t.abandoned = true;
      else this.open.set(key, t);
      t.done = db.transaction(async (tx) => {
        if (t.abandoned) {
          await tx.rollback();
          return failed(new Error('Transaction is closed'));
        }
        t.tx = tx;
        const commit = await new Promise<boolean>((finish) => {
          t.finish = finish;
          begun();
        });
        if (!commit && !tx.closed) await tx.rollback();
      });
      t.done.catch((e: unknown) => {
        if (t.tx === null) {
          this.open.delete(key);
          failed(e);
        }
      });
    });
  }

  /**
   * Runs the procedure `name` in one PGlite transaction, as a transaction of its tab's: known by
   * `key` from the moment it arrives, so one whose tab closes (or gives up on it) before it holds
   * PGlite's transaction lock never runs, and one whose tab closes while it runs is rolled back.
   * A failing statement rolls back the whole transaction; its error keeps its Postgres fields.
   */
  private run(
    db: PGlite,
    tab: string,
    key: string,
    name: string,
    input: unknown,
  ): Promise<unknown> {
    const body = this.procedures[name] as Procedure<unknown> | undefined;
    if (body === undefined) throw new Error(`${UNKNOWN_CALL} run:${name}`);
    if (this.open.has(key)) throw new Error(`transaction ${key} is already open`);
    const t: OpenTransaction = {
      tab,
      tx: null,
      finish: null,
      abandoned: false,
      done: Promise.resolve(),
    };
    if (this.cancelled.delete(key)) t.abandoned = true;
    else this.open.set(key, t);
    const closed = () => new Error('Transaction is closed');
    const result = db.transaction(async (tx) => {
      if (t.abandoned) {
        await tx.rollback();
        throw closed();
      }
      t.tx = tx;
      const out = await body(tx, input);
      if (t.abandoned) {
        // its tab closed (or gave up) while it ran: as for a transaction left open, roll back
        await tx.rollback();
        throw closed();
      }
      return out;
    });
    t.done = result.then(
      () => undefined,
      () => undefined,
    );
    return result.finally(() => {
      if (this.open.get(key) === t) this.open.delete(key);
    });
  }

  private async end(key: string, commit: boolean): Promise<void> {
    const t = this.open.get(key);
    if (!t) {
      if (commit) throw new Error('Transaction is closed');
      this.cancelled.add(key); // its `begin` may still come
      return;
    }
    this.open.delete(key);
    if (t.finish === null) {
      t.abandoned = true; // rolled back as soon as it begins; nobody waits for that
      return;
    }
    t.finish(commit);
    await t.done;
  }
}
