/**
 * The batch write operation (`x-sync-batch`, docs/backend-contract.md "Batch writes"): a list of
 * outbox writes `{write_id, table, op, key, payload}` applied in order, each exactly as the
 * entity's own create / update / delete request would be (same validation, permissions and
 * answer), each idempotent by its `write_id` (the Idempotency-Key of that request). The answer is
 * `{results: [{write_id, status, txid?, body?}]}`, one per write up to the first retryable one.
 *
 * The whole batch runs in one transaction, each write in its own savepoint: a refused write (4xx)
 * is rolled back to its savepoint and the next one goes on; a failure that is not the client's
 * (5xx) rolls back its savepoint, ends the batch there and commits the writes before it; the
 * client retries from that write. One transaction makes a batch of 100 writes cost about one
 * commit; every write of it shares the batch's txid (a replayed write keeps its original one).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue, Operation } from '@sync/core';
import type { Database, Isolation, Queryable } from '../db/database.js';
import type { Model, TableModel } from '../schema/model.js';
import { ident } from '../schema/sql.js';
import { own } from '../util/json.js';
import type { Reply } from './entity.js';
import { jsonToParam } from './values.js';
import type { NestedDatabase } from './write.js';

/** Most writes one batch may carry (the runtimes send 100 by default). */
export const MAX_BATCH_WRITES = 1_000;

const OPS = ['insert', 'update', 'delete'] as const;
type WriteOp = (typeof OPS)[number];

export interface BatchWrite {
  write_id: string;
  table: string;
  op: WriteOp;
  key: JsonValue;
  payload: Record<string, JsonValue> | null;
}

export interface BatchResult {
  write_id: string;
  status: number;
  txid?: string;
  body?: JsonValue;
}

/** One write as the entity request it stands for. */
export interface SubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: JsonValue | undefined;
}

const bad = (message: string, fields: { field: string; message: string }[]): Reply => ({
  status: 400,
  body: { error: 'bad_request', message, fields },
});

/** Checks the body: a list of well-formed writes. Returns the writes or the 400/413 reply. */
export function parseBatch(body: JsonValue | undefined): BatchWrite[] | Reply {
  if (!Array.isArray(body))
    return bad('the batch body is a JSON array of writes {write_id, table, op, key, payload}', [
      { field: '$', message: 'must be an array' },
    ]);
  if (body.length > MAX_BATCH_WRITES)
    return {
      status: 413,
      body: {
        error: 'payload_too_large',
        message: `a batch carries at most ${MAX_BATCH_WRITES} writes; this one has ${body.length}: send fewer at once`,
      },
    };
  const problems: { field: string; message: string }[] = [];
  const writes: BatchWrite[] = [];
  const ids = new Set<string>();
  body.forEach((w, i) => {
    const at = `$[${i}]`;
    if (typeof w !== 'object' || w === null || Array.isArray(w)) {
      problems.push({
        field: at,
        message: 'must be an object {write_id, table, op, key, payload}',
      });
      return;
    }
    const writeId = own(w, 'write_id');
    const table = own(w, 'table');
    const op = own(w, 'op');
    const key = own(w, 'key');
    const payload = own(w, 'payload');
    if (typeof writeId !== 'string' || writeId === '' || writeId.length > 255)
      problems.push({
        field: `${at}.write_id`,
        message: 'must be a non-empty string of at most 255 characters',
      });
    else if (ids.has(writeId))
      problems.push({
        field: `${at}.write_id`,
        message: `appears twice in this batch (${writeId})`,
      });
    else ids.add(writeId);
    if (typeof table !== 'string')
      problems.push({ field: `${at}.table`, message: 'must be a string' });
    if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op))
      problems.push({ field: `${at}.op`, message: 'must be one of insert, update, delete' });
    if (op !== 'insert' && (key === undefined || key === null || typeof key === 'object'))
      problems.push({
        field: `${at}.key`,
        message: 'must be the primary key value (a string or a number)',
      });
    if (
      payload !== undefined &&
      payload !== null &&
      (typeof payload !== 'object' || Array.isArray(payload))
    )
      problems.push({
        field: `${at}.payload`,
        message: 'must be an object (the request body of the write) or null',
      });
    if (op !== 'delete' && (payload === undefined || payload === null))
      problems.push({ field: `${at}.payload`, message: `is required for ${String(op)}` });
    writes.push({
      write_id: String(writeId),
      table: String(table),
      op: op as WriteOp,
      key: key ?? null,
      payload: (payload ?? null) as Record<string, JsonValue> | null,
    });
  });
  if (problems.length > 0)
    return bad(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the batch; nothing was written: ${problems
        .slice(0, 5)
        .map((p) => `${p.field} ${p.message}`)
        .join('; ')}`,
      problems,
    );
  return writes;
}

/**
 * A {@link Database} whose transactions are savepoints of `tx`: the entity handlers' one
 * transaction per write becomes one savepoint per write of the batch's transaction.
 */
export function savepoints(db: Database, tx: Queryable): NestedDatabase {
  let n = 0;
  let txid: Promise<string> | null = null;
  return {
    nested: {
      // the enclosing transaction's id: the same for every write of the batch (a savepoint
      // rolled back does not give it back), read once
      txid: () =>
        (txid ??= tx
          .query<{ txid: string }>(`SELECT pg_current_xact_id()::xid::text AS txid`)
          .then((r) => r[0]?.txid ?? '0')),
    },
    kind: db.kind,
    query: (sql, params) => tx.query(sql, params),
    async transaction<T>(fn: (q: Queryable) => Promise<T>, _isolation?: Isolation): Promise<T> {
      const name = `sync_write_${n++}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw error;
      }
    },
    exec: () => Promise.reject(new Error('exec inside a batch transaction')),
    listen: (channel, onPayload) => db.listen(channel, onPayload),
    close: () => Promise.resolve(),
  };
}

/** The operation of `t` a write goes through: create, update (else replace), delete. */
function operationOf(model: Model, t: TableModel, op: WriteOp): Operation | undefined {
  const names = t.entity.operations;
  const name =
    op === 'insert'
      ? names.create
      : op === 'update'
        ? (names.update ?? names.replace)
        : names.delete;
  return name === undefined ? undefined : model.ir.operations.find((o) => o.name === name);
}

/**
 * The entity request a write stands for: the operation's path with the item parameter from
 * `key` and the parent parameter from the payload (else the stored row), the payload as body,
 * `write_id` as Idempotency-Key and the batch request's other headers (auth).
 */
export async function subRequest(
  model: Model,
  q: Queryable,
  w: BatchWrite,
  headers: IncomingHttpHeaders,
): Promise<SubRequest | Reply> {
  const t = [...model.byEntity.values()].find((x) => x.table === w.table);
  if (t === undefined)
    return {
      status: 422,
      body: {
        error: 'validation_failed',
        message: `no live entity has the table "${w.table}"`,
        fields: [
          {
            field: '$.table',
            message: `unknown table (known: ${[...model.byEntity.values()].map((x) => x.table).join(', ')})`,
          },
        ],
      },
    };
  const op = operationOf(model, t, w.op);
  if (op === undefined)
    return {
      status: 405,
      body: {
        error: 'method_not_allowed',
        message: `${t.entity.name} has no ${w.op === 'insert' ? 'create' : w.op} operation`,
      },
    };
  const parent = t.entity.parent;
  let stored: Record<string, JsonValue> | null | undefined;
  const fromRow = async (field: string): Promise<JsonValue | undefined> => {
    if (stored === undefined) {
      const rows = await q.query<{ r: Record<string, JsonValue> }>(
        `SELECT to_jsonb(x) AS r FROM ${ident(t.table)} x WHERE ${ident(t.pk.name)} = $1::${t.pk.pgType}`,
        [jsonToParam(t.pk, w.key)],
      );
      stored = rows[0]?.r ?? null;
    }
    return stored === null ? undefined : own(stored, field);
  };
  let path = op.path;
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    let value: JsonValue | undefined;
    if (parent !== null && p.wireName === parent.param) {
      const field = parent.field;
      value = field === null ? undefined : (w.payload?.[field] ?? (await fromRow(field)));
    } else value = w.key;
    path = path.replace(
      `{${p.wireName}}`,
      encodeURIComponent(value === undefined || value === null ? '' : String(value)),
    );
  }
  return {
    method: op.method.toUpperCase(),
    path,
    query: new URLSearchParams(),
    headers: {
      ...headers,
      'idempotency-key': w.write_id,
      'content-type': 'application/json',
    },
    body: w.op === 'delete' ? undefined : (w.payload ?? undefined),
  };
}
