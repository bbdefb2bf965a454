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

export type StatementMethod = 'query' | 'exec' | 'begin' | 'txQuery' | 'txExec' | 'end';

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
  /** Ends PGlite's transaction callback: true commits, false rolls back. */
  end: (commit: boolean) => void;
  tx: Transaction;
  done: Promise<void>;
}

/**
 * The worker side: runs the calls of every tab on the leader's PGlite. Each call is handled as it
 * arrives; PGlite's transaction mutex orders them (first come, first served) and keeps other
 * tabs' statements out of an open transaction.
 */
export class StatementServer {
  private readonly open = new Map<number, OpenTransaction>();
  private next = 0;

  constructor(private readonly db: Promise<PGlite>) {}

  async handle(call: StatementCall): Promise<unknown> {
    const db = await this.db;
    const a = call.args;
    switch (call.method) {
      case 'query':
        return db.query(a[0] as string, a[1] as unknown[], a[2] as PlainQueryOptions);
      case 'exec':
        return db.exec(a[0] as string, a[1] as PlainQueryOptions);
      case 'begin':
        return this.begin(db, call.tab);
      case 'txQuery':
        return this.transaction(a[0]).tx.query(
          a[1] as string,
          a[2] as unknown[],
          a[3] as PlainQueryOptions,
        );
      case 'txExec':
        return this.transaction(a[0]).tx.exec(a[1] as string, a[2] as PlainQueryOptions);
      case 'end':
        return this.end(a[0], a[1] === true);
      default:
        throw new Error(`unknown statement call ${String(call.method)}`);
    }
  }

  /** The tab closed: roll back the transactions it left open (their locks go with them). */
  async tabClosed(tab: string): Promise<void> {
    const left = [...this.open.entries()].filter(([, t]) => t.tab === tab);
    await Promise.all(left.map(([id]) => this.end(id, false).catch(() => undefined)));
  }

  private transaction(id: unknown): OpenTransaction {
    const t = this.open.get(id as number);
    if (!t) throw new Error('Transaction is closed');
    return t;
  }

  /** Starts PGlite's transaction and keeps it open until `end`; resolves with its id once begun. */
  private begin(db: PGlite, tab: string): Promise<number> {
    const id = ++this.next;
    return new Promise<number>((begun, failed) => {
      let started = false;
      const done = db.transaction(async (tx) => {
        started = true;
        const commit = await new Promise<boolean>((end) => {
          this.open.set(id, { tab, end, tx, done });
          begun(id);
        });
        if (!commit && !tx.closed) await tx.rollback();
      });
      done.catch((e: unknown) => {
        if (!started) failed(e);
      });
    });
  }

  private async end(id: unknown, commit: boolean): Promise<void> {
    const t = this.transaction(id);
    this.open.delete(id as number);
    t.end(commit);
    await t.done;
  }
}
