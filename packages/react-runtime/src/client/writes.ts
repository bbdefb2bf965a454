/**
 * Writes through the view (contract §1): `INSERT/UPDATE/DELETE` on `T`, whose triggers update
 * `T_local` and append the outbox row in the same transaction. Optimistic writes resolve when
 * that transaction commits; confirmed ones (§4) when the worker settles their write id with the
 * server's answer (rejecting with the API error after the rollback).
 */
import type { Queryable, SyncDb } from '../db/open.js';
import { transact } from '../db/procedures.js';
import { ident, type LiveEntity } from '../schema.js';
import { param } from '../shape/apply.js';
import type { ChangeFeed } from './changes.js';

export type LiveRowValue = Record<string, unknown>;

interface Deferred {
  resolve(body: unknown): void;
  reject(error: unknown): void;
}

/** The server's answer to a write. */
export type WriteOutcome = { ok: true; body: unknown } | { ok: false; error: unknown };

/** The server's answer is the written row (an object with the same primary key). */
function isRowOf(e: LiveEntity, body: unknown, key: unknown): body is LiveRowValue {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const pk = (body as LiveRowValue)[e.primaryKey];
  return pk !== undefined && pk !== null && String(pk) === String(key);
}

/**
 * A confirmed write's transaction (procedure `writes.confirmed`, one message with the shared
 * database): the statement on the view, and the write ids its triggers appended to the outbox.
 */
export async function confirmedWrite(
  tx: Queryable,
  { sql, params }: { sql: string; params: unknown[] },
): Promise<{ row: LiveRowValue | null; writeIds: string[] }> {
  const before = await tx.query<{ s: number }>(
    `SELECT coalesce(max("seq"), 0)::bigint AS s FROM "_sync_outbox"`,
  );
  const result = await tx.query<LiveRowValue>(sql, params);
  const added = await tx.query<{ write_id: string }>(
    `SELECT "write_id" FROM "_sync_outbox" WHERE "seq" > $1 ORDER BY "seq"`,
    [before.rows[0]?.s ?? 0],
  );
  return { row: result.rows[0] ?? null, writeIds: added.rows.map((r) => r.write_id) };
}

export class Writes {
  private readonly waiting = new Map<string, Deferred>();

  constructor(
    private readonly db: SyncDb,
    private readonly feed: ChangeFeed,
    private readonly afterWrite: () => void,
  ) {}

  settle(writeId: string, outcome: WriteOutcome): void {
    const d = this.waiting.get(writeId);
    if (!d) return;
    this.waiting.delete(writeId);
    if (outcome.ok) d.resolve(outcome.body);
    else d.reject(outcome.error);
  }

  /**
   * Runs `sql` on the view. Optimistic entities: one atomic statement, done at commit. Confirmed
   * ones: in a transaction that also reads the write ids the triggers appended, then waits for
   * the worker to settle them with the server's answer.
   */
  private async run(e: LiveEntity, sql: string, params: unknown[], key?: unknown) {
    if (!e.confirmed) {
      const row = (await this.db.query<LiveRowValue>(sql, params)).rows[0] ?? null;
      this.written(e, key ?? row?.[e.primaryKey]);
      return row;
    }
    const { row, writeIds } = await transact(
      this.db,
      'writes.confirmed',
      { sql, params },
      confirmedWrite,
    );
    const settled = Promise.all(
      writeIds.map(
        (id) =>
          new Promise<unknown>((resolve, reject) => this.waiting.set(id, { resolve, reject })),
      ),
    );
    this.written(e, key ?? row?.[e.primaryKey]);
    const bodies = await settled;
    // §4: a confirmed write resolves with the server's row (as push mode does), when it sent one
    const body = bodies[bodies.length - 1];
    if (row && isRowOf(e, body, row[e.primaryKey])) return body;
    return row;
  }

  /**
   * After the commit: the collections' re-read first (this tab's optimistic row: the click →
   * row promise), then `afterWrite` (the outbox drain and the status, deferred).
   */
  private written(e: LiveEntity, key: unknown): void {
    if (key !== undefined && key !== null) this.feed.emit(e.table, [String(key)]);
    this.afterWrite();
  }

  private values(e: LiveEntity, values: object): [string[], unknown[]] {
    const known = new Set(e.columns.map((c) => c.name));
    const entries = Object.entries(values).filter(([k, v]) => known.has(k) && v !== undefined);
    return [entries.map(([k]) => k), entries.map(([k, v]) => param(e, k, v))];
  }

  async insert(e: LiveEntity, values: object): Promise<LiveRowValue> {
    const [cols, params] = this.values(e, values);
    const sql = `INSERT INTO ${ident(e.table)} (${cols.map(ident).join(', ')})
      VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING *`;
    const row = await this.run(
      e,
      cols.length ? sql : `INSERT INTO ${ident(e.table)} DEFAULT VALUES RETURNING *`,
      params,
    );
    if (!row) throw new Error(`insert into ${e.table} returned no row`);
    return row;
  }

  async update(e: LiveEntity, key: unknown, values: object): Promise<LiveRowValue> {
    const [cols, params] = this.values(e, values);
    const sets = cols.filter((c) => c !== e.primaryKey);
    const assign = sets.map((c) => `${ident(c)} = $${cols.indexOf(c) + 2}`).join(', ');
    const pk = ident(e.primaryKey);
    const sql = `UPDATE ${ident(e.table)} SET ${assign || `${pk} = ${pk}`} WHERE ${pk} = $1 RETURNING *`;
    const row = await this.run(e, sql, [key, ...params], key);
    if (!row) throw new Error(`${e.name} ${String(key)} not found`);
    return row;
  }

  async remove(e: LiveEntity, key: unknown): Promise<void> {
    const pk = ident(e.primaryKey);
    await this.run(e, `DELETE FROM ${ident(e.table)} WHERE ${pk} = $1`, [key], key);
  }
}
