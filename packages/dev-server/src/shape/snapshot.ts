/**
 * Initial snapshots (`offset=-1`), consistent with the change log, streamed chunk by chunk.
 *
 * One REPEATABLE READ transaction reads the change-log position S (max seq) and the table's rows:
 * both come from the same MVCC snapshot, so the rows reflect exactly the changes with seq <= S
 * (writers are serialised by the change-log lock, so committed seqs form a prefix). The tail then
 * resumes at `seq > S`: nothing missed, nothing repeated.
 *
 * The rows are read in primary-key order, 1,000 at a time (keyset pagination inside that one
 * transaction), and each chunk is published as soon as it is read: chunk 0 is answered while the
 * rest of the snapshot is still being read, and chunk k's request waits only for chunk k. A chunk
 * reads one row more than it serves, so it knows whether it is the last one (the last chunk ends
 * with snapshot-end and up-to-date, at `S_0`; the others point to `(S-1)_{k+1}`).
 *
 * Without a where clause or owner-only redaction, Postgres builds each chunk's message JSON
 * itself (one text value per chunk); otherwise rows come back as text rows and the predicate and
 * redaction run in JS (messages.ts), exactly as for the change log.
 *
 * A snapshot of more than one chunk is kept in memory under offsets `(S-1)_k` (see offsets.ts);
 * an evicted one answers 409 (must-refetch), the protocol's way to say "start again".
 */
import type { Database, Queryable } from '../db/database.js';
import { textExpr } from '../schema/ddl.js';
import { ident, literal } from '../schema/sql.js';
import { messageKey, snapshotMessage } from './messages.js';
import type { ShapeRequest } from './request.js';
import type { TextRow } from './where.js';

export const CHUNK_ROWS = 1000;
const CACHE_TTL_MS = 5 * 60_000;
const CACHE_MAX = 32;

export interface SnapshotChunk {
  /** The JSON text of the chunk's change messages, without brackets (joined when served). */
  text: string;
  /** True when this is the snapshot's last chunk. */
  last: boolean;
}

/** A snapshot being read (or read): chunks appear in order; `chunk(k)` waits for chunk k. */
export class Snapshot {
  private readonly chunks: SnapshotChunk[] = [];
  private failure: { error: unknown } | null = null;
  private waiters: (() => void)[] = [];
  /** Set when nobody will read further chunks (server closing): the reader stops early. */
  abandoned = false;

  constructor(
    readonly seq: bigint,
    /** pg_current_snapshot() of the snapshot transaction, for the snapshot-end control message. */
    readonly xmin: string,
    readonly xmax: string,
    readonly xip: string[],
  ) {}

  get complete(): boolean {
    return this.chunks[this.chunks.length - 1]?.last === true;
  }

  /** Whether chunk k has been read. */
  has(k: number): boolean {
    return this.chunks[k] !== undefined;
  }

  push(chunk: SnapshotChunk): void {
    this.chunks.push(chunk);
    this.wake();
  }

  fail(error: unknown): void {
    this.failure = { error };
    this.wake();
  }

  /** Chunk k, once read; undefined when the snapshot has no chunk k. Rejects if reading failed. */
  async chunk(k: number): Promise<SnapshotChunk | undefined> {
    for (;;) {
      const c = this.chunks[k];
      if (c !== undefined) return c;
      if (this.complete) return undefined;
      if (this.failure !== null) throw this.failure.error;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

/**
 * Starts a snapshot: resolves once its position is fixed (the rows are then read in the
 * background, inside the same transaction; `done` settles when that transaction has ended).
 */
export function takeSnapshot(
  db: Database,
  req: ShapeRequest,
): Promise<{ snapshot: Snapshot; done: Promise<void> }> {
  return new Promise((resolve, reject) => {
    let snapshot: Snapshot | undefined;
    const done = db
      .transaction(async (tx) => {
        const [p] = await tx.query<{
          seq: string;
          xmin: string;
          xmax: string;
          xip: string[] | null;
        }>(
          `SELECT (SELECT coalesce(max("seq"), 1)::text FROM "_sync_changes") AS seq,
                  pg_snapshot_xmin(s)::xid::text AS xmin, pg_snapshot_xmax(s)::xid::text AS xmax,
                  ARRAY(SELECT x::xid::text FROM pg_snapshot_xip(s) AS x) AS xip
             FROM pg_current_snapshot() AS s`,
        );
        if (p === undefined) throw new Error('snapshot: no change-log position');
        snapshot = new Snapshot(BigInt(p.seq), p.xmin, p.xmax, p.xip ?? []);
        resolve({ snapshot, done });
        await (simple(req) ? readInSql(tx, req, snapshot) : readInJs(tx, req, snapshot));
      }, 'repeatable read')
      .catch((error: unknown) => {
        if (snapshot === undefined) reject(error);
        else snapshot.fail(error);
      });
  });
}

/**
 * Lets the event loop run between two pages. PGlite runs a query in this thread and settles it
 * with promise callbacks only, so a reader that went from one page to the next never let a
 * request in: the answers to chunks 1, 2… (and every other request) waited until the whole
 * table was read (1.4 s for 100,000 rows in the initial-sync bench), and the client idled.
 */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** No where clause and nothing redacted: every row becomes the same message shape. */
function simple(req: ShapeRequest): boolean {
  return req.predicate === null && (req.redact === null || req.redacted.size === 0);
}

/** SQL of one page of the table in key order after `$1` (or from the start). */
function pageSql(req: ShapeRequest, select: string, first: boolean, limit: number): string {
  const t = req.table;
  const pk = `t.${ident(t.pk.name)}`;
  return `SELECT ${select} FROM ${ident(t.table)} AS t${first ? '' : ` WHERE ${pk} > $1::${t.pk.pgType}`}
    ORDER BY ${pk} LIMIT ${limit}`;
}

/** The message JSON of row `t`, built by Postgres (the same text values as the row function). */
function messageSql(req: ShapeRequest): string {
  const t = req.table;
  // Compact JSON in column order, like JSON.stringify of the message (messages.ts).
  const value = req.columns
    .map(
      (c, i) =>
        `${literal(`${i === 0 ? '{' : ','}${JSON.stringify(c.name)}:`)} || coalesce(to_json(${textExpr(c, 't')})::text, 'null')`,
    )
    .join(' || ');
  const head = JSON.stringify({ operation: 'insert', relation: ['public', t.table] });
  const keyPrefix = messageKey(t.table, '').slice(0, -1); // `"public"."t"/"`
  return `${literal(`{"headers":${head},"key":`)} || to_json(${literal(keyPrefix)} || replace(t.${ident(t.pk.name)}::text, '"', '""') || '"')::text || ',"value":' || ${value} || '}}'`;
}

async function readInSql(tx: Queryable, req: ShapeRequest, snap: Snapshot): Promise<void> {
  const select = `row_number() OVER (ORDER BY t.${ident(req.table.pk.name)}) AS n, t.${ident(req.table.pk.name)}::text AS k, ${messageSql(req)} AS m`;
  const agg = (
    first: boolean,
  ) => `SELECT coalesce(string_agg(p.m, ',' ORDER BY p.n) FILTER (WHERE p.n <= ${CHUNK_ROWS}), '') AS text,
      count(*)::int AS n, max(p.k) FILTER (WHERE p.n = ${CHUNK_ROWS}) AS last_key
    FROM (${pageSql(req, select, first, CHUNK_ROWS + 1)}) AS p`;
  let after: string | null = null;
  for (;;) {
    const [r]: ({ text: string; n: number; last_key: string | null } | undefined)[] =
      await tx.query<{ text: string; n: number; last_key: string | null }>(
        agg(after === null),
        after === null ? [] : [after],
      );
    const more = (r?.n ?? 0) > CHUNK_ROWS;
    snap.push({ text: r?.text ?? '', last: !more });
    if (!more) return;
    await nextTurn();
    if (snap.abandoned) return snap.fail(new Error('snapshot abandoned'));
    after = r?.last_key ?? null;
  }
}

async function readInJs(tx: Queryable, req: ShapeRequest, snap: Snapshot): Promise<void> {
  const t = req.table;
  const select = `${ident(t.rowFn)}(t) AS r, t.${ident(t.pk.name)}::text AS k`;
  let after: string | null = null;
  let current: string[] = [];
  let pending: string[] | null = null; // a full chunk, published once we know whether more follow
  for (;;) {
    const rows: { r: TextRow; k: string }[] = await tx.query<{ r: TextRow; k: string }>(
      pageSql(req, select, after === null, CHUNK_ROWS),
      after === null ? [] : [after],
    );
    for (const { r } of rows) {
      if (req.predicate !== null && !req.predicate(r)) continue;
      if (pending !== null) {
        snap.push({ text: pending.join(','), last: false });
        pending = null;
      }
      current.push(JSON.stringify(snapshotMessage(req, r)));
      if (current.length === CHUNK_ROWS) {
        pending = current;
        current = [];
      }
    }
    if (rows.length < CHUNK_ROWS) break;
    await nextTurn();
    if (snap.abandoned) return snap.fail(new Error('snapshot abandoned'));
    after = rows[rows.length - 1]?.k ?? null;
  }
  snap.push({ text: (pending ?? current).join(','), last: true });
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
