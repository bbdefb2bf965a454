/**
 * The outbox drainer (contract §2): per table, rows go in `seq` order; a window of up to 16 rows
 * with distinct keys is sent concurrently (the server still sees every key's writes in order) and
 * their results are applied in `seq` order. 2xx acknowledges (reconciling when the txid was
 * already seen), 4xx rolls back the write and its later same-key writes, 5xx/429/network retry
 * after full-jitter backoff. One drainer per database: a Web Lock in browsers, and this class
 * never runs two drains at once.
 */
import { backoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import type { SyncDb } from '../db/open.js';
import { entityOf, type LiveSchema } from '../schema.js';
import { sendRow, type SendContext, type SendResult, type SyncApiError } from './send.js';
import * as store from './store.js';

const WINDOW = 16;

export interface WorkerEvents {
  /** A confirmed (or any) write got its final answer. */
  settled(writeId: string, outcome: { ok: true } | { ok: false; error: SyncApiError }): void;
  /** After every request: online state and the last error. */
  reported(result: SendResult): void;
  changed(): void;
  /** Rows of `table` whose view row may have changed (acknowledged or rolled back). */
  keysChanged(table: string, keys: string[]): void;
}

export class OutboxWorker {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closed = false;

  constructor(
    private readonly db: SyncDb,
    private readonly schema: LiveSchema,
    private readonly ctx: SendContext,
    private readonly events: WorkerEvents,
    private readonly lockName: string,
    private readonly policy: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

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
    return this.running ?? Promise.resolve();
  }

  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
    if (!locks) return fn();
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

  private async drainAll(): Promise<void> {
    const tables = await this.db.query<{ table_name: string }>(
      `SELECT DISTINCT "table_name" FROM "_sync_outbox" WHERE "status" = 'pending'`,
    );
    await Promise.all(tables.rows.map((t) => this.drainTable(t.table_name)));
  }

  /** The due head of the table's FIFO plus following rows of distinct keys. */
  private async window(table: string): Promise<store.OutboxRecord[]> {
    const r = await this.db.query<store.OutboxRecord>(
      `SELECT * FROM "_sync_outbox" WHERE "table_name" = $1 AND "status" <> 'sent' ORDER BY "seq" LIMIT $2`,
      [table, WINDOW],
    );
    const now = Date.now();
    const keys = new Set<string>();
    const picked: store.OutboxRecord[] = [];
    for (const row of r.rows) {
      if (row.status !== 'pending' || Number(row.next_attempt_at) > now || keys.has(row.pk)) break;
      keys.add(row.pk);
      picked.push(row);
    }
    return picked;
  }

  private async drainTable(table: string): Promise<void> {
    const e = entityOf(this.schema, table);
    for (;;) {
      if (this.closed) return;
      const rows = await this.window(table);
      if (rows.length === 0) return;
      const results = await Promise.all(rows.map((row) => sendRow(this.ctx, e, row)));
      // all results of the window in one transaction, in seq order; events after the commit
      const after: (() => void)[] = [];
      let stop = false;
      await this.db.transaction(async (tx) => {
        let acks: { row: store.OutboxRecord; txid: string | null }[] = [];
        const flush = async () => {
          if (acks.length) await store.acknowledge(tx, e, acks);
          acks = [];
        };
        for (const [i, row] of rows.entries()) {
          const result = results[i]!;
          after.push(() => this.events.reported(result));
          if (result.kind === 'ok') {
            acks.push({ row, txid: result.txid });
            after.push(() => this.events.settled(row.write_id, { ok: true }));
            continue;
          }
          await flush();
          if (result.kind === 'refused') {
            const doomed = await store.refuse(tx, e, row);
            for (const d of doomed)
              after.push(() => this.events.settled(d.write_id, { ok: false, error: result.error }));
          } else {
            const delay = backoffMs(row.attempts + 1, Math.random(), this.policy);
            await store.retryLater(tx, row, Date.now() + Math.max(delay, result.retryAfterMs ?? 0));
            stop = true;
          }
        }
        await flush();
      });
      this.events.keysChanged(
        table,
        rows.map((r) => r.pk),
      );
      for (const f of after) f();
      this.events.changed();
      if (stop) return;
    }
  }
}
