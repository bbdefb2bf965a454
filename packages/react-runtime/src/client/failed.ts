/**
 * The errors API (contract §2): writes the server refused stay in `_sync_outbox` as `failed` with
 * the error, for 24 hours, so the app can show what was refused and why, and retry or discard each.
 */
import type { Queryable } from '../db/open.js';
import type { LiveSchema } from '../schema.js';
import type { Failure, OutboxRecord } from '../outbox/store.js';

/** One field error of a refused write, as the server worded it. */
export interface FieldError {
  /** The body field (`email`, `tags.1`), or '' when the server named none. */
  field: string;
  message: string;
}

export interface FailedWrite {
  writeId: string;
  /** The entity's name (`Contact`) and table (`contacts`). */
  entity: string;
  table: string;
  /** The row's primary key, as text. */
  key: string;
  op: 'insert' | 'update' | 'delete';
  /** The HTTP status (0 when the entity has no operation for the write). */
  status: number;
  message: string;
  /** Field errors found in the error body (dev server `fields`, FastAPI `detail`, `errors` maps). */
  fieldErrors: FieldError[];
  /** The local values that were refused (the synced columns the write sent; never local-only ones). */
  values: Record<string, unknown>;
  /** The parsed error body. */
  body: unknown;
  /** ms since epoch. */
  failedAt: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** `$.tags[1]` / `['body', 'tags', 1]` → `tags.1`. */
function fieldName(path: unknown): string {
  if (Array.isArray(path))
    return path
      .filter((p, i) => !(i === 0 && (p === 'body' || p === 'query' || p === 'path')))
      .map(String)
      .join('.');
  return typeof path === 'string'
    ? path
        .replace(/^\$\.?/, '')
        .replace(/\[(\d+)\]/g, '.$1')
        .replace(/^\./, '')
    : '';
}

/** Field errors in the common error body shapes; [] when there are none. */
export function fieldErrorsOf(body: unknown): FieldError[] {
  if (!isObject(body)) return [];
  const out: FieldError[] = [];
  for (const f of Array.isArray(body.fields) ? body.fields : [])
    if (isObject(f)) out.push({ field: fieldName(f.field), message: String(f.message ?? '') });
  for (const d of Array.isArray(body.detail) ? body.detail : [])
    if (isObject(d)) out.push({ field: fieldName(d.loc), message: String(d.msg ?? '') });
  if (isObject(body.errors))
    for (const [field, messages] of Object.entries(body.errors))
      for (const m of Array.isArray(messages) ? messages : [messages])
        out.push({ field, message: String(m) });
  return out;
}

export async function listFailed(db: Queryable, schema: LiveSchema): Promise<FailedWrite[]> {
  const r = await db.query<OutboxRecord & { error: string | null }>(
    `SELECT * FROM "_sync_outbox" WHERE "status" = 'failed' ORDER BY "seq"`,
  );
  return r.rows.map((row) => {
    const e = schema.entities.find((x) => x.table === row.table_name);
    let failure: Partial<Failure> = {};
    try {
      failure = JSON.parse(row.error ?? '{}') as Failure;
    } catch {
      failure = { message: row.error ?? '' };
    }
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    const pk = e?.primaryKey;
    const values = Object.fromEntries(Object.entries(payload).filter(([k]) => k !== pk));
    return {
      writeId: row.write_id,
      entity: e?.name ?? row.table_name,
      table: row.table_name,
      key: row.pk,
      op: row.op,
      status: failure.status ?? 0,
      message: failure.message ?? '',
      fieldErrors: fieldErrorsOf(failure.body),
      values,
      body: failure.body ?? null,
      failedAt: failure.failedAt ?? 0,
    };
  });
}
