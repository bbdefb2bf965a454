/**
 * The outbox state of contract §2-3 kept in PGlite: the same decisions as the pure model in
 * `machine.ts` (reconcile, rollback of a write and its later same-key writes, ack with the
 * txid-seen check, retry), as SQL over `_sync_outbox` and `T_local`. Every function runs inside
 * the caller's transaction so the view changes atomically (no flicker).
 */
import { ident, type LiveEntity } from '../schema.js';
import type { Queryable } from '../db/open.js';
import { lastSnapshot, visibleIn } from '../shape/snapshot.js';

export interface OutboxRecord {
  seq: number;
  write_id: string;
  table_name: string;
  op: 'insert' | 'update' | 'delete';
  pk: string;
  payload: string;
  status: 'pending' | 'inflight' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  txid: string | null;
  confirmed: boolean;
}

const tableNames = (e: LiveEntity) => ({
  local: ident(`${e.table}_local`),
  pk: ident(e.primaryKey),
  synced: e.columns.filter((c) => c.synced && !c.primaryKey).map((c) => ident(c.name)),
  localOnly: e.columns.filter((c) => !c.synced).map((c) => ident(c.name)),
});

async function localWriteId(tx: Queryable, e: LiveEntity, pk: string): Promise<string | null> {
  const t = tableNames(e);
  const r = await tx.query<{ _write_id: string | null }>(
    `SELECT "_write_id" FROM ${t.local} WHERE ${t.pk} = $1`,
    [pk],
  );
  return r.rows[0]?._write_id ?? null;
}

/** Drops the synced overrides of `pk`; deletes the row when nothing local is left. */
async function dropOverrides(tx: Queryable, e: LiveEntity, pk: string): Promise<void> {
  const t = tableNames(e);
  const nulls = t.synced.map((c) => `${c} = NULL, `).join('');
  await tx.query(
    `UPDATE ${t.local} SET ${nulls}"_changed" = '{}', "_write_id" = NULL, "_deleted" = false WHERE ${t.pk} = $1`,
    [pk],
  );
  const empty = t.localOnly.map((c) => ` AND ${c} IS NULL`).join('');
  await tx.query(`DELETE FROM ${t.local} WHERE ${t.pk} = $1${empty}`, [pk]);
}

/** §3: a write the server applied and the shape delivered. */
export async function reconcile(tx: Queryable, e: LiveEntity, row: OutboxRecord): Promise<void> {
  await tx.query(`DELETE FROM "_sync_outbox" WHERE "write_id" = $1`, [row.write_id]);
  if ((await localWriteId(tx, e, row.pk)) !== row.write_id) return;
  if (row.op === 'delete') {
    const t = tableNames(e);
    await tx.query(`DELETE FROM ${t.local} WHERE ${t.pk} = $1`, [row.pk]);
  } else await dropOverrides(tx, e, row.pk);
}

/** §2 rollback: remove the write; restore `T_local` from the key's remaining writes. */
export async function rollback(tx: Queryable, e: LiveEntity, row: OutboxRecord): Promise<void> {
  await tx.query(`DELETE FROM "_sync_outbox" WHERE "write_id" = $1`, [row.write_id]);
  if ((await localWriteId(tx, e, row.pk)) !== row.write_id) return;
  const rest = await tx.query<OutboxRecord>(
    `SELECT * FROM "_sync_outbox" WHERE "table_name" = $1 AND "pk" = $2 ORDER BY "seq"`,
    [e.table, row.pk],
  );
  const last = rest.rows[rest.rows.length - 1];
  if (!last) return dropOverrides(tx, e, row.pk);
  const merged: Record<string, unknown> = {};
  for (const r of rest.rows) Object.assign(merged, JSON.parse(r.payload) as object);
  const changed = Object.keys(merged).filter((k) => k !== e.primaryKey);
  const t = tableNames(e);
  const sets = changed.map((c) => `${ident(c)} = p.${ident(c)}`).join(', ');
  await tx.query(
    `UPDATE ${t.local} SET ${sets}${sets ? ', ' : ''}"_changed" = $2::text[], "_deleted" = $3, "_write_id" = $4
     FROM jsonb_populate_record(NULL::${t.local}, $5::jsonb) AS p WHERE ${t.local}.${t.pk} = $1`,
    [row.pk, changed, last.op === 'delete', last.write_id, JSON.stringify(merged)],
  );
}

/** 4xx: the write and every later write of the same key are rolled back; returns them. */
export async function refuse(
  tx: Queryable,
  e: LiveEntity,
  row: OutboxRecord,
): Promise<OutboxRecord[]> {
  const doomed = await tx.query<OutboxRecord>(
    `SELECT * FROM "_sync_outbox" WHERE "table_name" = $1 AND "pk" = $2 AND "seq" >= $3 ORDER BY "seq"`,
    [e.table, row.pk, row.seq],
  );
  for (const r of doomed.rows) await rollback(tx, e, r);
  return doomed.rows;
}

/**
 * 2xx for several rows of one table (in seq order): store each txid, or reconcile at once when it
 * was already seen — in `_sync_seen_txids` or inside the last shape snapshot — or there is none.
 */
export async function acknowledge(
  tx: Queryable,
  e: LiveEntity,
  acks: readonly { row: OutboxRecord; txid: string | null }[],
): Promise<void> {
  const txids = acks.flatMap((a) => (a.txid === null ? [] : [a.txid]));
  const seen = new Set(
    txids.length === 0
      ? []
      : (
          await tx.query<{ txid: string }>(
            `SELECT "txid" FROM "_sync_seen_txids" WHERE "txid" = ANY ($1::text[])`,
            [txids],
          )
        ).rows.map((r) => r.txid),
  );
  const snapshot = txids.length === 0 ? null : await lastSnapshot(tx, e.table);
  const sent: { row: OutboxRecord; txid: string }[] = [];
  for (const { row, txid } of acks) {
    if (txid !== null && !seen.has(txid) && !(snapshot && visibleIn(snapshot, txid)))
      sent.push({ row, txid });
    else await reconcile(tx, e, row);
  }
  if (sent.length === 0) return;
  await tx.query(
    `UPDATE "_sync_outbox" o SET "status" = 'sent', "txid" = v.t
     FROM unnest($1::text[], $2::text[]) AS v(w, t) WHERE o."write_id" = v.w`,
    [sent.map((a) => a.row.write_id), sent.map((a) => a.txid)],
  );
}

/** 5xx / 429 / network: pending again at `nextAttemptAt`. */
export async function retryLater(tx: Queryable, row: OutboxRecord, nextAttemptAt: number) {
  await tx.query(
    `UPDATE "_sync_outbox" SET "status" = 'pending', "attempts" = "attempts" + 1, "next_attempt_at" = $2 WHERE "write_id" = $1`,
    [row.write_id, nextAttemptAt],
  );
}
