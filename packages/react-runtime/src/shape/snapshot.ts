/**
 * Writes that land inside a shape snapshot: snapshot rows carry no txids, so a write committed
 * before an `offset=-1` snapshot (after a must-refetch, a schema upgrade, or while the shape was
 * still loading) would never be "seen". The `snapshot-end` control message gives the snapshot's
 * `xmin`/`xmax`/`xip_list`; a txid visible in it is as good as seen. The last snapshot of each
 * table is kept in `_sync_meta` so that an acknowledgement arriving later is checked too.
 */
import type { Queryable } from '../db/open.js';

export interface PgSnapshot {
  xmin: string;
  xmax: string;
  xip_list: string[];
}

/** The `_sync_meta` key of `table`'s last snapshot. */
export const snapshotKey = (table: string) => `snapshot:${table}`;
const metaKey = snapshotKey;

/** Postgres visibility: committed before the snapshot. */
export function visibleIn(s: PgSnapshot, txid: string): boolean {
  let t: bigint;
  try {
    t = BigInt(txid);
  } catch {
    return false;
  }
  if (t < BigInt(s.xmin)) return true;
  return t < BigInt(s.xmax) && !s.xip_list.some((x) => BigInt(x) === t);
}

export function snapshotOf(headers: Record<string, unknown>): PgSnapshot | null {
  const { xmin, xmax, xip_list } = headers;
  if (typeof xmin !== 'string' && typeof xmin !== 'number') return null;
  if (typeof xmax !== 'string' && typeof xmax !== 'number') return null;
  const xip = Array.isArray(xip_list) ? xip_list.map(String) : [];
  return { xmin: String(xmin), xmax: String(xmax), xip_list: xip };
}

export async function storeSnapshot(tx: Queryable, table: string, s: PgSnapshot): Promise<void> {
  await tx.query(
    `INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, $2)
     ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
    [metaKey(table), JSON.stringify(s)],
  );
}

export async function lastSnapshot(tx: Queryable, table: string): Promise<PgSnapshot | null> {
  const r = await tx.query<{ value: string }>(`SELECT "value" FROM "_sync_meta" WHERE "key" = $1`, [
    metaKey(table),
  ]);
  const v = r.rows[0]?.value;
  return v ? (JSON.parse(v) as PgSnapshot) : null;
}

export const refetchKey = (table: string) => `refetch:${table}`;

/** A must-refetch's snapshot is being filled into the staging table (not yet swapped in). */
export async function isRefetching(tx: Queryable, table: string): Promise<boolean> {
  const r = await tx.query(`SELECT 1 FROM "_sync_meta" WHERE "key" = $1`, [refetchKey(table)]);
  return r.rows.length > 0;
}
