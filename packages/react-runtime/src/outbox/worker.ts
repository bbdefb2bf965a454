/**
 * The outbox drainer (contract §2): one FIFO over all tables in `seq` order, one request at a
 * time by default (optionally a window of rows with distinct keys, results applied in `seq`
 * order). 2xx acknowledges (reconciling when the txid was
 * already seen), 4xx rolls back the write and its later same-key writes, 5xx/429/network retry
 * after full-jitter backoff. One drainer per database: a Web Lock in browsers, and this class
 * never runs two drains at once.
 */
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import { transact } from '../db/procedures.js';
import { storeAnswers, type PlainAnswer } from './answers.js';
import type { SyncDb } from '../db/open.js';
import { entityOf, type LiveSchema } from '../schema.js';
import {
  sendBatch,
  sendRow,
  type SendContext,
  type SendResult,
  type SyncApiError,
} from './send.js';
import * as store from './store.js';

export interface WorkerEvents {
  /** A confirmed (or any) write got its final answer. */
  settled(
    writeId: string,
    outcome: { ok: true; body: unknown } | { ok: false; error: SyncApiError },
  ): void;
  /** After every request: online state and the last error. */
  reported(result: SendResult): void;
  /**
   * The outbox changed; `counts`: its counts as the transaction that changed it read them (else
   * the status reads them again).
   */
  changed(counts?: readonly store.OutboxCount[]): void;
  /** Rows of `table` whose view row may have changed (acknowledged or rolled back). */
  keysChanged(table: string, keys: string[]): void;
}

/** Writes per batch request by default (`outboxBatchSize`). */
export const DEFAULT_BATCH_SIZE = 100;
/** How long a batch operation that refused a whole batch (4xx other than 413) stays unused. */
export const BATCH_OFF_MS = 60_000;

/** An answer as the transaction needs it (plain data: it may cross to the database worker). */
function plainAnswer(r: SendResult): PlainAnswer {
  if (r.kind === 'ok') return { kind: 'ok', txid: r.txid };
  if (r.kind === 'refused')
    return {
      kind: 'refused',
      status: r.error.status,
      message: r.error.message,
      body: r.error.body,
    };
  return {
    kind: 'retry',
    retryAfterMs: r.retryAfterMs,
    ...(r.network !== undefined ? { network: r.network } : {}),
  };
}

export class OutboxWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;
  /** The last request got no HTTP answer (network error, timeout); cleared by any answer. */
  private unreachable = false;
  private probeTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly db: SyncDb,
    private readonly schema: LiveSchema,
    private readonly ctx: SendContext,
    private readonly events: WorkerEvents,
    /**
     * The Web Lock one drain at a time holds, or null where only one drain can exist (the leader
     * tab of a shared database): a lock request is a round trip to the browser process per drain.
     */
    private readonly lockName: string | null,
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
    /** Requests in flight at once (default 1: the server sees writes in the order they were made). */
    private readonly concurrency = 1,
    /**
     * While writes wait on an unreachable server: a cheap request answering true once the
     * server answers again, tried every `probeIntervalMs` (then the queue drains at once).
     */
    private readonly probe: (() => Promise<boolean>) | null = null,
    private readonly probeIntervalMs = 1_000,
    /**
     * Writes per batch request when the schema declares a batch operation (`x-sync-batch`);
     * 1 sends one request per write.
     */
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  /** Until then (ms since epoch) the batch operation is not used: it refused a whole batch. */
  private batchOffUntil = 0;

  /**
   * A success of another channel (a shape response). Only the first one after a failure is a
   * reconnect (§2): every other batch leaves the backoff and any Retry-After alone.
   */
  async reachable(): Promise<void> {
    if (!this.unreachable) return;
    this.unreachable = false;
    await this.reconnect();
  }

  /** Another channel failed (a shape request): the next success is a reconnect. */
  markUnreachable(): void {
    this.unreachable = true;
  }

  /** Probes while the head waits on an unreachable server; drains as soon as it answers. */
  private startProbe(): void {
    if (this.probeTimer || this.closed || !this.probe) return;
    const probe = this.probe;
    const tick = async () => {
      const answered = await probe().catch(() => false);
      this.probeTimer = null;
      if (this.closed || !this.unreachable) return;
      if (answered) return void this.reachable();
      this.probeTimer = setTimeout(() => void tick(), this.probeIntervalMs);
    };
    this.probeTimer = setTimeout(() => void tick(), this.probeIntervalMs);
  }

  /** Drains now (or right after the running drain); resolves when the outbox is idle. */
  kick(): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.withLock(() => this.drainAll());
      } while (this.again && !this.closed);
    })().finally(() => {
      this.running = null;
      void this.schedule();
    });
    return this.running;
  }

  /** Reconnect (§2): every pending row is due now. */
  async reconnect(): Promise<void> {
    await this.db.query(
      `UPDATE "_sync_outbox" SET "next_attempt_at" = $1 WHERE "status" = 'pending' AND "next_attempt_at" > $1`,
      [Date.now()],
    );
    await this.kick();
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.probeTimer) clearTimeout(this.probeTimer);
    return this.running ?? Promise.resolve();
  }

  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (!locks || this.lockName === null) return fn();
    await locks.request(this.lockName, { ifAvailable: true }, async (lock) => {
      if (lock) await fn();
    });
  }

  private async schedule(): Promise<void> {
    if (this.closed) return;
    const r = await this.db.query<{ at: number | null }>(
      `SELECT min("next_attempt_at") AS at FROM "_sync_outbox" WHERE "status" = 'pending'`,
    );
    const at = r.rows[0]?.at;
    if (at === null || at === undefined || this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.kick(), Math.max(0, Number(at) - Date.now()));
  }

  /**
   * One global FIFO over every table: the server sees writes in the order they were made, which
   * is what keeps cross-entity dependencies valid (an account created offline reaches the server
   * before the contact that references it).
   *
   * With a batch operation (`schema.batch`), up to `batchSize` consecutive due rows go in one
   * request, same-key rows included (the server applies them in order); the results are applied
   * like single answers. 413 halves the batch; any other 4xx for the batch as a whole turns
   * batching off for {@link BATCH_OFF_MS} (the rows go one by one). Without one, one request per
   * row, or with `concurrency` > 1 a window of consecutive due rows with distinct (table, key) at
   * once; only apps whose entities never reference each other should raise it.
   */
  private async drainAll(): Promise<void> {
    let size = this.batchSize;
    // the pending rows the last acknowledgement read after its window, and how many it asked for
    let ahead: { rows: store.OutboxRecord[]; limit: number } | null = null;
    for (;;) {
      if (this.closed) return;
      const batch = this.schema.batch;
      const batching = batch !== undefined && size > 1 && Date.now() >= this.batchOffUntil;
      const limit = batching ? size : this.concurrency;
      const pending: store.OutboxRecord[] =
        ahead?.limit === limit ? ahead.rows : await this.pending(limit);
      ahead = null;
      if (pending.length === limit && limit > 1) await this.analyze();
      let rows = batching ? dueRun(pending) : windowOf(pending);
      if (rows.length === 0) return;
      let results: SendResult[];
      if (batching) {
        const answer = await sendBatch(this.ctx, this.schema, batch, rows);
        if (answer.kind === 'too-large') {
          size = Math.floor(rows.length / 2);
          continue;
        }
        if (answer.kind === 'refused') {
          this.batchOffUntil = Date.now() + BATCH_OFF_MS;
          continue;
        }
        if (answer.kind === 'retry') {
          rows = rows.slice(0, 1); // the head waits; nothing behind it overtakes
          results = [answer.result];
        } else {
          rows = rows.slice(0, answer.results.length);
          results = answer.results;
        }
      } else
        results = await Promise.all(
          rows.map((row) => sendRow(this.ctx, entityOf(this.schema, row.table_name), row)),
        );
      const applied = await this.apply(rows, results, limit);
      if (applied.stop) return;
      if (applied.next !== null) ahead = { rows: applied.next, limit };
    }
  }

  /**
   * Applies the answers to `rows` (in seq order) in one transaction (`storeAnswers`: one call to
   * the worker with the shared database); events after the commit.
   * Returns true when the queue must wait (a retryable answer: later rows must not overtake it).
   */
  private async apply(
    rows: store.OutboxRecord[],
    results: SendResult[],
    limit: number,
  ): Promise<{ stop: boolean; next: store.OutboxRecord[] | null }> {
    const acks: { row: store.OutboxRecord; txid: string | null }[] = [];
    for (const [i, row] of rows.entries()) {
      const r = results[i]!;
      if (r.kind !== 'ok' || (r.txid !== null && !store.plainTxid(r.txid))) break;
      acks.push({ row, txid: r.txid });
    }
    if (acks.length === rows.length) return this.acknowledged(acks, results, limit);
    return { stop: await this.answered(rows, results), next: null };
  }

  /**
   * Every answer is a success (the usual case): one statement acknowledges them and reads the
   * next pending rows and the counts (`acknowledgeAndPick`); the rows it did not mark `sent`
   * (txid already seen, or none: reconciled at once) go through {@link answered}'s transaction.
   * The events are those that transaction raises for a run of successes: the settlement of each
   * write in order, one status report (the last answer's).
   */
  private async acknowledged(
    acks: { row: store.OutboxRecord; txid: string | null }[],
    results: SendResult[],
    limit: number,
  ): Promise<{ stop: boolean; next: store.OutboxRecord[] }> {
    const rows = acks.map((a) => a.row);
    const { sent, next, counts } = await store.acknowledgeAndPick(
      this.db,
      acks.filter((a): a is { row: store.OutboxRecord; txid: string } => a.txid !== null),
      rows.map((r) => r.write_id),
      limit,
    );
    const rest = rows.flatMap((row, i) => (sent.has(row.write_id) ? [] : [i]));
    if (rest.length > 0)
      await this.transaction(
        rest.map((i) => rows[i]!),
        rest.map((i) => results[i]!),
      );
    this.unreachable = false;
    this.keysChanged(rows);
    for (const [i, row] of rows.entries()) {
      const result = results[i]!;
      if (i === rows.length - 1) this.events.reported(result);
      if (result.kind === 'ok') this.events.settled(row.write_id, { ok: true, body: result.body });
    }
    // reconciled rows left the outbox after the counts were read
    this.events.changed(rest.length === 0 ? counts : undefined);
    return { stop: false, next };
  }

  /** Announces the keys of `rows` (their view rows may have changed). */
  private keysChanged(rows: readonly store.OutboxRecord[]): void {
    const byTable = new Map<string, string[]>();
    for (const r of rows) {
      const keys = byTable.get(r.table_name);
      if (keys) keys.push(r.pk);
      else byTable.set(r.table_name, [r.pk]);
    }
    for (const [table, keys] of byTable) this.events.keysChanged(table, keys);
  }

  /** `storeAnswers` for `rows` in one transaction (one call to the worker with the shared database). */
  private transaction(rows: store.OutboxRecord[], results: SendResult[]) {
    const tables = new Set(rows.map((r) => r.table_name));
    return transact(
      this.db,
      'outbox.answers',
      {
        entities: this.schema.entities.filter((e) => tables.has(e.table)),
        rows,
        answers: results.map(plainAnswer),
        policy: this.policy,
      },
      storeAnswers,
    );
  }

  /**
   * Applies any answers to `rows` (in seq order) in one transaction (`storeAnswers`); events
   * after the commit. Returns true when the queue must wait (a retryable answer: later rows must
   * not overtake it).
   */
  private async answered(rows: store.OutboxRecord[], results: SendResult[]): Promise<boolean> {
    const out = await this.transaction(rows, results);
    if (out.unreachable !== undefined) this.unreachable = out.unreachable;
    this.keysChanged(rows);
    for (const effect of out.effects) {
      if ('report' in effect) {
        const result = results[effect.report]!;
        this.events.reported(effect.met ? { kind: 'ok', txid: null, body: null } : result);
        continue;
      }
      const result = results[effect.answer]!;
      if (effect.met) this.events.settled(effect.settle, { ok: true, body: null });
      else if (result.kind === 'ok')
        this.events.settled(effect.settle, { ok: true, body: result.body });
      else if (result.kind === 'refused')
        this.events.settled(effect.settle, { ok: false, error: result.error });
    }
    this.events.changed();
    if (this.unreachable) this.startProbe();
    return out.stop;
  }

  /** When this worker last had the outbox's statistics refreshed (ms since epoch). */
  private analyzedAt = 0;

  /**
   * Refreshes the planner's statistics of `_sync_outbox` (at most once a minute), when a pick came
   * back full: the queue is at least a window or a batch long. PGlite runs no autovacuum, so
   * without statistics Postgres guesses 0.5 % of the rows are pending and picks the next `limit`
   * of them with a bitmap scan of EVERY pending row and a sort, not the pending index in order:
   * each window of a 2,000-write queue read 2,000 rows (LIMIT 1 already used the index).
   */
  private async analyze(): Promise<void> {
    const now = Date.now();
    if (now - this.analyzedAt < 60_000) return;
    this.analyzedAt = now;
    await this.db.query(`ANALYZE "_sync_outbox"`).catch(() => undefined);
  }

  /** The first `limit` pending rows (by the pending index), due or not. */
  private async pending(limit: number): Promise<store.OutboxRecord[]> {
    const r = await this.db.query<store.OutboxRecord>(
      `SELECT * FROM "_sync_outbox" WHERE "status" = 'pending' ORDER BY "seq" LIMIT $1`,
      [limit],
    );
    return r.rows;
  }
}

/** The consecutive due rows from the head of `pending` (a batch). */
function dueRun(pending: readonly store.OutboxRecord[]): store.OutboxRecord[] {
  const now = Date.now();
  const picked: store.OutboxRecord[] = [];
  for (const row of pending) {
    if (Number(row.next_attempt_at) > now) break;
    picked.push(row);
  }
  return picked;
}

/** The due head of `pending` plus the following due rows of distinct (table, key) (a window). */
function windowOf(pending: readonly store.OutboxRecord[]): store.OutboxRecord[] {
  const now = Date.now();
  const keys = new Set<string>();
  const picked: store.OutboxRecord[] = [];
  for (const row of pending) {
    const key = `${row.table_name}\u0000${row.pk}`;
    if (Number(row.next_attempt_at) > now || keys.has(key)) break;
    keys.add(key);
    picked.push(row);
  }
  return picked;
}
