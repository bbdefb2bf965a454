/**
 * The write path shared by create, update, replace and delete: one transaction that applies the
 * change, reads `pg_current_xact_id()::xid` (the txid the change log records for it) and stores
 * the Idempotency-Key with the response — so a retry replays the original status, body and txid
 * instead of applying twice. Two concurrent requests with one key collide on the key's primary
 * key; the loser replays the winner's result.
 */
import type { JsonValue } from '@sync/core';
import { sqlState, type Database, type Queryable } from '../db/database.js';

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

interface StoredKey {
  method: string;
  path: string;
  status: number;
  body: string | null;
  txid: string;
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
  if (hit === undefined) return null;
  if (hit.method !== method || hit.path !== path)
    throw new IdempotencyMismatch(
      `Idempotency-Key ${key} was already used for ${hit.method} ${hit.path}`,
    );
  const body = hit.body === null ? undefined : (JSON.parse(hit.body) as JsonValue);
  return { status: hit.status, body, applied: true, txid: hit.txid, replayed: true };
}

/**
 * A database whose transactions are savepoints of one enclosing transaction (a batch,
 * rest/batch.ts): the txid is that transaction's, read once; a replay is looked up inside.
 */
export interface NestedDatabase extends Database {
  readonly nested: { txid(): Promise<string> };
}

const nestedOf = (db: Database) => ('nested' in db ? (db as NestedDatabase).nested : null);

export async function runWrite(
  db: Database,
  key: string | null,
  method: string,
  path: string,
  apply: (tx: Queryable) => Promise<WriteOutcome>,
): Promise<WriteResult> {
  const nested = nestedOf(db);
  if (key !== null && nested === null) {
    const replay = await lookup(db, key, method, path);
    if (replay !== null) return replay;
  }
  try {
    return await db.transaction(async (tx) => {
      if (key !== null) {
        const replay = await lookup(tx, key, method, path);
        if (replay !== null) return replay;
      }
      const outcome = await apply(tx);
      if (!outcome.applied) return { ...outcome, txid: null, replayed: false };
      const txid =
        nested !== null
          ? await nested.txid()
          : ((await tx.query<{ txid: string }>(`SELECT pg_current_xact_id()::xid::text AS txid`))[0]
              ?.txid ?? '0');
      if (key !== null) {
        await tx.query(
          `INSERT INTO "_sync_idempotency" ("key", "method", "path", "status", "body", "txid") VALUES ($1, $2, $3, $4::int4, $5, $6)`,
          [
            key,
            method,
            path,
            String(outcome.status),
            outcome.body === undefined ? null : JSON.stringify(outcome.body),
            txid,
          ],
        );
      }
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
