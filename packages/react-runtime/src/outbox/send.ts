/**
 * One outbox row → one HTTP request (contract §2): the entity's create / update / delete
 * operation, path parameters filled from the payload (or the synced row), `Idempotency-Key` =
 * write id, bearer auth. The answer is classified for the worker: ok (with the txid from
 * `x-sync-txid`, else a body `txid`), refused (4xx, for good) or retry (5xx, 429, network).
 */
import { parseRetryAfter } from '../backoff.js';
import type { Queryable } from '../db/open.js';
import {
  entityOf,
  ident,
  type LiveEntity,
  type LiveOperation,
  type LiveSchema,
} from '../schema.js';
import { txidOf } from './machine.js';
import type { OutboxRecord } from './store.js';

/** A refused write: the API's status and parsed error body (the mutation rejects with it). */
export class SyncApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type SendResult =
  | { kind: 'ok'; txid: string | null; body: unknown }
  | { kind: 'refused'; error: SyncApiError }
  | {
      kind: 'retry';
      retryAfterMs: number | null;
      message: string;
      status?: number;
      /** No HTTP answer at all (network error or timeout): the server may be unreachable. */
      network?: boolean;
    };

export interface SendContext {
  apiBaseUrl: string;
  fetch: typeof fetch;
  authToken: () => Promise<string | null | undefined>;
  db: Queryable;
  /** A request (headers and body) not answered within this many ms is abandoned and retried. */
  timeoutMs: number;
}

/** Contract §2: every write request times out (then it is retried with the same key). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

const OP_ROLE = { insert: 'create', update: 'update', delete: 'delete' } as const;

async function syncedRow(ctx: SendContext, e: LiveEntity, pk: string) {
  const r = await ctx.db.query<Record<string, unknown>>(
    `SELECT * FROM ${ident(`${e.table}_synced`)} WHERE ${ident(e.primaryKey)} = $1`,
    [pk],
  );
  return r.rows[0] ?? {};
}

async function requestOf(ctx: SendContext, e: LiveEntity, op: LiveOperation, row: OutboxRecord) {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  let current: Record<string, unknown> | null = null;
  const valueOf = async (column: string) => {
    if (payload[column] !== undefined && payload[column] !== null) return payload[column];
    current ??= await syncedRow(ctx, e, row.pk);
    return current[column];
  };
  let path = op.path;
  // Bound parameters (IR Entity.bindings): the write's value, else the row it is based on.
  const query = new URLSearchParams();
  const headers: Record<string, string> = {};
  for (const p of op.params) {
    const value = await valueOf(p.column);
    if (p.in === 'query' || p.in === 'header') {
      if (value === undefined || value === null) continue;
      const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
      if (p.in === 'query') query.append(p.name, text);
      else headers[p.name] = text;
    } else path = path.replace(`{${p.name}}`, encodeURIComponent(String(value)));
  }
  const search = query.toString();
  if (search !== '') path += `${path.includes('?') ? '&' : '?'}${search}`;
  let body: Record<string, unknown> | null = row.op === 'delete' ? null : payload;
  if (op.method === 'PUT') {
    const full = await syncedRow(ctx, e, row.pk);
    const synced = e.columns.filter((c) => c.synced).map((c) => c.name);
    body = Object.fromEntries(synced.map((c) => [c, payload[c] ?? full[c] ?? null]));
  }
  return { path, body, headers };
}

/** An answer's status → the worker's decision (2xx ok, 429/5xx retry, other 4xx refused). */
function classify(
  status: number,
  parsed: unknown,
  txid: string | null,
  what: string,
  retryAfterMs: number | null,
): SendResult {
  if (status >= 200 && status < 300) return { kind: 'ok', txid, body: parsed };
  const message = `${what} failed with ${status}`;
  if (status === 429 || status >= 500) return { kind: 'retry', retryAfterMs, message, status };
  return { kind: 'refused', error: new SyncApiError(status, parsed, message) };
}

/** What a batch request came back with (docs/backend-contract.md, "Batch writes"). */
export type BatchAnswer =
  /** One result per write, in order, up to the first retryable one (maybe fewer than sent). */
  | { kind: 'results'; results: SendResult[] }
  /** No usable answer (network, timeout, 5xx, 429, malformed): the whole batch is retried. */
  | { kind: 'retry'; result: Extract<SendResult, { kind: 'retry' }> }
  /** 413: the batch is too large; send fewer writes at once. */
  | { kind: 'too-large' }
  /** Any other 4xx for the batch as a whole (no batch route, auth…): send the writes one by one. */
  | { kind: 'refused'; status: number; message: string };

/**
 * Sends `rows` (consecutive due outbox rows, in seq order) as one batch request: each write is
 * `{write_id, table, op, key, payload}` with the body its single request would carry.
 */
export async function sendBatch(
  ctx: SendContext,
  schema: LiveSchema,
  batch: { path: string },
  rows: readonly OutboxRecord[],
): Promise<BatchAnswer> {
  const what = `POST ${batch.path}`;
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no answer within ${ctx.timeoutMs} ms`)),
    ctx.timeoutMs,
  );
  let response: Response;
  let text: string;
  try {
    const writes = [];
    for (const row of rows) {
      const e = entityOf(schema, row.table_name);
      const op = e.operations[OP_ROLE[row.op]];
      const payload = op ? (await requestOf(ctx, e, op, row)).body : JSON.parse(row.payload);
      writes.push({
        write_id: row.write_id,
        table: row.table_name,
        op: row.op,
        key: row.pk,
        payload: row.op === 'delete' ? null : payload,
      });
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const token = await ctx.authToken();
    if (token) headers.authorization = `Bearer ${token}`;
    response = await ctx.fetch(`${ctx.apiBaseUrl.replace(/\/+$/, '')}${batch.path}`, {
      method: 'POST',
      headers,
      signal: abort.signal,
      body: JSON.stringify(writes),
    });
    text = await response.text();
  } catch (error) {
    const message = abort.signal.aborted
      ? `${what} timed out (${String(abort.signal.reason)})`
      : String(error);
    return { kind: 'retry', result: { kind: 'retry', retryAfterMs: null, message, network: true } };
  } finally {
    clearTimeout(timer);
  }
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // a non-JSON body stays text
  }
  return batchAnswer(rows, response.status, parsed, response.headers.get('retry-after'), {
    now: Date.now(),
    what,
    describe: (row) => {
      const op = entityOf(schema, row.table_name).operations[OP_ROLE[row.op]];
      return op ? `${op.method} ${op.path}` : what;
    },
  });
}

/**
 * Classifies the answer to a batch request (pure; vector batch.json): `results` for a 200 with
 * one well-formed result per write, in order (stopping after the first retryable one), `retry`
 * for 5xx / 429 / a malformed 200, `too-large` for 413, `refused` for any other status.
 */
export function batchAnswer(
  rows: readonly Pick<OutboxRecord, 'write_id' | 'table_name' | 'op'>[],
  status: number,
  parsed: unknown,
  retryAfter: string | null,
  how: {
    now: number;
    what: string;
    describe: (row: Pick<OutboxRecord, 'table_name' | 'op'>) => string;
  },
): BatchAnswer {
  const { what } = how;
  if (status === 413) return { kind: 'too-large' };
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, how.now);
    return {
      kind: 'retry',
      result: { kind: 'retry', retryAfterMs, message: `${what} failed with ${status}`, status },
    };
  }
  if (status !== 200) return { kind: 'refused', status, message: `${what} failed with ${status}` };
  const list = (parsed as { results?: unknown } | null)?.results;
  const malformed = (why: string): BatchAnswer => ({
    kind: 'retry',
    result: { kind: 'retry', retryAfterMs: null, message: `${what} answered ${why}`, status },
  });
  if (!Array.isArray(list)) return malformed('without a results list');
  if (list.length === 0 || list.length > rows.length)
    return malformed(`${list.length} results for ${rows.length} writes`);
  const results: SendResult[] = [];
  for (const [i, r] of list.entries()) {
    const row = rows[i]!;
    const x = r as { write_id?: unknown; status?: unknown; txid?: unknown; body?: unknown };
    if (
      x === null ||
      typeof x !== 'object' ||
      x.write_id !== row.write_id ||
      typeof x.status !== 'number'
    )
      return malformed(`result ${i} that is not {write_id: ${row.write_id}, status}`);
    const txid =
      typeof x.txid === 'string' || typeof x.txid === 'number'
        ? String(x.txid)
        : txidOf({}, x.body);
    const result = classify(x.status, x.body ?? null, txid, how.describe(row), null);
    results.push(result);
    if (result.kind === 'retry') break; // the server applied nothing after it
  }
  return { kind: 'results', results };
}

/** Sends one outbox row and classifies the answer. */
export async function sendRow(
  ctx: SendContext,
  e: LiveEntity,
  row: OutboxRecord,
): Promise<SendResult> {
  const op = e.operations[OP_ROLE[row.op]];
  if (!op)
    return {
      kind: 'refused',
      error: new SyncApiError(0, null, `${e.name} has no ${OP_ROLE[row.op]} operation`),
    };
  let response: Response;
  let text: string;
  const abort = new AbortController();
  const timer = setTimeout(
    () => abort.abort(new Error(`no answer within ${ctx.timeoutMs} ms`)),
    ctx.timeoutMs,
  );
  try {
    const { path, body, headers: bound } = await requestOf(ctx, e, op, row);
    const headers: Record<string, string> = { ...bound, 'idempotency-key': row.write_id };
    if (body !== null) headers['content-type'] = 'application/json';
    const token = await ctx.authToken();
    if (token) headers.authorization = `Bearer ${token}`;
    response = await ctx.fetch(`${ctx.apiBaseUrl.replace(/\/+$/, '')}${path}`, {
      method: op.method,
      headers,
      signal: abort.signal,
      ...(body !== null ? { body: JSON.stringify(body) } : {}),
    });
    text = await response.text();
  } catch (error) {
    const message = abort.signal.aborted
      ? `${op.method} ${op.path} timed out (${String(abort.signal.reason)})`
      : String(error);
    return { kind: 'retry', retryAfterMs: null, message, network: true };
  } finally {
    clearTimeout(timer);
  }
  let parsed: unknown = text;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    // a non-JSON body stays text
  }
  const status = response.status;
  // the one header a success needs (Headers.get ignores case, as txidOf does)
  const header = status >= 200 && status < 300 ? response.headers.get('x-sync-txid') : null;
  const headers: Record<string, string> = header !== null ? { 'x-sync-txid': header } : {};
  const retryAfterMs =
    status === 429 || status >= 500
      ? parseRetryAfter(response.headers.get('retry-after'), Date.now())
      : null;
  return classify(status, parsed, txidOf(headers, parsed), `${op.method} ${op.path}`, retryAfterMs);
}
