/**
 * The pending and failed counts behind the sync status are kept by triggers on `_sync_outbox`
 * (`_sync_outbox_counts`), not recounted: they follow inserts, acknowledgements, refusals,
 * deletes and prunes, and an outbox made before the counts existed is counted once by `migrate`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './db/migrate.js';
import { openDb, type SyncDb } from './db/open.js';
import { crmSchema, emptyDump } from './testing/harness.js';

const counts = async (db: SyncDb) =>
  (
    await db.query<{ table_name: string; pending: number; failed: number }>(
      `SELECT "table_name", "pending", "failed" FROM "_sync_outbox_counts" ORDER BY 1`,
    )
  ).rows.filter((r) => r.pending !== 0 || r.failed !== 0);
const recount = async (db: SyncDb) =>
  (
    await db.query<{ table_name: string; pending: number; failed: number }>(
      `SELECT "table_name", count(*) FILTER (WHERE "status" <> 'failed')::int AS pending,
         count(*) FILTER (WHERE "status" = 'failed')::int AS failed
       FROM "_sync_outbox" GROUP BY 1 ORDER BY 1`,
    )
  ).rows;
const add = (db: SyncDb, table: string, writeId: string, status = 'pending') =>
  db.query(
    `INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "next_attempt_at", "created_at")
     VALUES ($1, $2, 'insert', $1, '{}', $3, 0, 0)`,
    [writeId, table, status],
  );

beforeAll(async () => {
  await Promise.all([emptyDump(), crmSchema()]);
}, 120_000);

describe('outbox counts', () => {
  it('follow every change of the outbox rows', async () => {
    const db = await openDb(undefined, await emptyDump());
    await migrate(db, await crmSchema());
    for (const id of ['a', 'b', 'c']) await add(db, 'contacts', id);
    await add(db, 'accounts', 'd');
    await add(db, 'accounts', 'e', 'failed');
    expect(await counts(db)).toEqual(await recount(db));
    await db.query(`UPDATE "_sync_outbox" SET "status" = 'sent' WHERE "write_id" IN ('a', 'b')`);
    await db.query(`UPDATE "_sync_outbox" SET "status" = 'failed' WHERE "write_id" = 'c'`);
    await db.query(`DELETE FROM "_sync_outbox" WHERE "write_id" IN ('a', 'e')`);
    await db.query(`UPDATE "_sync_outbox" SET "status" = 'pending' WHERE "write_id" = 'c'`);
    expect(await counts(db)).toEqual(await recount(db));
    expect(await counts(db)).toEqual([
      { table_name: 'accounts', pending: 1, failed: 0 },
      { table_name: 'contacts', pending: 2, failed: 0 },
    ]);
    // a rolled-back transaction leaves them as they were
    await db
      .transaction(async (tx) => {
        await tx.query(`DELETE FROM "_sync_outbox"`);
        throw new Error('rollback');
      })
      .catch(() => undefined);
    expect(await counts(db)).toEqual(await recount(db));
    await db.close();
  }, 60_000);

  it('are counted once for an outbox made before them', async () => {
    const db = await openDb(undefined, await emptyDump());
    await migrate(db, await crmSchema());
    await add(db, 'contacts', 'a');
    await add(db, 'contacts', 'b', 'failed');
    // as a database of the previous runtime version: no counts, no marker
    await db.exec(`DROP TABLE "_sync_outbox_counts" CASCADE; DROP FUNCTION "_sync_outbox_count" CASCADE;
      DELETE FROM "_sync_meta" WHERE "key" = 'outbox_counts';`);
    await migrate(db, await crmSchema());
    expect(await counts(db)).toEqual([{ table_name: 'contacts', pending: 1, failed: 1 }]);
    await add(db, 'contacts', 'c');
    expect(await counts(db)).toEqual([{ table_name: 'contacts', pending: 2, failed: 1 }]);
    await db.close();
  }, 60_000);
});
