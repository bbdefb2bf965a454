/**
 * One shape response → one PGlite transaction (contract §3, §5): change messages applied to
 * `T_synced` (consecutive inserts as one bulk upsert), their txids recorded in
 * `_sync_seen_txids` (pruned to the last 10,000), `sent` outbox rows those txids acknowledge
 * reconciled, and the shape's handle/offset stored — so the view moves from "local override" to
 * "synced value" in one commit, and a restart resumes exactly after the last applied batch.
 */
import { ident, viewRowsSql, type LiveEntity } from '../schema.js';
import type { Queryable, SyncDb } from '../db/open.js';
import { transact } from '../db/procedures.js';
import { forgetIfGone, reconcile, type OutboxRecord } from '../outbox/store.js';
import {
  isRefetching,
  lastSnapshot,
  refetchKey,
  snapshotOf,
  storeSnapshot,
  visibleIn,
  type PgSnapshot,
} from './snapshot.js';

/**
 * A shape message with its values as Electric sent them (wire text: `'t'`, `'42'`, JSON as JSON
 * text; see consumer.ts `wireParser`). Postgres parses them by column type when they are stored.
 */
export interface ShapeMessage {
  headers: Record<string, unknown>;
  key?: string;
  value?: Record<string, unknown>;
}

export interface BatchResult {
  refetched: boolean;
  upToDate: boolean;
  changes: number;
  /** Primary keys whose view row may have changed (null: all, after a must-refetch). */
  keys: string[] | null;
  /** With `readBack`: the view rows of `keys` as this transaction leaves them. */
  rows?: Record<string, unknown>[];
}

/** At most this many changed keys are read back in the transaction (more: the collection re-reads). */
export const READ_BACK_LIMIT = 1_000;

/** JSON for jsonb_populate_recordset: bigint as a decimal string. */
const toJson = (v: unknown): string =>
  JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));

/** A column value as a PGlite parameter (json columns are sent as JSON text). */
export function param(e: LiveEntity, column: string, v: unknown): unknown {
  const c = e.columns.find((x) => x.name === column);
  if (c?.storage === 'json' && v !== null && v !== undefined) return toJson(v);
  return v;
}

const syncedTable = (e: LiveEntity) => ident(`${e.table}_synced`);
/** Where a must-refetch's new snapshot is filled before it replaces `T_synced` in one go. */
const stagingTable = (e: LiveEntity) => ident(`${e.table}_synced_refetch`);

/**
 * must-refetch (§5): the new snapshot goes to an empty staging table (a copy of `T_synced`'s
 * definition); `T_synced` keeps serving the view until the snapshot is complete.
 */
async function startRefetch(tx: Queryable, e: LiveEntity): Promise<void> {
  await tx.exec(`DROP TABLE IF EXISTS ${stagingTable(e)};
    CREATE TABLE ${stagingTable(e)} (LIKE ${syncedTable(e)} INCLUDING ALL);`);
  await tx.query(
    `INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, '1') ON CONFLICT ("key") DO NOTHING`,
    [refetchKey(e.table)],
  );
  await tx.query(`DELETE FROM "_sync_shapes" WHERE "shape_key" = $1`, [e.table]);
  await tx.query(`DELETE FROM "_sync_meta" WHERE "key" = $1`, [`snapshot:${e.table}`]);
}

/**
 * The refetched snapshot is complete (up-to-date): it replaces `T_synced` in this transaction,
 * so every emitted state has either the old rows or the new ones, never a partial or empty
 * table. The writes the new snapshot contains are reconciled in the same transaction, and
 * `T_local` rows that are now invisible (no synced row, no pending write) are dropped.
 */
async function finishRefetch(tx: Queryable, e: LiveEntity): Promise<void> {
  await tx.exec(`DELETE FROM ${syncedTable(e)};
    INSERT INTO ${syncedTable(e)} SELECT * FROM ${stagingTable(e)};
    DROP TABLE ${stagingTable(e)};`);
  await tx.query(`DELETE FROM "_sync_meta" WHERE "key" = $1`, [refetchKey(e.table)]);
  const snapshot = await lastSnapshot(tx, e.table);
  const sent = await tx.query<OutboxRecord>(
    `SELECT o.* FROM "_sync_outbox" o WHERE o."status" = 'sent' AND o."table_name" = $1
     AND o."txid" IS NOT NULL ORDER BY o."seq"`,
    [e.table],
  );
  const seen = new Set(
    (
      await tx.query<{ txid: string }>(
        `SELECT "txid" FROM "_sync_seen_txids" WHERE "txid" = ANY ($1::text[])`,
        [sent.rows.map((r) => r.txid)],
      )
    ).rows.map((r) => r.txid),
  );
  for (const row of sent.rows)
    if (seen.has(row.txid!) || (snapshot && visibleIn(snapshot, row.txid!)))
      await reconcile(tx, e, row);
  const local = ident(`${e.table}_local`);
  const pk = ident(e.primaryKey);
  await tx.exec(`DELETE FROM ${local} l WHERE l."_write_id" IS NULL
    AND NOT EXISTS (SELECT 1 FROM ${syncedTable(e)} s WHERE s.${pk} = l.${pk});`);
}

/**
 * The primary key as the view's key string, from its wire text (numbers as JS prints them, as
 * for a row read back from PGlite).
 */
function keyOf(e: LiveEntity, v: unknown): string {
  const storage = e.columns.find((c) => c.name === e.primaryKey)?.storage;
  if (typeof v === 'string' && v !== '') {
    if (storage === 'int64') return BigInt(v).toString();
    if (storage === 'int32' || storage === 'float' || storage === 'double')
      return String(Number(v));
  }
  return String(v);
}

/**
 * One statement for a run of inserts: the wire rows as one JSON document, typed by Postgres
 * (`json_populate_recordset` reads every text value with its column's input function). A json
 * column's value is JSON text, i.e. a JSON string here, unwrapped and parsed as jsonb.
 */
async function upsertAll(
  tx: Queryable,
  e: LiveEntity,
  rows: Record<string, unknown>[],
  table: string,
) {
  const synced = e.columns.filter((c) => c.synced);
  const cols = synced.map((c) => ident(c.name));
  const values = synced.map((c) =>
    c.storage === 'json' ? `(x.${ident(c.name)} #>> '{}')::jsonb` : `x.${ident(c.name)}`,
  );
  const nonPk = synced.filter((c) => !c.primaryKey).map((c) => ident(c.name));
  const update = nonPk.length
    ? `DO UPDATE SET ${nonPk.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`
    : 'DO NOTHING';
  await tx.query(
    `INSERT INTO ${table} (${cols.join(', ')})
     SELECT ${values.join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json) AS x
     ON CONFLICT (${ident(e.primaryKey)}) ${update}`,
    [JSON.stringify(rows)],
  );
}

async function applyChange(
  tx: Queryable,
  e: LiveEntity,
  m: ShapeMessage,
  table: string,
): Promise<void> {
  const value = m.value ?? {};
  const pk = ident(e.primaryKey);
  if (m.headers.operation === 'delete') {
    await tx.query(`DELETE FROM ${table} WHERE ${pk} = $1`, [value[e.primaryKey]]);
    if (table === syncedTable(e)) await forgetIfGone(tx, e, value[e.primaryKey]);
    return;
  }
  const known = new Set(e.columns.filter((c) => c.synced && !c.primaryKey).map((c) => c.name));
  const cols = Object.keys(value).filter((k) => known.has(k));
  if (cols.length === 0) return;
  // Wire text as parameters: Postgres reads each with the column's type (JSON text for json).
  const sets = cols.map((c, i) => `${ident(c)} = $${i + 2}`).join(', ');
  await tx.query(`UPDATE ${table} SET ${sets} WHERE ${pk} = $1`, [
    value[e.primaryKey],
    ...cols.map((c) => value[c]),
  ]);
}

async function markSeen(
  tx: Queryable,
  e: LiveEntity,
  txids: string[],
  snapshot: PgSnapshot | null,
  reconcileNow: boolean,
): Promise<string[]> {
  const reconciled: string[] = [];
  if (snapshot) await storeSnapshot(tx, e.table, snapshot);
  if (snapshot && reconcileNow) {
    const sent = await tx.query<OutboxRecord>(
      `SELECT * FROM "_sync_outbox" WHERE "status" = 'sent' AND "table_name" = $1 ORDER BY "seq"`,
      [e.table],
    );
    for (const row of sent.rows)
      if (row.txid !== null && visibleIn(snapshot, row.txid)) {
        await reconcile(tx, e, row);
        reconciled.push(row.pk);
      }
  }
  if (txids.length === 0) return reconciled;
  await tx.query(
    `INSERT INTO "_sync_seen_txids" ("txid") SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
    [txids],
  );
  await tx.query(
    `DELETE FROM "_sync_seen_txids" WHERE "seq" <= (SELECT max("seq") - 10000 FROM "_sync_seen_txids")`,
  );
  if (!reconcileNow) return reconciled;
  const acked = await tx.query<OutboxRecord>(
    `SELECT o.* FROM "_sync_outbox" o JOIN "_sync_seen_txids" s ON s."txid" = o."txid"
     WHERE o."status" = 'sent' AND o."table_name" = $1 ORDER BY o."seq"`,
    [e.table],
  );
  for (const row of acked.rows) {
    await reconcile(tx, e, row);
    reconciled.push(row.pk);
  }
  return reconciled;
}

/** What `storeBatch` stores: one shape response of `entity`, and the position after it. */
export interface StoreBatchInput {
  entity: LiveEntity;
  messages: readonly ShapeMessage[];
  position: { handle: string | undefined; offset: string };
  /** Read the view rows of the changed keys back (a collection of this tab follows them). */
  readBack?: boolean;
}

/**
 * Applies one batch of messages; `position` is the stream's handle/offset after it. With the
 * shared database the whole transaction runs in the worker (`storeBatch`, procedure
 * `shape.apply`): the response crosses once, whatever its size, and the transaction holds
 * PGlite's lock only while its statements run there.
 */
export function applyBatch(
  db: SyncDb,
  e: LiveEntity,
  messages: readonly ShapeMessage[],
  position: { handle: string | undefined; offset: string },
  readBack = false,
): Promise<BatchResult> {
  return transact(db, 'shape.apply', { entity: e, messages, position, readBack }, storeBatch);
}

/** The transaction of `applyBatch`, on `tx`. */
export async function storeBatch(
  tx: Queryable,
  { entity: e, messages, position, readBack = false }: StoreBatchInput,
): Promise<BatchResult> {
  const result: BatchResult = { refetched: false, upToDate: false, changes: 0, keys: [] };
  const keys = new Set<string>();
  const txids: string[] = [];
  let snapshot: PgSnapshot | null = null;
  let inserts: Record<string, unknown>[] = [];
  let refetching = await isRefetching(tx, e.table);
  let swapped = false;
  const target = () => (refetching ? stagingTable(e) : syncedTable(e));
  const flush = async () => {
    if (inserts.length) await upsertAll(tx, e, inserts, target());
    inserts = [];
  };
  for (const m of messages) {
    const control = m.headers.control;
    if (control === 'must-refetch') {
      inserts = [];
      await startRefetch(tx, e);
      refetching = true;
      result.refetched = true;
      continue;
    }
    if (control === 'up-to-date') result.upToDate = true;
    if (control === 'snapshot-end') snapshot = snapshotOf(m.headers);
    if (m.key === undefined || m.value === undefined) continue;
    result.changes++;
    if (!refetching) keys.add(keyOf(e, m.value[e.primaryKey]));
    const ids = m.headers.txids;
    if (Array.isArray(ids)) txids.push(...ids.map(String));
    if (m.headers.operation === 'insert') inserts.push(m.value);
    else {
      await flush();
      await applyChange(tx, e, m, target());
    }
  }
  await flush();
  for (const pk of await markSeen(tx, e, txids, snapshot, !refetching)) keys.add(pk);
  if (refetching && result.upToDate) {
    await finishRefetch(tx, e);
    swapped = true;
  }
  // the view changes only when the snapshot is swapped in (then anything may have changed)
  result.keys = swapped ? null : [...keys];
  if (!result.refetched && position.handle !== undefined)
    await tx.query(
      `INSERT INTO "_sync_shapes" ("shape_key", "handle", "offset", "schema_hash", "updated_at")
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT ("shape_key") DO UPDATE SET
       "handle" = EXCLUDED."handle", "offset" = EXCLUDED."offset",
       "schema_hash" = EXCLUDED."schema_hash", "updated_at" = EXCLUDED."updated_at"`,
      [e.table, position.handle, position.offset, e.schemaHash, Date.now()],
    );
  // what a collection would re-read right after the commit, read here (one round trip fewer)
  const n = result.keys?.length ?? 0;
  if (readBack && result.keys !== null && n > 0 && n <= READ_BACK_LIMIT)
    result.rows = (await tx.query<Record<string, unknown>>(viewRowsSql(e), [result.keys])).rows;
  return result;
}
