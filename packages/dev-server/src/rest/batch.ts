/**
 * The batch write operation (`x-sync-batch`, docs/backend-contract.md "Batch writes"): a list of
 * outbox writes `{write_id, table, op, key, payload}` applied in order, each exactly as the
 * entity's own create / update / delete request would be (same validation, permissions and
 * answer), each idempotent by its `write_id` (the Idempotency-Key of that request). The answer is
 * `{results: [{write_id, status, txid?, body?}]}`, one per write up to the first retryable one.
 *
 * The whole batch runs in one transaction (see {@link runBatchWrites}): a refused write (4xx) is
 * rolled back and the next one goes on; a failure that is not the client's (5xx) rolls back that
 * write, ends the batch there and commits the writes before it; the client retries from that
 * write. One transaction makes a batch of 100 writes cost about one commit; every write of it
 * shares the batch's txid (a replayed write keeps its original one).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue, Operation } from '@sync/core';
import {
  sqlState,
  type Database,
  type Isolation,
  type Queryable,
  type SqlParam,
} from '../db/database.js';
import type { Model, TableModel } from '../schema/model.js';
import { ident } from '../schema/sql.js';
import { own } from '../util/json.js';
import type { Reply } from './entity.js';
import { jsonToParam } from './values.js';
import { storedKeys, storeKeys, type KeyRecord, type NestedDatabase } from './write.js';

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

/** A statement of the batch failed: the transaction is aborted until a savepoint is rolled back to. */
class Tracked implements Queryable {
  aborted = false;
  constructor(private readonly tx: Queryable) {}

  async query<R extends object>(sql: string, params?: readonly SqlParam[]): Promise<R[]> {
    try {
      return await this.tx.query<R>(sql, params);
    } catch (error) {
      this.aborted = true;
      throw error;
    }
  }

  async rollbackTo(savepoint: string): Promise<void> {
    await this.tx.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    this.aborted = false;
  }
}

/** Thrown out of a batch's transaction (rolling it back): run it again, savepoints from write `at` on. */
class RunAgain extends Error {
  constructor(readonly at: number) {
    super(`batch write ${at} failed in the database`);
  }
}

/** SQLSTATE classes that mean the write's data, not the server, is at fault. */
const dataError = (error: unknown): boolean => {
  const state = sqlState(error) ?? '';
  return state === '23502' || state.startsWith('22');
};

/**
 * Applies `writes` in order in one transaction of `db`; `run` makes write `w` through the entity
 * handlers on the {@link NestedDatabase} it is given. Returns one result per write, up to and
 * including the first retryable one (5xx, 429).
 *
 * A refused write (4xx) is rolled back and the later ones go on; a row's writes after its refused
 * one are not applied (424). Idempotency keys are read once for the whole batch and the answers of
 * applied writes stored in one statement before the commit.
 *
 * Savepoints cost two statements per write, and a write refused before it touched the database
 * (validation, permissions, 404, a stale binding) needs none. So the batch first runs without
 * them; when a statement fails (the transaction is then aborted: a duplicate key, a constraint,
 * a storage failure) or a write throws, the whole transaction is rolled back and the batch runs
 * again, the writes before that one without savepoints and every write from it on in its own
 * savepoint. A batch costs one statement per write plus four (BEGIN, the keys, their answers,
 * COMMIT) and the txid, unless one of its writes fails in the database.
 */
export async function runBatchWrites(
  db: Database,
  writes: readonly BatchWrite[],
  run: (w: BatchWrite, q: NestedDatabase) => Promise<Reply>,
): Promise<BatchResult[]> {
  let safeFrom = writes.length;
  for (;;) {
    try {
      return await db.transaction((tx) => batchPass(db, new Tracked(tx), writes, run, safeFrom));
    } catch (error) {
      if (!(error instanceof RunAgain) || error.at >= safeFrom) throw error;
      safeFrom = error.at;
    }
  }
}

async function batchPass(
  db: Database,
  tx: Tracked,
  writes: readonly BatchWrite[],
  run: (w: BatchWrite, q: NestedDatabase) => Promise<Reply>,
  safeFrom: number,
): Promise<BatchResult[]> {
  const stored = await storedKeys(
    tx,
    writes.map((w) => w.write_id),
  );
  let txid: Promise<string> | null = null;
  const records: KeyRecord[] = [];
  let pending: KeyRecord[] = [];
  let threw = false;
  let savepoint = 0;
  const nestedDb = (safe: boolean): NestedDatabase => ({
    nested: {
      // the enclosing transaction's id: the same for every write of the batch (a savepoint
      // rolled back does not give it back), read once
      txid: () =>
        (txid ??= tx
          .query<{ txid: string }>(`SELECT pg_current_xact_id()::xid::text AS txid`)
          .then((r) => r[0]?.txid ?? '0')),
      stored: (key) => stored.get(key) ?? null,
      remember: (record) => pending.push(record),
    },
    kind: db.kind,
    query: (sql, params) => tx.query(sql, params),
    async transaction<T>(fn: (q: Queryable) => Promise<T>, _isolation?: Isolation): Promise<T> {
      if (!safe)
        try {
          return await fn(tx);
        } catch (error) {
          threw = true; // it may have written part of its change: only a savepoint undoes that
          throw error;
        }
      const name = `sync_write_${savepoint++}`;
      await tx.query(`SAVEPOINT ${name}`);
      try {
        const result = await fn(tx);
        await tx.query(`RELEASE SAVEPOINT ${name}`);
        return result;
      } catch (error) {
        await tx.rollbackTo(name);
        throw error;
      }
    },
    exec: () => Promise.reject(new Error('exec inside a batch transaction')),
    listen: (channel, onPayload) => db.listen(channel, onPayload),
    close: () => Promise.resolve(),
  });
  const fast = nestedDb(false);
  const safe = nestedDb(true);
  const results: BatchResult[] = [];
  // rows with a refused write in this batch: their later writes build on it (the outbox
  // would never have sent them one by one), so they are not applied either (424)
  const refused = new Set<string>();
  for (const [i, w] of writes.entries()) {
    const row = `${w.table}\u0000${String(w.key)}`;
    const isSafe = i >= safeFrom;
    pending = [];
    threw = false;
    if (isSafe) await tx.query(`SAVEPOINT sync_batch_write`);
    let reply: Reply;
    try {
      reply = refused.has(row)
        ? {
            status: 424,
            body: {
              error: 'failed_dependency',
              message: `not applied: an earlier write of ${w.table} ${String(w.key)} in this batch was refused`,
            },
          }
        : await run(w, isSafe ? safe : fast);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      reply = dataError(error)
        ? {
            status: 422,
            body: { error: 'validation_failed', message, fields: [{ field: '$', message }] },
          }
        : { status: 500, body: { error: 'internal_error', message } };
    }
    if (!isSafe && (tx.aborted || threw)) throw new RunAgain(i);
    if (isSafe) {
      if (tx.aborted) {
        // a statement outside the write's own savepoint failed: undo the whole write
        await tx.rollbackTo('sync_batch_write');
        pending = [];
        if (reply.status < 400)
          reply = {
            status: 500,
            body: { error: 'internal_error', message: 'the write failed in the database' },
          };
      } else await tx.query(`RELEASE SAVEPOINT sync_batch_write`);
    }
    records.push(...pending);
    const id = reply.headers?.['x-sync-txid'];
    results.push({
      write_id: w.write_id,
      status: reply.status,
      ...(id !== undefined ? { txid: id } : {}),
      ...(reply.body !== undefined ? { body: reply.body } : {}),
    });
    // the client retries from this write: nothing after it may be applied
    if (reply.status >= 500 || reply.status === 429) break;
    // a 404 delete is done (the row is gone either way); any other 4xx refuses the row
    if (reply.status >= 400 && !(reply.status === 404 && w.op === 'delete')) refused.add(row);
  }
  await storeKeys(tx, records);
  return results;
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
