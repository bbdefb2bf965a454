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
 * shares the batch's txid (a replayed write keeps its original one), and its consecutive creates
 * of one table are stored by one INSERT. The same machinery runs the write groups of single
 * requests (rest/group.ts) as independent writes.
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
import type { TextRow } from '../shape/where.js';
import {
  storedKeys,
  storeKeys,
  type DeferredInsert,
  type KeyRecord,
  type NestedDatabase,
  type StoredKey,
} from './write.js';

/** Most writes one batch may carry (the runtimes send 100 by default). */
export const MAX_BATCH_WRITES = 1_000;

const OPS = ['insert', 'update', 'delete'] as const;
type WriteOp = (typeof OPS)[number];

/** What {@link runBatchWrites} needs to know of a write: its row and its Idempotency-Key. */
export interface WriteItem {
  /** The Idempotency-Key (null: none; a single request may have none). */
  write_id: string | null;
  table: string;
  op: WriteOp;
  /** The primary key value (null: the server makes it). */
  key: JsonValue;
}

export interface BatchWrite extends WriteItem {
  write_id: string;
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
  constructor(
    readonly at: number,
    options?: ErrorOptions,
  ) {
    super(`batch write ${at} failed in the database`, options);
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
 * Consecutive creates of one table are stored in one statement: each create runs through its
 * handler as usual (routing, validation, permissions, replay, the parent's check) up to its
 * INSERT, which it hands over ({@link NestedDatabase} `nested.insert`) instead of running; the
 * next write goes on, and the handed-over INSERTs are run together, in order, as
 * `INSERT … SELECT … FROM jsonb_array_elements($1) WITH ORDINALITY ORDER BY …` (one per run of
 * creates that set the same columns) before any other kind of write, a create of another table
 * or of a key already waiting, or the end of the batch. A create refused before its INSERT
 * (validation, permissions, a missing parent, a replay) is answered as usual and the run goes
 * on. `bulk(w)` says whether write `w` may wait so (not for a table nested under itself: its
 * parent check could read a row still waiting).
 *
 * Savepoints cost two statements per write, and a write refused before it touched the database
 * (validation, permissions, 404, a stale binding) needs none. So the batch first runs without
 * them; when a statement fails (the transaction is then aborted: a duplicate key, a constraint,
 * a storage failure; for a bulk INSERT, at its first write) or a write throws, the whole
 * transaction is rolled back and the batch runs again, the writes before that one as before and
 * every write from it on one by one in its own savepoint, so that each gets its own answer. A
 * batch of creates of one table costs three statements (the keys read, the INSERT, which also
 * reads the txid, and the keys stored) plus BEGIN and COMMIT, unless one of its writes fails in
 * the database.
 */
export async function runBatchWrites<W extends WriteItem>(
  db: Database,
  writes: readonly W[] | (() => readonly W[]),
  run: (w: W, q: NestedDatabase) => Promise<Reply>,
  options: BatchOptions<W> = {},
): Promise<Reply[]> {
  // a function: the writes are taken once the transaction has begun (rest/group.ts: the writes
  // that arrived while it waited for the database join it)
  let taken = typeof writes === 'function' ? null : writes;
  let safeFrom = Infinity;
  for (;;) {
    try {
      return await db.transaction((tx) => {
        taken ??= (writes as () => readonly W[])();
        return batchPass(db, new Tracked(tx), taken, run, safeFrom, options);
      });
    } catch (error) {
      if (!(error instanceof RunAgain) || error.at >= safeFrom) throw error;
      safeFrom = error.at;
    }
  }
}

export interface BatchOptions<W extends WriteItem> {
  /** Whether `w`'s create may wait to be stored with the next ones (default: yes). */
  bulk?: (w: W) => boolean;
  /**
   * The writes are independent requests (grouped single writes, rest/group.ts), not one
   * client's queue: a refused write does not refuse the later writes of its row (no 424).
   */
  independent?: boolean;
}

/** Rejects the INSERTs of writes whose batch pass is abandoned (their answers are never read). */
class Abandoned extends Error {
  constructor() {
    super('the batch pass was abandoned');
  }
}

/** One write of a batch pass. */
interface Slot<W extends WriteItem> {
  index: number;
  w: W;
  /** `table \0 key`: the row the write is about. */
  row: string;
  /** The answers it applied, to store under their keys. */
  pending: KeyRecord[];
  /** Its handler threw inside its transaction (it may have written part of its change). */
  threw: boolean;
  reply: Promise<Reply>;
  /** The INSERT it handed over and waits on; null: it ran to its answer. */
  parked: { insert: DeferredInsert; resolve(row: TextRow): void; reject(e: Error): void } | null;
}

const retryable = (r: Reply): boolean => r.status >= 500 || r.status === 429;

/** The answer of a write whose handler threw: 422 for a data error Postgres raised, else 500. */
function thrownReply(error: unknown): Reply {
  const message = error instanceof Error ? error.message : String(error);
  return dataError(error)
    ? {
        status: 422,
        body: { error: 'validation_failed', message, fields: [{ field: '$', message }] },
      }
    : { status: 500, body: { error: 'internal_error', message } };
}

/** What the writes of one batch pass share. */
interface PassState {
  db: Database;
  tx: Tracked;
  /** The answers stored under the batch's keys before it began. */
  stored: Map<string, StoredKey>;
  /** The enclosing transaction's txid, read once. */
  readTxid(): Promise<string>;
  /** Savepoints made so far (their names). */
  savepoint: number;
}

/**
 * `nested` of a write's {@link SlotDatabase}. Classes rather than closures: a batch makes one
 * per write, and a class instance costs one allocation (with tsx, as the benchmarks run the
 * server, every named closure also costs a `defineProperty` for its name).
 */
class SlotNested<W extends WriteItem> {
  constructor(
    protected readonly pass: PassState,
    protected readonly slot: Slot<W>,
  ) {}

  txid(): Promise<string> {
    return this.pass.readTxid();
  }

  stored(key: string): StoredKey | null {
    return this.pass.stored.get(key) ?? null;
  }

  remember(record: KeyRecord): void {
    this.slot.pending.push(record);
  }
}

/** A create that may wait: it hands its INSERT over ({@link NestedDatabase} `nested.insert`). */
class ParkingSlotNested<W extends WriteItem> extends SlotNested<W> {
  constructor(
    pass: PassState,
    slot: Slot<W>,
    private readonly park: () => void,
  ) {
    super(pass, slot);
  }

  insert(insert: DeferredInsert): Promise<TextRow> {
    return new Promise<TextRow>((resolve, reject) => {
      this.slot.parked = { insert, resolve, reject };
      this.park();
    });
  }
}

/**
 * The database a write of a batch runs on: the batch's transaction; the write's own
 * transactions are savepoints when the pass runs safely, else run inline (a failure then
 * reruns the batch, see {@link runBatchWrites}).
 */
class SlotDatabase<W extends WriteItem> implements NestedDatabase {
  readonly kind: Database['kind'];

  constructor(
    private readonly pass: PassState,
    private readonly slot: Slot<W>,
    private readonly safe: boolean,
    readonly nested: NestedDatabase['nested'],
  ) {
    this.kind = pass.db.kind;
  }

  query<R extends object>(sql: string, params?: readonly SqlParam[]): Promise<R[]> {
    return this.pass.tx.query<R>(sql, params);
  }

  async transaction<T>(fn: (q: Queryable) => Promise<T>, _isolation?: Isolation): Promise<T> {
    const tx = this.pass.tx;
    if (!this.safe)
      try {
        return await fn(tx);
      } catch (error) {
        this.slot.threw = true; // it may have written part of its change: only a savepoint undoes that
        throw error;
      }
    const name = `sync_write_${this.pass.savepoint++}`;
    await tx.query(`SAVEPOINT ${name}`);
    try {
      const result = await fn(tx);
      await tx.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await tx.rollbackTo(name);
      throw error;
    }
  }

  exec(): Promise<void> {
    return Promise.reject(new Error('exec inside a batch transaction'));
  }

  listen(channel: string, onPayload: (payload: string) => void): Promise<void> {
    return this.pass.db.listen(channel, onPayload);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function batchPass<W extends WriteItem>(
  db: Database,
  tx: Tracked,
  writes: readonly W[],
  run: (w: W, q: NestedDatabase) => Promise<Reply>,
  safeFrom: number,
  { bulk = () => true, independent = false }: BatchOptions<W>,
): Promise<Reply[]> {
  const stored = await storedKeys(
    tx,
    writes.flatMap((w) => (w.write_id === null ? [] : [w.write_id])),
  );
  // the enclosing transaction's id: the same for every write of the batch (a savepoint rolled
  // back does not give it back), read once (a bulk INSERT reads it too)
  let txid: Promise<string> | null = null;
  const pass: PassState = {
    db,
    tx,
    stored,
    readTxid: () =>
      (txid ??= tx
        .query<{ txid: string }>(`SELECT pg_current_xact_id()::xid::text AS txid`)
        .then((r) => r[0]?.txid ?? '0')),
    savepoint: 0,
  };
  const records: KeyRecord[] = [];
  const results: Reply[] = [];
  // rows with a refused write in this batch: their later writes build on it (the outbox
  // would never have sent them one by one), so they are not applied either (424)
  const refused = new Set<string>();
  // writes since the last flush, in order: creates waiting on their INSERT, and the writes
  // answered after the first of them (their results go after the waiting ones')
  let queue: Slot<W>[] = [];
  let waitingTable: string | null = null;
  const waitingKeys = new Set<string>();

  /** Records `reply` as the answer of `s`; true when it ends the batch (retryable). */
  const settle = (s: Slot<W>, reply: Reply): boolean => {
    records.push(...s.pending);
    results.push(reply);
    // the client retries from this write: nothing after it may be applied
    return retryable(reply);
  };
  // a 404 delete is done (the row is gone either way); any other 4xx refuses the row
  const refuses = (w: W, reply: Reply) =>
    !independent &&
    reply.status >= 400 &&
    !retryable(reply) &&
    !(reply.status === 404 && w.op === 'delete');

  const abandon = () => {
    for (const s of queue) s.parked?.reject(new Abandoned());
  };
  /** Runs the waiting INSERTs, then records the queued answers in order; true: the batch ends. */
  const flush = async (): Promise<boolean> => {
    const parked = queue.filter((s) => s.parked !== null);
    for (let i = 0; i < parked.length;) {
      const first = parked[i]!.parked!.insert;
      let j = i + 1;
      while (j < parked.length && sameColumns(first, parked[j]!.parked!.insert)) j++;
      const group = parked.slice(i, j);
      let stored: { rows: TextRow[]; txid: string };
      try {
        stored = await bulkInsert(
          tx,
          group.map((s) => s.parked!.insert),
        );
      } catch (error) {
        abandon();
        // a storage failure that is not the data's: the per-write rerun answers each
        throw new RunAgain(group[0]!.index, { cause: error });
      }
      txid ??= Promise.resolve(stored.txid);
      group.forEach((s, k) => s.parked!.resolve(stored.rows[k]!));
      i = j;
    }
    const drained = queue;
    queue = [];
    waitingTable = null;
    waitingKeys.clear();
    for (const s of drained) {
      const reply = await s.reply;
      // a create whose INSERT ran with the later ones' must have succeeded; else run it again
      // alone, in its savepoint (its answer and the undoing of its change are then its own)
      if (s.parked !== null && (reply.status >= 300 || s.threw || tx.aborted))
        throw new RunAgain(s.index);
      if (settle(s, reply)) return true;
    }
    return false;
  };

  for (const [i, w] of writes.entries()) {
    const row = `${w.table}\u0000${String(w.key)}`;
    const key = w.key === null ? null : String(w.key);
    const isSafe = i >= safeFrom;
    const mayWait =
      !isSafe &&
      w.op === 'insert' &&
      bulk(w) &&
      (waitingTable === null ||
        (waitingTable === w.table && (key === null || !waitingKeys.has(key))));
    if (!mayWait && waitingTable !== null && (await flush())) return finish();
    const slot: Slot<W> = {
      index: i,
      w,
      row,
      pending: [],
      threw: false,
      reply: null!,
      parked: null,
    };
    // a create that may wait hands its INSERT over and resolves `parks`
    let parks: Promise<'parked'> | null = null;
    let park: (() => void) | null = null;
    if (mayWait) {
      let parked: (value: 'parked') => void = () => undefined;
      parks = new Promise<'parked'>((resolve) => (parked = resolve));
      park = () => parked('parked');
    }
    if (isSafe) await tx.query(`SAVEPOINT sync_batch_write`);
    slot.reply = refused.has(row)
      ? Promise.resolve({
          status: 424,
          body: {
            error: 'failed_dependency',
            message: `not applied: an earlier write of ${w.table} ${String(w.key)} in this batch was refused`,
          },
        })
      : run(
          w,
          new SlotDatabase(
            pass,
            slot,
            isSafe,
            park !== null ? new ParkingSlotNested(pass, slot, park) : new SlotNested(pass, slot),
          ),
        ).catch(thrownReply);
    if (parks !== null && (await Promise.race([slot.reply, parks])) === 'parked') {
      queue.push(slot);
      waitingTable = w.table;
      if (key !== null) waitingKeys.add(key);
      continue;
    }
    let reply = await slot.reply;
    if (!isSafe && (tx.aborted || slot.threw)) {
      abandon();
      throw new RunAgain(i);
    }
    if (isSafe) {
      if (tx.aborted) {
        // a statement outside the write's own savepoint failed: undo the whole write
        await tx.rollbackTo('sync_batch_write');
        slot.pending = [];
        if (reply.status < 400)
          reply = {
            status: 500,
            body: { error: 'internal_error', message: 'the write failed in the database' },
          };
      } else await tx.query(`RELEASE SAVEPOINT sync_batch_write`);
    }
    if (refuses(w, reply)) refused.add(row);
    slot.reply = Promise.resolve(reply);
    if (waitingTable === null) {
      if (settle(slot, reply)) return finish();
    } else {
      queue.push(slot);
      if (retryable(reply)) {
        await flush();
        return finish();
      }
    }
  }
  if (waitingTable !== null) await flush();
  return finish();

  async function finish(): Promise<Reply[]> {
    await storeKeys(tx, records);
    return results;
  }
}

/** Whether two INSERTs set the same columns of the same table (one statement can store both). */
function sameColumns(a: DeferredInsert, b: DeferredInsert): boolean {
  return (
    a.table === b.table &&
    a.columns.length === b.columns.length &&
    a.columns.every((c, k) => c === b.columns[k])
  );
}

/**
 * Stores `inserts` (one table, the same columns) in one statement, in order, and returns their
 * rows in that order with the transaction's txid. Postgres feeds the INSERT the SELECT's rows in
 * its ORDER BY order and RETURNING yields them as they are inserted; the count is checked.
 */
async function bulkInsert(
  tx: Queryable,
  inserts: readonly DeferredInsert[],
): Promise<{ rows: TextRow[]; txid: string }> {
  const { table: t, columns } = inserts[0]!;
  const tbl = ident(t.table);
  const returning = `RETURNING ${ident(t.rowFn)}(${tbl}.*) AS r, pg_current_xact_id()::xid::text AS txid`;
  let out: { r: TextRow; txid: string }[] = [];
  if (columns.length === 0)
    for (const _ of inserts)
      out.push(
        ...(await tx.query<{ r: TextRow; txid: string }>(
          `INSERT INTO ${tbl} DEFAULT VALUES ${returning}`,
        )),
      );
  else if (inserts.length === 1)
    out = await tx.query(
      `INSERT INTO ${tbl} (${columns.map((c) => ident(c.name)).join(', ')}) VALUES (${columns.map((c, k) => `$${k + 1}::${c.pgType}`).join(', ')}) ${returning}`,
      inserts[0]!.values,
    );
  else
    out = await tx.query(
      `INSERT INTO ${tbl} (${columns.map((c) => ident(c.name)).join(', ')})
       SELECT ${columns.map((c, k) => `(x.e->>${k})::${c.pgType}`).join(', ')}
         FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS x(e, n) ORDER BY x.n ${returning}`,
      [JSON.stringify(inserts.map((i) => i.values))],
    );
  if (out.length !== inserts.length)
    throw new Error(
      `a bulk INSERT into ${t.table} returned ${out.length} rows for ${inserts.length}`,
    );
  return { rows: out.map((o) => o.r), txid: out[0]?.txid ?? '0' };
}

/** The IR's operations by name, per model (looked up for every write of every batch). */
const operationsByName = new WeakMap<Model, Map<string, Operation>>();

/** The operation of `t` a write goes through: create, update (else replace), delete. */
function operationOf(model: Model, t: TableModel, op: WriteOp): Operation | undefined {
  const names = t.entity.operations;
  const name =
    op === 'insert'
      ? names.create
      : op === 'update'
        ? (names.update ?? names.replace)
        : names.delete;
  if (name === undefined) return undefined;
  let byName = operationsByName.get(model);
  if (byName === undefined) {
    byName = new Map();
    // the first of a name, as `find` would
    for (const o of model.ir.operations) if (!byName.has(o.name)) byName.set(o.name, o);
    operationsByName.set(model, byName);
  }
  return byName.get(name);
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
  const t = model.tables.get(w.table);
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
