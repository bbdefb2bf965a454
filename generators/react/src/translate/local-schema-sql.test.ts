/**
 * The generated local schema, executed in PGlite: the bad-names fixture's `orders` (keywords,
 * quotes, unicode and `x-sync-exclude` columns) — local-only columns live only in T_local and never
 * reach an outbox payload; decimals are sent as strings; §6 hashes follow the synced columns only.
 */
import { PGlite } from '@electric-sql/pglite';
import { syncedSchemaHash as schemaHash, type Entity } from '@sync/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureIr } from '../testing/fixtures.js';
import { SHARED_SCHEMA_SQL } from '@sync/react-runtime';
import { localSchemaSql } from './live.js';

let db: PGlite;
let orders: Entity;
let accounts: Entity;
const ddl = (e: Entity) => {
  const s = localSchemaSql(e);
  return s.synced + s.local + s.view;
};

beforeAll(async () => {
  orders = (await fixtureIr('bad-names')).entities.find((e) => e.table === 'orders')!;
  accounts = (await fixtureIr('crm')).entities.find((e) => e.table === 'accounts')!;
  db = await PGlite.create();
  await db.exec(SHARED_SCHEMA_SQL + ddl(orders) + ddl(accounts));
}, 60_000);
afterAll(async () => db?.close());

const columns = async (table: string) =>
  (
    await db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = $1`,
      [table],
    )
  ).rows.map((r) => r.column_name);

describe('local schema SQL', () => {
  it('keeps x-sync-exclude columns out of T_synced and of outbox payloads', async () => {
    expect(await columns('orders_synced')).not.toContain('note');
    expect(await columns('orders_local')).toContain('note');
    const r = await db.query<{ id: string }>(
      `INSERT INTO "orders" ("group", "user", "select", "with space", "note") VALUES ('g', 'u', 's', 'w', 'local') RETURNING "id"`,
    );
    const id = r.rows[0]!.id;
    await db.query(`UPDATE "orders" SET "note" = 'changed' WHERE "id" = $1`, [id]);
    await db.query(`UPDATE "orders" SET "__proto__" = 'p' WHERE "id" = $1`, [id]);
    const out = await db.query<{ op: string; payload: string }>(
      `SELECT "op", "payload" FROM "_sync_outbox" WHERE "table_name" = 'orders' ORDER BY "seq"`,
    );
    expect(out.rows.map((o) => [o.op, JSON.parse(o.payload)])).toEqual([
      ['insert', { id, group: 'g', user: 'u', select: 's', 'with space': 'w' }],
      ['update', { id, ['__proto__']: 'p' }], // a computed key: an own property, like JSON.parse
    ]);
    const view = await db.query(`SELECT "note", "_pending" FROM "orders" WHERE "id" = $1`, [id]);
    expect(view.rows).toEqual([{ note: 'changed', _pending: true }]);
  });

  it('sends decimals as strings and hashes only the synced columns', async () => {
    await db.query(`INSERT INTO "accounts" ("name", "annual_revenue") VALUES ('A', 12.50)`);
    const out = await db.query<{ payload: string }>(
      `SELECT "payload" FROM "_sync_outbox" WHERE "table_name" = 'accounts'`,
    );
    expect(JSON.parse(out.rows[0]!.payload)).toMatchObject({ annual_revenue: '12.50' });
    const withLocal = {
      ...orders,
      columns: [...orders.columns, { ...orders.columns[1]!, name: 'x', synced: false }],
    };
    expect(schemaHash(withLocal)).toBe(schemaHash(orders));
    const renamed = {
      ...orders,
      columns: orders.columns.map((c, i) => (i === 1 ? { ...c, name: 'y' } : c)),
    };
    expect(schemaHash(renamed)).not.toBe(schemaHash(orders));
  });
});
