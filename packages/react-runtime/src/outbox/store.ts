/**
 * The outbox state of contract §2-3 kept in PGlite: the same decisions as the pure model in
 * `machine.ts` (reconcile, rollback of a write and its later same-key writes, ack with the
 * txid-seen check, retry), as SQL over `_sync_outbox` and `T_local`. Every function runs inside
 * the caller's transaction so the view changes atomically (no flicker).
 */
import { ident, type LiveEntity } from '../schema.js';
import type { Queryable } from '../db/open.js';
import { refetchKey, snapshotKey, visibleIn, type PgSnapshot } from '../shape/snapshot.js';

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

/**
 * §1 visibility: a `T_local` row with no pending write and no synced row is shown by nothing (it
 * only holds local-only values of a row that is gone, or of a refused insert): delete it.
 */
export async function forgetIfGone(tx: Queryable, e: LiveEntity, pk: unknown): Promise<void> {
  const t = tableNames(e);
  const synced = ident(`${e.table}_synced`);
  await tx.query(
    `DELETE FROM ${t.local} l WHERE l.${t.pk} = $1 AND l."_write_id" IS NULL
     AND NOT EXISTS (SELECT 1 FROM ${synced} s WHERE s.${t.pk} = l.${t.pk})`,
    [pk],
  );
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

/** What a refused write keeps in `_sync_outbox.error` (JSON) for the errors API. */
export interface Failure {
  status: number;
  message: string;
  body: unknown;
  failedAt: number;
}

/**
 * §2 rollback: the write leaves the queue — kept as `failed` with its `failure` when refused,
 * deleted when cancelled — and `T_local` is restored from the key's remaining writes.
 */
export async function rollback(
  tx: Queryable,
  e: LiveEntity,
  row: OutboxRecord,
  failure: Failure | null = null,
): Promise<void> {
  if (failure)
    await tx.query(
      `UPDATE "_sync_outbox" SET "status" = 'failed', "error" = $2 WHERE "write_id" = $1`,
      [row.write_id, JSON.stringify(failure)],
    );
  else await tx.query(`DELETE FROM "_sync_outbox" WHERE "write_id" = $1`, [row.write_id]);
  if ((await localWriteId(tx, e, row.pk)) !== row.write_id) return;
  const rest = await tx.query<OutboxRecord>(
    `SELECT * FROM "_sync_outbox" WHERE "table_name" = $1 AND "pk" = $2 AND "status" <> 'failed' ORDER BY "seq"`,
    [e.table, row.pk],
  );
  const last = rest.rows[rest.rows.length - 1];
  if (!last) {
    await dropOverrides(tx, e, row.pk);
    return forgetIfGone(tx, e, row.pk);
  }
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

/**
 * 4xx: the write and every later write of the same key are rolled back and kept as `failed`
 * (the later ones build on the refused one and were never sent); returns them.
 */
export async function refuse(
  tx: Queryable,
  e: LiveEntity,
  row: OutboxRecord,
  failure: Failure,
): Promise<OutboxRecord[]> {
  const doomed = await tx.query<OutboxRecord>(
    `SELECT * FROM "_sync_outbox" WHERE "table_name" = $1 AND "pk" = $2 AND "seq" >= $3 AND "status" <> 'failed' ORDER BY "seq"`,
    [e.table, row.pk, row.seq],
  );
  for (const r of doomed.rows)
    await rollback(
      tx,
      e,
      r,
      r.write_id === row.write_id
        ? failure
        : {
            ...failure,
            message: `not sent: an earlier write of this row was refused (${failure.message})`,
          },
    );
  return doomed.rows;
}

/** Refused writes are kept 24 hours (§2), then pruned. */
export async function pruneFailed(tx: Queryable, now: number): Promise<void> {
  await tx.query(
    `DELETE FROM "_sync_outbox" WHERE "status" = 'failed'
     AND ("error" IS NULL OR "error" NOT LIKE '{%' OR coalesce(("error"::jsonb->>'failedAt')::bigint, 0) < $1)`,
    [now - 24 * 3600_000],
  );
}

/**
 * Hides `pk` until the shape says what happened to it (§2, 404): `T_local` becomes a tombstone —
 * `_deleted`, no overrides, no pending write — so the view shows neither the refused local
 * values nor the stale synced row in between. The shape's delete (or a must-refetch without the
 * key) removes the tombstone; when the synced row is already gone, it goes at once.
 */
async function tombstone(tx: Queryable, e: LiveEntity, pk: string): Promise<void> {
  const t = tableNames(e);
  const nulls = t.synced.map((c) => `${c} = NULL, `).join('');
  await tx.query(`INSERT INTO ${t.local} (${t.pk}) VALUES ($1) ON CONFLICT (${t.pk}) DO NOTHING`, [
    pk,
  ]);
  await tx.query(
    `UPDATE ${t.local} SET ${nulls}"_changed" = '{}', "_deleted" = true, "_write_id" = NULL WHERE ${t.pk} = $1`,
    [pk],
  );
  await forgetIfGone(tx, e, pk);
}

/**
 * 404 on a delete: the delete's intent is met (another client deleted the row first). The write
 * is done; the row stays hidden until the shape delivers the delete (never shown again in between).
 */
export async function deleteGone(tx: Queryable, e: LiveEntity, row: OutboxRecord): Promise<void> {
  await tx.query(`DELETE FROM "_sync_outbox" WHERE "write_id" = $1`, [row.write_id]);
  if ((await localWriteId(tx, e, row.pk)) === row.write_id) await tombstone(tx, e, row.pk);
}

/**
 * 404 on an update: the row is gone on the server. The write and the key's later writes are
 * refused, and the row is hidden until the shape confirms (never restoring the synced value).
 */
export async function updateGone(
  tx: Queryable,
  e: LiveEntity,
  row: OutboxRecord,
  failure: Failure,
): Promise<OutboxRecord[]> {
  const doomed = await refuse(tx, e, row, failure);
  await tombstone(tx, e, row.pk);
  return doomed;
}

/**
 * 2xx for several rows of one table (in seq order): store each txid, or reconcile at once when it
 * was already seen — in `_sync_seen_txids` or inside the last shape snapshot — or there is none.
 * The usual case (txids not seen yet) is one statement after one read of the table's meta: the
 * update marks `sent` exactly the rows whose txid is not in `_sync_seen_txids`, and the rows it
 * did not return are reconciled.
 */
export async function acknowledge(
  tx: Queryable,
  e: LiveEntity,
  acks: readonly { row: OutboxRecord; txid: string | null }[],
): Promise<void> {
  const withTxid = acks.filter((a): a is { row: OutboxRecord; txid: string } => a.txid !== null);
  let snapshot: PgSnapshot | null = null;
  let refetching = false;
  if (withTxid.length > 0) {
    const meta = await tx.query<{ key: string; value: string | null }>(
      `SELECT "key", "value" FROM "_sync_meta" WHERE "key" = ANY ($1::text[])`,
      [[snapshotKey(e.table), refetchKey(e.table)]],
    );
    for (const m of meta.rows) {
      if (m.key === refetchKey(e.table)) refetching = true;
      else if (m.value) snapshot = JSON.parse(m.value) as PgSnapshot;
    }
  }
  // while a must-refetch fills its staging table, T_synced still holds the old rows: reconciling
  // now would show them; the swap reconciles what the new snapshot contains
  const candidates = withTxid.filter(
    (a) => refetching || !(snapshot && visibleIn(snapshot, a.txid)),
  );
  const sent = new Set<string>();
  if (candidates.length > 0) {
    const r = await tx.query<{ write_id: string }>(
      `UPDATE "_sync_outbox" o SET "status" = 'sent', "txid" = v.t
       FROM unnest($1::text[], $2::text[]) AS v(w, t)
       WHERE o."write_id" = v.w
         AND ($3 OR NOT EXISTS (SELECT 1 FROM "_sync_seen_txids" s WHERE s."txid" = v.t))
       RETURNING o."write_id"`,
      [candidates.map((a) => a.row.write_id), candidates.map((a) => a.txid), refetching],
    );
    for (const x of r.rows) sent.add(x.write_id);
  }
  for (const { row } of acks) if (!sent.has(row.write_id)) await reconcile(tx, e, row);
}

/** 5xx / 429 / network: pending again at `nextAttemptAt`. */
export async function retryLater(tx: Queryable, row: OutboxRecord, nextAttemptAt: number) {
  await tx.query(
    `UPDATE "_sync_outbox" SET "status" = 'pending', "attempts" = "attempts" + 1, "next_attempt_at" = $2 WHERE "write_id" = $1`,
    [row.write_id, nextAttemptAt],
  );
}

/** A row of `_sync_outbox_counts` (kept by triggers; read with the status). */
export interface OutboxCount {
  table_name: string;
  pending: number;
  failed: number;
  failed_changes: number;
}

/** A txid {@link acknowledgeAndPick} can compare with a snapshot in SQL (what `BigInt` reads the same). */
export const plainTxid = (txid: string) => /^[0-9]{1,30}$/.test(txid);

/**
 * 2xx for every row of a window or batch (any tables, txids in plain decimal), as ONE statement,
 * no transaction around it (a single statement is atomic): marks `sent` exactly the rows that
 * {@link acknowledge} would (txid neither in `_sync_seen_txids` nor visible in the table's last
 * shape snapshot, or the table is refetching — the same test as `visibleIn`, in SQL), and in the
 * same statement reads the next `limit` pending rows after the window (`exclude`: its write ids)
 * and the outbox counts. A single-write drain was six statements per window: pick, begin, meta,
 * acknowledge, commit, and the status's count.
 *
 * Returns the write ids marked `sent`; the caller acknowledges the others (txid already seen:
 * reconciled) in a transaction of their own, as before: until then they are still `pending` and
 * unchanged, the state before the answer.
 */
export async function acknowledgeAndPick(
  db: Queryable,
  acks: readonly { row: OutboxRecord; txid: string }[],
  exclude: readonly string[],
  limit: number,
): Promise<{ sent: Set<string>; next: OutboxRecord[]; counts: OutboxCount[] }> {
  const r = await db.query<OutboxRecord & { _sent: string[]; _counts: OutboxCount[] }>(
    `WITH "acked" AS (
       UPDATE "_sync_outbox" o SET "status" = 'sent', "txid" = v.t
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS v(w, t, snap, refetch)
       WHERE o."write_id" = v.w
         AND (EXISTS (SELECT 1 FROM "_sync_meta" r WHERE r."key" = v.refetch)
           OR (NOT EXISTS (SELECT 1 FROM "_sync_seen_txids" s WHERE s."txid" = v.t)
             AND NOT EXISTS (
               SELECT 1 FROM (
                 SELECT "value"::jsonb AS j FROM "_sync_meta"
                 WHERE "key" = v.snap AND coalesce("value", '') <> '' OFFSET 0
               ) m
               WHERE v.t::numeric < (m.j->>'xmin')::numeric
                 OR (v.t::numeric < (m.j->>'xmax')::numeric
                   AND NOT EXISTS (
                     SELECT 1 FROM jsonb_array_elements_text(m.j->'xip_list') AS x(id)
                     WHERE x.id::numeric = v.t::numeric)))))
       RETURNING o."write_id"
     )
     SELECT n.*, a."_sent", a."_counts"
     FROM (SELECT (SELECT coalesce(json_agg("write_id"), '[]') FROM "acked") AS "_sent",
                  (SELECT coalesce(json_agg(c), '[]') FROM "_sync_outbox_counts" c) AS "_counts") a
     LEFT JOIN LATERAL (
       SELECT * FROM "_sync_outbox"
       WHERE "status" = 'pending' AND "write_id" <> ALL ($5::text[])
       ORDER BY "seq" LIMIT $6
     ) n ON true`,
    [
      acks.map((a) => a.row.write_id),
      acks.map((a) => a.txid),
      acks.map((a) => snapshotKey(a.row.table_name)),
      acks.map((a) => refetchKey(a.row.table_name)),
      exclude,
      limit,
    ],
  );
  const first = r.rows[0];
  const next: OutboxRecord[] = [];
  for (const { _sent, _counts, ...row } of r.rows) if (row.seq !== null) next.push(row);
  return {
    sent: new Set(first?._sent ?? []),
    next,
    counts: (first?._counts ?? []).map((c) => ({ ...c, failed_changes: Number(c.failed_changes) })),
  };
}
