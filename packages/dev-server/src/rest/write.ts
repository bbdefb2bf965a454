/**
 * The write path shared by create, update, replace and delete: one transaction that applies the
 * change, reads `pg_current_xact_id()::xid` (the txid the change log records for it) and stores
 * the Idempotency-Key with the response — so a retry replays the original status, body and txid
 * instead of applying twice. Two concurrent requests with one key collide on the key's primary
 * key; the loser replays the winner's result.
 */
import type { JsonValue } from '@sync/core';
import { sqlState, type Database, type Queryable, type SqlParam } from '../db/database.js';
import type { ColumnModel, TableModel } from '../schema/model.js';
import type { TextRow } from '../shape/where.js';

export interface WriteOutcome {
  status: number;
  body: JsonValue | undefined;
  /** False when nothing was written (404): no txid, no stored key. */
  applied: boolean;
}

export interface WriteResult extends WriteOutcome {
  txid: string | null;
  replayed: boolean;
}

export class IdempotencyMismatch extends Error {}

/** A unique-key violation on an entity table (e.g. a client-chosen primary key that exists). */
export class DuplicateKey extends Error {}

export interface StoredKey {
  method: string;
  path: string;
  status: number;
  body: string | null;
  txid: string;
}

/** A stored answer as the replay of `method path` (throws when the key was used for another). */
function replayOf(
  hit: StoredKey | null,
  key: string,
  method: string,
  path: string,
): WriteResult | null {
  if (hit === null) return null;
  if (hit.method !== method || hit.path !== path)
    throw new IdempotencyMismatch(
      `Idempotency-Key ${key} was already used for ${hit.method} ${hit.path}`,
    );
  const body = hit.body === null ? undefined : (JSON.parse(hit.body) as JsonValue);
  return { status: hit.status, body, applied: true, txid: hit.txid, replayed: true };
}

async function lookup(
  q: Queryable,
  key: string,
  method: string,
  path: string,
): Promise<WriteResult | null> {
  const [hit] = await q.query<StoredKey>(
    `SELECT "method", "path", "status", "body", "txid" FROM "_sync_idempotency" WHERE "key" = $1`,
    [key],
  );
  return replayOf(hit ?? null, key, method, path);
}

/** Every stored key of `keys` (one statement): what a batch's writes replay. */
export async function storedKeys(
  q: Queryable,
  keys: readonly string[],
): Promise<Map<string, StoredKey>> {
  if (keys.length === 0) return new Map();
  // one key (a write group of one): the plain lookup; more: `= ANY(ARRAY(…))`, an index scan
  // whatever the plan (`IN (SELECT jsonb_array_elements_text(…))` measured 5× slower on PGlite);
  // json, not jsonb: the list is read once, and parsing it into jsonb costs more than that
  const rows = await q.query<StoredKey & { key: string }>(
    `SELECT "key", "method", "path", "status", "body", "txid" FROM "_sync_idempotency"
     WHERE ${keys.length === 1 ? `"key" = $1` : `"key" = ANY(ARRAY(SELECT json_array_elements_text($1::json)))`}`,
    [keys.length === 1 ? keys[0]! : JSON.stringify(keys)],
  );
  return new Map(rows.map((r) => [r.key, r]));
}

/** An applied write's answer, stored under its Idempotency-Key. */
export interface KeyRecord extends StoredKey {
  key: string;
}

/**
 * Stores the answers of a batch's applied writes in one statement. A key another request stored
 * since the batch read them (a concurrent retry of the same write, on Postgres) means that write
 * was applied twice: throws, so the batch's transaction rolls back and the client's retry replays.
 *
 * A plain INSERT whose unique violation is that error (the batch's own keys are distinct: a
 * batch refuses a write_id sent twice, a write group never takes one key twice, a replay stores
 * nothing), not `ON CONFLICT DO NOTHING`, whose speculative insertion costs an index probe per
 * row; and the records as json, not jsonb (read once; parsing jsonb costs more).
 */
export async function storeKeys(q: Queryable, records: readonly KeyRecord[]): Promise<void> {
  if (records.length === 0) return;
  const one = records.length === 1 ? records[0]! : null;
  try {
    await q.query(
      one !== null
        ? `INSERT INTO "_sync_idempotency" ("key", "method", "path", "status", "body", "txid")
           VALUES ($1, $2, $3, $4::int4, $5, $6)`
        : `INSERT INTO "_sync_idempotency" ("key", "method", "path", "status", "body", "txid")
           SELECT "key", "method", "path", "status", "body", "txid"
             FROM json_to_recordset($1::json) AS x("key" text, "method" text, "path" text, "status" int4, "body" text, "txid" text)`,
      one !== null
        ? [one.key, one.method, one.path, String(one.status), one.body, one.txid]
        : [JSON.stringify(records)],
    );
  } catch (error) {
    if (sqlState(error) !== '23505') throw error;
    throw new Error(
      `an Idempotency-Key of this batch was stored by a concurrent request meanwhile; nothing of the batch was applied: retry it`,
      { cause: error },
    );
  }
}

/**
 * A database whose transactions belong to one enclosing transaction (a batch, rest/batch.ts):
 * the txid is that transaction's, read once; replays come from the keys read once for the whole
 * batch, and the answers of applied writes are stored together before the batch commits.
 */
export interface NestedDatabase extends Database {
  readonly nested: {
    txid(): Promise<string>;
    /** The answer stored under `key` before the batch began (null: none). */
    stored(key: string): StoredKey | null;
    /** Keeps an applied write's answer; the batch stores them all before it commits. */
    remember(record: KeyRecord): void;
    /**
     * When present, a create hands its INSERT over instead of running it: the batch stores the
     * consecutive creates of one table in one statement (rest/batch.ts) and resolves each with
     * its row (the row function's text values), in the order the writes came.
     */
    insert?: (insert: DeferredInsert) => Promise<TextRow>;
  };
}

/** A create's INSERT: `columns` (none: DEFAULT VALUES) set to `values` (text, cast to each column's type). */
export interface DeferredInsert {
  table: TableModel;
  columns: readonly ColumnModel[];
  values: readonly SqlParam[];
}

export const nestedOf = (db: Database): NestedDatabase['nested'] | null =>
  'nested' in db ? (db as NestedDatabase).nested : null;

/**
 * Runs one write: a replay when `key` was stored before, else `apply` in a transaction that
 * stores `key` with the answer. Statements (PGlite, a create with a key): BEGIN, the key's lookup,
 * the write, the key's insert (which reads the txid), COMMIT. `apply` may hand back the txid it
 * already read (`WriteOutcome.txid`) so it is not read twice.
 */
export async function runWrite(
  db: Database,
  key: string | null,
  method: string,
  path: string,
  apply: (tx: Queryable) => Promise<WriteOutcome & { txid?: string }>,
): Promise<WriteResult> {
  const nested = nestedOf(db);
  try {
    return await db.transaction(async (tx) => {
      if (key !== null) {
        const replay =
          nested !== null
            ? replayOf(nested.stored(key), key, method, path)
            : await lookup(tx, key, method, path);
        if (replay !== null) return replay;
      }
      const { txid: known, ...outcome } = await apply(tx);
      if (!outcome.applied) return { ...outcome, txid: null, replayed: false };
      const body = outcome.body === undefined ? null : JSON.stringify(outcome.body);
      let txid: string;
      if (nested !== null) {
        txid = known ?? (await nested.txid());
        if (key !== null)
          nested.remember({ key, method, path, status: outcome.status, body, txid });
      } else if (key !== null) {
        // the txid is read by the statement that stores the key
        const [stored] = await tx.query<{ txid: string }>(
          `INSERT INTO "_sync_idempotency" ("key", "method", "path", "status", "body", "txid")
           VALUES ($1, $2, $3, $4::int4, $5, coalesce($6, pg_current_xact_id()::xid::text)) RETURNING "txid"`,
          [key, method, path, String(outcome.status), body, known ?? null],
        );
        txid = stored?.txid ?? '0';
      } else
        txid =
          known ??
          (await tx.query<{ txid: string }>(`SELECT pg_current_xact_id()::xid::text AS txid`))[0]
            ?.txid ??
          '0';
      return { ...outcome, txid, replayed: false };
    });
  } catch (error) {
    if (sqlState(error) !== '23505') throw error;
    if (key !== null) {
      const replay = await lookup(db, key, method, path);
      if (replay !== null) return replay;
    }
    throw new DuplicateKey(error instanceof Error ? error.message : String(error));
  }
}
