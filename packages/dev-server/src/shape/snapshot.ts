/**
 * Initial snapshots (`offset=-1`), consistent with the change log.
 *
 * One REPEATABLE READ transaction reads the change-log position S (max seq) and the table's rows:
 * both come from the same MVCC snapshot, so the rows reflect exactly the changes with seq <= S
 * (writers are serialised by the change-log lock, so committed seqs form a prefix). The tail then
 * resumes at `seq > S`: nothing missed, nothing repeated.
 *
 * A snapshot larger than one chunk is kept in memory, pre-serialised, and served chunk by chunk
 * under offsets `(S-1)_k` (see offsets.ts). An evicted snapshot answers 409 (must-refetch), the
 * protocol's way to say "start again".
 */
import type { Database } from '../db/database.js';
import { ident } from '../schema/sql.js';
import { snapshotMessage } from './messages.js';
import type { ShapeRequest } from './request.js';
import type { TextRow } from './where.js';

export const CHUNK_ROWS = 1000;
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 32;

export interface Snapshot {
  seq: bigint;
  /** Each chunk is the JSON text of its change messages, without brackets (joined when served). */
  chunks: string[];
  /** pg_current_snapshot() of the snapshot transaction, for the snapshot-end control message. */
  xmin: string;
  xmax: string;
  xip: string[];
}

export async function takeSnapshot(db: Database, req: ShapeRequest): Promise<Snapshot> {
  const t = req.table;
  const { pos, rows } = await db.transaction(async (tx) => {
    const [p] = await tx.query<{ seq: string; xmin: string; xmax: string; xip: string[] | null }>(
      `SELECT (SELECT coalesce(max("seq"), 1)::text FROM "_sync_changes") AS seq,
              pg_snapshot_xmin(s)::xid::text AS xmin, pg_snapshot_xmax(s)::xid::text AS xmax,
              ARRAY(SELECT x::xid::text FROM pg_snapshot_xip(s) AS x) AS xip
         FROM pg_current_snapshot() AS s`,
    );
    const r = await tx.query<{ r: TextRow }>(
      `SELECT ${ident(t.rowFn)}(t) AS r FROM ${ident(t.table)} AS t ORDER BY t.${ident(t.pk.name)}`,
    );
    return { pos: p, rows: r };
  }, 'repeatable read');
  if (pos === undefined) throw new Error('snapshot: no change-log position');
  const chunks: string[] = [];
  let current: string[] = [];
  for (const { r } of rows) {
    if (req.predicate !== null && !req.predicate(r)) continue;
    current.push(JSON.stringify(snapshotMessage(req, r)));
    if (current.length === CHUNK_ROWS) {
      chunks.push(current.join(','));
      current = [];
    }
  }
  if (current.length > 0 || chunks.length === 0) chunks.push(current.join(','));
  return { seq: BigInt(pos.seq), chunks, xmin: pos.xmin, xmax: pos.xmax, xip: pos.xip ?? [] };
}

/** Multi-chunk snapshots by handle and position, evicted after 5 idle minutes or when 32 are held. */
export class SnapshotCache {
  private readonly entries = new Map<string, { snapshot: Snapshot; usedAt: number }>();

  put(handle: string, snapshot: Snapshot): void {
    this.entries.set(`${handle}|${snapshot.seq}`, { snapshot, usedAt: Date.now() });
    this.evict();
  }

  get(handle: string, seq: bigint): Snapshot | undefined {
    const e = this.entries.get(`${handle}|${seq}`);
    if (e === undefined) return undefined;
    e.usedAt = Date.now();
    return e.snapshot;
  }

  clear(): void {
    this.entries.clear();
  }

  private evict(): void {
    const now = Date.now();
    for (const [k, e] of this.entries) if (now - e.usedAt > CACHE_TTL_MS) this.entries.delete(k);
    while (this.entries.size > CACHE_MAX) {
      const oldest = [...this.entries].sort((a, b) => a[1].usedAt - b[1].usedAt)[0];
      if (oldest === undefined) break;
      this.entries.delete(oldest[0]);
    }
  }
}
