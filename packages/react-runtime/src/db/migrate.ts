/**
 * Applies the runtime's shared tables and the generated per-entity schema (contract §1), and
 * upgrades the latter (§6). Per entity, the stored
 * `schema_hash:<table>` in `_sync_meta` decides: equal → nothing to do; different → drop and
 * recreate `T_synced` and the view, forget the shape's handle/offset (a full resync follows),
 * rebuild `T_local` keeping the columns that still exist, and keep every outbox row.
 */
import { ident, type LiveEntity, type LiveSchema } from '../schema.js';
import { SHARED_SCHEMA_SQL } from './shared-schema.js';
import type { Queryable, SyncDb } from './open.js';

const metaKey = (table: string) => `schema_hash:${table}`;

async function columnsOf(tx: Queryable, table: string): Promise<string[]> {
  const r = await tx.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
    [table],
  );
  return r.rows.map((x) => x.column_name);
}

async function upgrade(tx: Queryable, e: LiveEntity, hadHash: boolean): Promise<void> {
  const local = `${e.table}_local`;
  const old = `${e.table}_local_upgrade`;
  await tx.exec(`DROP VIEW IF EXISTS ${ident(e.table)} CASCADE;`);
  const oldCols = hadHash ? await columnsOf(tx, local) : [];
  if (hadHash) {
    await tx.exec(`DROP TABLE IF EXISTS ${ident(`${e.table}_synced`)};
      DROP TABLE IF EXISTS ${ident(old)};
      ALTER TABLE IF EXISTS ${ident(local)} RENAME TO ${ident(old)};`);
    await tx.query(`DELETE FROM "_sync_shapes" WHERE "shape_key" = $1`, [e.table]);
  }
  await tx.exec(e.sql.synced + e.sql.local + e.sql.view);
  if (hadHash && oldCols.length > 0) {
    const keep = (await columnsOf(tx, local)).filter((c) => oldCols.includes(c)).map(ident);
    await tx.exec(`INSERT INTO ${ident(local)} (${keep.join(', ')})
      SELECT ${keep.join(', ')} FROM ${ident(old)};
      DROP TABLE ${ident(old)};`);
  }
  await tx.query(
    `INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, $2)
     ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
    [metaKey(e.table), e.schemaHash],
  );
}

const viewKey = (table: string) => `view_sql:${table}`;

/**
 * A new app version whose synced columns are unchanged but whose view or triggers are (a runtime
 * contract change, e.g. the §1 visibility rule): recreate the view and its triggers in place —
 * `T_synced`, `T_local`, the shape position and the outbox stay as they are.
 */
async function replaceView(tx: Queryable, e: LiveEntity): Promise<void> {
  await tx.exec(`DROP VIEW IF EXISTS ${ident(e.table)} CASCADE;`);
  await tx.exec(e.sql.view);
}

async function storeViewSql(tx: Queryable, e: LiveEntity): Promise<void> {
  await tx.query(
    `INSERT INTO "_sync_meta" ("key", "value") VALUES ($1, $2)
     ON CONFLICT ("key") DO UPDATE SET "value" = EXCLUDED."value"`,
    [viewKey(e.table), e.sql.view],
  );
}

/** Creates or upgrades every table; returns the tables that were (re)created. */
export async function migrate(db: SyncDb, schema: LiveSchema): Promise<string[]> {
  await db.exec(SHARED_SCHEMA_SQL);
  await db.transaction(async (tx) => {
    const first = await tx.query(
      `INSERT INTO "_sync_meta" ("key", "value") VALUES ('outbox_counts', '1')
       ON CONFLICT ("key") DO NOTHING RETURNING "key"`,
    );
    if (first.rows.length === 0) return;
    // an outbox made before the counts existed: count it once
    await tx.query(`DELETE FROM "_sync_outbox_counts"`);
    await tx.query(
      `INSERT INTO "_sync_outbox_counts" ("table_name", "pending", "failed")
       SELECT "table_name", count(*) FILTER (WHERE "status" <> 'failed'), count(*) FILTER (WHERE "status" = 'failed')
       FROM "_sync_outbox" GROUP BY 1`,
    );
  });
  const changed: string[] = [];
  for (const e of schema.entities) {
    const stored = await db.query<{ value: string }>(
      `SELECT "value" FROM "_sync_meta" WHERE "key" = $1`,
      [metaKey(e.table)],
    );
    const hash = stored.rows[0]?.value;
    if (hash === e.schemaHash) {
      const view = await db.query<{ value: string }>(
        `SELECT "value" FROM "_sync_meta" WHERE "key" = $1`,
        [viewKey(e.table)],
      );
      if (view.rows[0]?.value !== e.sql.view)
        await db.transaction(async (tx) => {
          await replaceView(tx, e);
          await storeViewSql(tx, e);
        });
      continue;
    }
    await db.transaction(async (tx) => {
      await upgrade(tx, e, hash !== undefined);
      await storeViewSql(tx, e);
    });
    changed.push(e.table);
  }
  return changed;
}
