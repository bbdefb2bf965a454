/**
 * Shape storage from wire text (shape/apply.ts, shape/consumer.ts): values go into PGlite as the
 * text Electric sent and Postgres types them, for snapshot inserts (one json_populate_recordset
 * statement) and for logged updates; a multi-chunk snapshot is stored whole and in order while
 * the next chunk is fetched, ending at the snapshot's tail offset.
 */
import type { DevServer } from '@sync/dev-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SyncClient } from './client/create.js';
import {
  crmSchema,
  emptyDump,
  eventually,
  rows,
  startClient,
  startServer,
} from './testing/harness.js';

let server: DevServer;
const clients: SyncClient[] = [];
beforeAll(async () => {
  await Promise.all([emptyDump(), crmSchema()]);
  server = await startServer();
}, 60_000);
afterAll(async () => server?.close());
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function client() {
  const c = await startClient(server);
  clients.push(c);
  return c;
}

const TEXT = `SELECT "id"::text, "name", "annual_revenue"::text AS revenue, "employee_count",
  "is_customer", "metadata"::text AS metadata FROM`;

const serverRows = async (where = '') =>
  server.database.query(`${TEXT} "accounts" ${where} ORDER BY "id"`);
const localRows = (c: SyncClient, where = '') =>
  rows(c, `${TEXT} "accounts_synced" ${where} ORDER BY "id"`);

describe('values stored from wire text', () => {
  it('stores json (objects, strings, numbers, null), decimals, ints, booleans and odd text exactly, on snapshot and update', async () => {
    await server.database.exec(`INSERT INTO "accounts"
      ("name", "annual_revenue", "employee_count", "is_customer", "owner_email", "metadata") VALUES
      (E'q"uo\\\\te\\n名前 🎉', 12345678901234567890.123456789, 2147483647, true, 'a@example.com',
        '{"a": {"b": [1, 2.5, "x\\"y", true]}, "n": null}'),
      ('json string', 0.1, -2147483648, false, 'b@example.com', '"just text"'),
      ('json number', 1e-7, 0, true, 'c@example.com', '42'),
      ('json null', 3, 1, false, 'd@example.com', 'null')`);
    const want = await serverRows();
    expect(want).toHaveLength(4);
    const c = await client();
    await eventually(() => c.status.getSnapshot().synced);
    expect(await localRows(c)).toEqual(want);

    // logged updates (applyChange): the same values through UPDATE parameters
    await server.database.exec(`UPDATE "accounts" SET "metadata" = '"now a string"',
      "is_customer" = NOT "is_customer", "annual_revenue" = 98765.4321, "employee_count" = 7`);
    const updated = await serverRows();
    await eventually(async () =>
      JSON.stringify(await localRows(c)) === JSON.stringify(updated) ? true : false,
    );
    expect(await localRows(c)).toEqual(updated);
  });

  it('stores a multi-chunk snapshot whole, in order, and resumes after it', async () => {
    await server.database.exec(`INSERT INTO "contacts" ("first_name", "email", "status", "tags")
      SELECT 'Bulk ' || g, 'bulk' || g || '@example.com', 'lead', jsonb_build_array('t' || g)
        FROM generate_series(1, 2500) AS g`);
    const c = await client();
    await eventually(() => c.status.getSnapshot().synced);
    const n = await rows<{ n: number; tags: number }>(
      c,
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE "tags" = jsonb_build_array('t' || substr("first_name", 6)))::int AS tags
         FROM "contacts_synced" WHERE "first_name" LIKE 'Bulk %'`,
    );
    expect(n[0]).toEqual({ n: 2500, tags: 2500 });
    // the stored position is the snapshot's end (a tail offset), not a chunk's
    const [pos] = await rows<{ offset: string }>(
      c,
      `SELECT "offset" FROM "_sync_shapes" WHERE "shape_key" = 'contacts'`,
    );
    expect(pos?.offset).toMatch(/^\d+_0$/);
    // and the live tail continues from there
    await server.database.exec(
      `INSERT INTO "contacts" ("first_name", "email", "status", "tags") VALUES ('After', 'after@example.com', 'lead', '[]')`,
    );
    await eventually(
      async () =>
        (await rows(c, `SELECT 1 FROM "contacts_synced" WHERE "first_name" = 'After'`)).length ===
        1,
    );
  });
});
