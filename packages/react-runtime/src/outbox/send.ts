/**
 * One outbox row → one HTTP request (contract §2): the entity's create / update / delete
 * operation, path parameters filled from the payload (or the synced row), `Idempotency-Key` =
 * write id, bearer auth. The answer is classified for the worker: ok (with the txid from
 * `x-sync-txid`, else a body `txid`), refused (4xx, for good) or retry (5xx, 429, network).
 */
import { parseRetryAfter } from '../backoff.js';
import type { Queryable } from '../db/open.js';
import { ident, type LiveEntity, type LiveOperation } from '../schema.js';
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
  if (status >= 200 && status < 300) {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => (headers[key] = value));
    return { kind: 'ok', txid: txidOf(headers, parsed), body: parsed };
  }
  const message = `${op.method} ${op.path} failed with ${status}`;
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return { kind: 'retry', retryAfterMs, message, status };
  }
  return { kind: 'refused', error: new SyncApiError(status, parsed, message) };
}
