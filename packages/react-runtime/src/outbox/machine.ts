/**
 * The outbox state machine of sync-runtime-contract.md sections 2-4, as a pure in-memory model
 * (vector outbox.json). The PGlite worker stores the same state in `_sync_outbox` / `T_local` and
 * takes the same decisions; this model is the executable specification both are checked against.
 */
import { backoffMs, DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';

export type OutboxStatus = 'pending' | 'inflight' | 'sent' | 'failed';

export interface OutboxRow {
  seq: number;
  writeId: string;
  table: string;
  pk: string;
  op: 'insert' | 'update' | 'delete';
  confirmed: boolean;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: number;
  txid: string | null;
}

export interface OutboxModel {
  rows: OutboxRow[];
  /** `<table>/<pk>` → T_local._write_id. */
  local: Map<string, string>;
  seen: Set<string>;
  sent: string[];
  resolved: string[];
  rejected: { writeId: string; status: number | null }[];
  rolledBack: string[];
  lastError: { writeId: string; status: number } | null;
  /** Keys hidden until the shape confirms (`<table>/<pk>`, a 404 tombstone). */
  hidden: Set<string>;
  /** The last request got no HTTP answer: the next success elsewhere is a reconnect. */
  unreachable: boolean;
  policy: BackoffPolicy;
  nextSeq: number;
}

export const createOutboxModel = (policy: BackoffPolicy = DEFAULT_BACKOFF): OutboxModel => ({
  rows: [],
  local: new Map(),
  seen: new Set(),
  sent: [],
  resolved: [],
  rejected: [],
  rolledBack: [],
  lastError: null,
  hidden: new Set(),
  unreachable: false,
  policy,
  nextSeq: 1,
});

const keyOf = (r: Pick<OutboxRow, 'table' | 'pk'>) => `${r.table}/${r.pk}`;

/** A write through the view. Optimistic writes resolve now (the local transaction committed). */
export function enqueue(
  m: OutboxModel,
  w: Omit<OutboxRow, 'seq' | 'status' | 'attempts' | 'nextAttemptAt' | 'txid'>,
  now: number,
): void {
  m.rows.push({
    ...w,
    seq: m.nextSeq++,
    status: 'pending',
    attempts: 0,
    nextAttemptAt: now,
    txid: null,
  });
  m.local.set(keyOf(w), w.writeId);
  m.hidden.delete(keyOf(w));
  if (!w.confirmed) m.resolved.push(w.writeId);
}

/** Picks the head of the one outbox FIFO when nothing is in flight and it is due; returns it (or nothing). */
export function dispatch(m: OutboxModel, now: number): OutboxRow[] {
  // One FIFO over every table, one row in flight: the server sees writes in the order made.
  if (m.rows.some((r) => r.status === 'inflight')) return [];
  const head = m.rows.find((r) => r.status !== 'sent' && r.status !== 'failed');
  if (head?.status !== 'pending' || head.nextAttemptAt > now) return [];
  head.status = 'inflight';
  m.sent.push(head.writeId);
  return [head];
}

function remove(m: OutboxModel, row: OutboxRow): void {
  m.rows = m.rows.filter((r) => r !== row);
}

/** Deletes a reconciled row; the key's override goes when this was its latest write. */
export function reconcile(m: OutboxModel, row: OutboxRow): void {
  remove(m, row);
  if (m.local.get(keyOf(row)) === row.writeId) m.local.delete(keyOf(row));
}

/**
 * Rolls back a refused (kept as `failed`) or cancelled (deleted) row; the key falls back to its
 * latest remaining write that has not failed.
 */
export function rollback(m: OutboxModel, row: OutboxRow, failed = false): void {
  if (failed) row.status = 'failed';
  else remove(m, row);
  m.rolledBack.push(row.writeId);
  if (m.local.get(keyOf(row)) !== row.writeId) return;
  const remaining = m.rows.filter((r) => keyOf(r) === keyOf(row) && r.status !== 'failed');
  const latest = remaining[remaining.length - 1];
  if (latest) m.local.set(keyOf(row), latest.writeId);
  else m.local.delete(keyOf(row));
}

/** The txid of a 2xx: the `x-sync-txid` header, else a top-level body `txid`. */
export function txidOf(headers: Record<string, string>, body: unknown): string | null {
  const header = Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-sync-txid')?.[1];
  if (header) return header;
  const t =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>).txid : undefined;
  return typeof t === 'number' || typeof t === 'string' ? String(t) : null;
}

const find = (m: OutboxModel, writeId: string) => m.rows.find((r) => r.writeId === writeId);

/** 2xx: stores the txid; reconciles at once when it was already seen or there is none. */
export function acknowledge(m: OutboxModel, writeId: string, txid: string | null): void {
  const row = find(m, writeId);
  if (!row) return;
  answered(m);
  m.lastError = null;
  if (row.confirmed) m.resolved.push(writeId);
  if (txid === null || m.seen.has(txid)) return reconcile(m, row);
  Object.assign(row, { status: 'sent', txid });
}

/** The server answered (any HTTP status): it is reachable. */
function answered(m: OutboxModel): void {
  m.unreachable = false;
}

/**
 * 4xx: the write and every later write of the same key are rolled back and kept as `failed`.
 * 404 is special (the row is gone on the server): on a delete it is a success (the delete's
 * intent is met) and on an update the key is hidden until the shape confirms; either way the
 * key never shows its old synced value again in between.
 */
export function refuse(m: OutboxModel, writeId: string, status: number): void {
  const row = find(m, writeId);
  if (!row) return;
  answered(m);
  if (status === 404 && row.op === 'delete') {
    remove(m, row);
    if (row.confirmed) m.resolved.push(writeId);
    m.lastError = null;
    if (m.local.get(keyOf(row)) === row.writeId) {
      m.local.delete(keyOf(row));
      m.hidden.add(keyOf(row));
    }
    return;
  }
  m.lastError = { writeId, status };
  const doomed = m.rows.filter(
    (r) => keyOf(r) === keyOf(row) && r.seq >= row.seq && r.status !== 'failed',
  );
  for (const r of doomed) {
    rollback(m, r, true);
    if (r.confirmed) m.rejected.push({ writeId: r.writeId, status });
  }
  if (status === 404 && row.op === 'update') {
    m.local.delete(keyOf(row));
    m.hidden.add(keyOf(row));
  }
}

/** The shape delivered the delete of a hidden key: it is forgotten. */
export function shapeDeleted(m: OutboxModel, table: string, pk: string): void {
  m.hidden.delete(keyOf({ table, pk }));
}

/**
 * 5xx, 429 (`network` false: the server answered), network error or timeout (`network` true):
 * pending again after the backoff (or a longer Retry-After).
 */
export function retryLater(
  m: OutboxModel,
  writeId: string,
  now: number,
  random: number,
  retryAfterMs: number | null,
  network = false,
): void {
  const row = find(m, writeId);
  if (!row) return;
  m.unreachable = network;
  row.attempts += 1;
  const delay = backoffMs(row.attempts, random, m.policy);
  Object.assign(row, {
    status: 'pending',
    nextAttemptAt: now + Math.max(delay, retryAfterMs ?? 0),
  });
}

/** A shape batch carrying `txids` committed: reconcile every `sent` row they acknowledge. */
export function markSeen(m: OutboxModel, txids: readonly string[]): void {
  txids.forEach((t) => m.seen.add(t));
  for (const row of m.rows.filter(
    (r) => r.status === 'sent' && r.txid !== null && m.seen.has(r.txid),
  ))
    reconcile(m, row);
}

/** Online again (online event, app foreground, a probe answered): every pending row is due now. */
export function reconnect(m: OutboxModel, now: number): void {
  m.unreachable = false;
  for (const r of m.rows) if (r.status === 'pending') r.nextAttemptAt = now;
}

/**
 * Another channel succeeded (a shape response): a reconnect only when it is the first success
 * after a request got no answer; otherwise backoff and Retry-After stand.
 */
export function channelSucceeded(m: OutboxModel, now: number): void {
  if (m.unreachable) reconnect(m, now);
}

/** Another channel failed (a shape request got no answer). */
export function channelFailed(m: OutboxModel): void {
  m.unreachable = true;
}

/** The app discarded a failed write (errors API). */
export function discard(m: OutboxModel, writeId: string): void {
  const row = find(m, writeId);
  if (row?.status === 'failed') remove(m, row);
}

/** The caller gave up on a confirmed write that has not been sent successfully. */
export function cancel(m: OutboxModel, writeId: string): void {
  const row = find(m, writeId);
  if (!row || row.status === 'sent') return;
  rollback(m, row);
  if (row.confirmed) m.rejected.push({ writeId, status: null });
}
