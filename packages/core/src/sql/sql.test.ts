/**
 * Core's SQL builders, executed for real: the SQLite local schema in SQLite (sql.js) with the
 * Swift runtime's shared tables, the Postgres local schema in PGlite with the React runtime's
 * shared tables, and the dev server's schema in PGlite. The view's visibility rule
 * (docs/sync-runtime-contract.md §1) is checked row by row on both dialects.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Entity, SyncIR } from '../ir/types.js';
import { loadSpec } from '../load/load-spec.js';
import { postgresEntitySchema } from './postgres.js';
import { postgresServerSchema, type ServerTable } from './server.js';
import { sqliteEntitySchema, sqliteViewSelect } from './sqlite.js';
import { script, statement, type SqlStatement } from './statement.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

async function fixtureIr(name: string, file = 'openapi.yaml'): Promise<SyncIR> {
  const r = await loadSpec(path.join(repo, 'fixtures', name, file), {
    cwd: repo,
    skipParserValidation: true,
  });
  if (r.ir === null) throw new Error(`fixture ${name} does not load`);
  return r.ir;
}

/** The Swift runtime's shared tables (SyncSharedSQL's `create…` constants), as GRDB runs them. */
function swiftSharedSchema(): string[] {
  const text = readFileSync(
    path.join(repo, 'packages/swift-runtime/Sources/SyncPatternsRuntime/SharedSQL.swift'),
    'utf8',
  );
  const found = [...text.matchAll(/static let (create\w+) = """\n([\s\S]*?)\n\s*"""/g)].map(
    (m) => m[2]!,
  );
  expect(found.length).toBeGreaterThanOrEqual(5);
  return found;
}

/** The React runtime's shared tables (`SHARED_SCHEMA_SQL`). */
function reactSharedSchema(): string {
  const text = readFileSync(
    path.join(repo, 'packages/react-runtime/src/db/shared-schema.ts'),
    'utf8',
  );
  const m = /SHARED_SCHEMA_SQL = `([\s\S]*?)`;/.exec(text);
  if (!m) throw new Error('SHARED_SCHEMA_SQL not found');
  return m[1]!;
}

const live = (ir: SyncIR): Entity[] => ir.entities.filter((e) => e.sync.mode === 'live');
const run = (db: Database, stmts: SqlStatement[], names: readonly string[]) => {
  for (const n of names) db.run(statement(stmts, n));
};
const CREATE = [
  'createSynced',
  'createLocal',
  'createView',
  'insertTrigger',
  'updateTrigger',
  'deleteTrigger',
];

function rows(db: Database, sql: string, params: SqlValue[] = []): Record<string, SqlValue>[] {
  const st = db.prepare(sql);
  try {
    st.bind(params);
    const out: Record<string, SqlValue>[] = [];
    while (st.step()) out.push(st.getAsObject());
    return out;
  } finally {
    st.free();
  }
}

let crm: SyncIR;
let badNames: SyncIR;
let SQL: initSqlJs.SqlJsStatic;

beforeAll(async () => {
  crm = await fixtureIr('crm');
  badNames = await fixtureIr('bad-names');
  const require = createRequire(import.meta.url);
  SQL = await initSqlJs({ locateFile: (f: string) => require.resolve(`sql.js/dist/${f}`) });
}, 60_000);

async function sqliteDb(entities: Entity[]): Promise<Database> {
  const db = new SQL.Database();
  for (const s of swiftSharedSchema()) db.run(s);
  for (const e of entities) run(db, sqliteEntitySchema(e), CREATE);
  return db;
}

describe('SQLite local schema', () => {
  it('is pure and deterministic', () => {
    for (const e of [...live(crm), ...live(badNames)]) {
      const copy = structuredClone(e);
      expect(sqliteEntitySchema(e)).toEqual(sqliteEntitySchema(copy));
      expect(copy).toEqual(e);
    }
  });

  it('runs in SQLite, and a schema upgrade (drops, then creates) runs again', async () => {
    const entities = [...live(crm), ...live(badNames)];
    const db = await sqliteDb(entities);
    for (const e of entities) {
      const s = sqliteEntitySchema(e);
      run(db, s, [
        'dropView',
        'dropSynced',
        'createSynced',
        'createLocal',
        'createView',
        'insertTrigger',
        'updateTrigger',
        'deleteTrigger',
      ]);
      expect(statement(s, 'createView')).toContain(sqliteViewSelect(e));
    }
    const objects = rows(
      db,
      `SELECT type, name FROM sqlite_master WHERE name LIKE 'orders%' ORDER BY name`,
    );
    expect(objects.map((o) => `${String(o.type)}:${String(o.name)}`)).toEqual([
      'view:orders',
      'trigger:orders_delete',
      'trigger:orders_insert',
      'table:orders_local',
      'table:orders_synced',
      'trigger:orders_update',
    ]);
  });

  it('makes only the key NOT NULL, in both tables (one rule for Swift and Kotlin)', async () => {
    const contacts = crm.entities.find((e) => e.name === 'Contact')!;
    expect(contacts.columns.some((c) => !c.primaryKey && !c.nullable)).toBe(true);
    const db = await sqliteDb([contacts]);
    for (const t of ['contacts_synced', 'contacts_local']) {
      const info = rows(db, `PRAGMA table_info("${t}")`);
      const notNull = info.filter((c) => c.notnull === 1).map((c) => c.name);
      expect(notNull).toEqual(t === 'contacts_synced' ? ['id'] : ['id', '_changed', '_deleted']);
    }
    // A shape update carries only changed columns: upserting a partial row must not fail.
    db.run(`INSERT INTO "contacts_synced" ("id", "first_name") VALUES ('k', 'A')`);
    db.run(
      `INSERT INTO "contacts_synced" ("id", "email") VALUES ('k', NULL) ON CONFLICT ("id") DO UPDATE SET "email" = 'e'`,
    );
    expect(rows(db, `SELECT "first_name", "email" FROM "contacts"`)).toEqual([
      { first_name: 'A', email: 'e' },
    ]);
  });

  it('uses local names for columns and wire names in payloads and _changed', async () => {
    const orders = badNames.entities.find((e) => e.table === 'orders')!;
    const db = await sqliteDb([orders]);
    const cols = rows(db, `PRAGMA table_info("orders")`).map((c) => c.name);
    expect(cols).toContain('Self_2');
    expect(cols.at(-1)).toBe('_pending');
    db.run(
      `INSERT INTO "orders" ("id", "group", "user", "self", "Self_2", "note") VALUES ('o1', 'g', 'u', 'a', 'B', 'local')`,
    );
    const [out] = rows(db, `SELECT "op", "payload" FROM "_sync_outbox"`);
    expect(JSON.parse(String(out!.payload))).toEqual({
      id: 'o1',
      group: 'g',
      user: 'u',
      self: 'a',
      Self: 'B',
    });
    db.run(`UPDATE "orders" SET "Self_2" = 'C', "note" = 'n2' WHERE "id" = 'o1'`);
    const outbox = rows(db, `SELECT "op", "payload" FROM "_sync_outbox" ORDER BY "seq"`);
    expect(outbox.map((o) => [o.op, JSON.parse(String(o.payload))])).toEqual([
      ['insert', { id: 'o1', group: 'g', user: 'u', self: 'a', Self: 'B' }],
      ['update', { id: 'o1', Self: 'C' }],
    ]);
    const [local] = rows(db, `SELECT "_changed" FROM "orders_local"`);
    expect(JSON.parse(String(local!._changed)).sort()).toEqual(['Self', 'group', 'self', 'user']);
    expect(rows(db, `SELECT "Self_2", "note", "_pending" FROM "orders"`)).toEqual([
      { Self_2: 'C', note: 'n2', _pending: 1 },
    ]);
  });

  it('shows a key only while synced or with a non-failed pending insert (no ghost rows)', async () => {
    const contacts = crm.entities.find((e) => e.name === 'Contact')!;
    const db = await sqliteDb([contacts]);
    const ids = () => rows(db, `SELECT "id" FROM "contacts" ORDER BY "id"`).map((r) => r.id);
    db.run(`INSERT INTO "contacts" ("id", "first_name", "notes") VALUES ('p', 'Pending', 'mine')`);
    expect(ids()).toEqual(['p']);
    db.run(`UPDATE "_sync_outbox" SET "status" = 'failed' WHERE "pk" = 'p'`);
    expect(ids()).toEqual([]); // refused insert: its local row is a ghost, not shown
    db.run(
      `INSERT INTO "contacts_synced" ("id", "first_name", "email") VALUES ('s', 'Server', 'x@y')`,
    );
    db.run(`INSERT INTO "contacts_local" ("id", "notes") VALUES ('g', 'orphan')`);
    expect(ids()).toEqual(['s']); // a T_local row of a key deleted elsewhere is not shown
    db.run(`UPDATE "contacts" SET "first_name" = 'Local', "notes" = 'n' WHERE "id" = 's'`);
    expect(rows(db, `SELECT "first_name", "email", "notes", "_pending" FROM "contacts"`)).toEqual([
      { first_name: 'Local', email: 'x@y', notes: 'n', _pending: 1 },
    ]);
    db.run(
      `UPDATE "contacts_synced" SET "first_name" = 'Server2', "email" = 'z@y' WHERE "id" = 's'`,
    );
    expect(rows(db, `SELECT "first_name", "email" FROM "contacts"`)).toEqual([
      { first_name: 'Local', email: 'z@y' },
    ]);
    db.run(`DELETE FROM "contacts" WHERE "id" = 's'`);
    expect(ids()).toEqual([]);
  });
});

describe('Postgres local schema (PGlite)', () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await PGlite.create();
    await pg.exec(reactSharedSchema());
  }, 60_000);
  afterAll(async () => pg?.close());

  it('runs in PGlite for every live entity of the fixtures', async () => {
    for (const e of [...live(crm), ...live(badNames)])
      await pg.exec(script(postgresEntitySchema(e)));
    const notNull = await pg.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'contacts_synced' AND is_nullable = 'NO'`,
    );
    expect(notNull.rows.map((r) => r.column_name)).toEqual(['id']);
  });

  it('shows a key only while synced or with a non-failed pending insert', async () => {
    const ids = async () =>
      (
        await pg.query<{ id: string }>(`SELECT "id"::text AS id FROM "contacts" ORDER BY 1`)
      ).rows.map((r) => r.id);
    const p = '00000000-0000-4000-8000-000000000001';
    const s = '00000000-0000-4000-8000-000000000002';
    await pg.query(
      `INSERT INTO "contacts" ("id", "first_name", "notes") VALUES ($1, 'P', 'mine')`,
      [p],
    );
    expect(await ids()).toEqual([p]);
    await pg.query(`UPDATE "_sync_outbox" SET "status" = 'failed' WHERE "pk" = $1`, [p]);
    expect(await ids()).toEqual([]);
    await pg.query(`INSERT INTO "contacts_synced" ("id", "first_name") VALUES ($1, 'S')`, [s]);
    await pg.query(`UPDATE "contacts" SET "first_name" = 'L' WHERE "id" = $1`, [s]);
    expect((await pg.query(`SELECT "first_name", "_pending" FROM "contacts"`)).rows).toEqual([
      { first_name: 'L', _pending: true },
    ]);
    const out = await pg.query<{ payload: string }>(
      `SELECT "payload" FROM "_sync_outbox" WHERE "op" = 'update'`,
    );
    expect(JSON.parse(out.rows[0]!.payload)).toEqual({ id: s, first_name: 'L' });
  });
});

describe('dev server schema (PGlite)', () => {
  const serverTables = (ir: SyncIR): ServerTable[] =>
    ir.entities
      .filter((e) => e.primaryKey !== null)
      .map((e, i) => ({
        table: e.table,
        columns: e.columns,
        pk: e.primaryKey!.field,
        rowFn: `_sync_row_${i}`,
        captureFn: `_sync_capture_${i}`,
        keySequence: `_sync_seq_${i}`,
      }));

  it('runs twice (every start), keeps IR nullability and logs every write', async () => {
    const pg = await PGlite.create();
    try {
      const tables = [...serverTables(crm), ...serverTables(badNames)];
      const stmts = postgresServerSchema(tables);
      expect(new Set(stmts.map((s) => s.name)).size).toBe(stmts.length);
      await pg.exec(script(stmts));
      await pg.exec(script(stmts));
      const notNull = await pg.query<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'contacts' AND is_nullable = 'NO' ORDER BY ordinal_position`,
      );
      const contacts = crm.entities.find((e) => e.name === 'Contact')!;
      expect(notNull.rows.map((r) => r.column_name)).toEqual(
        contacts.columns.filter((c) => !c.nullable).map((c) => c.name),
      );
      await pg.query(`INSERT INTO "orders" ("group", "user") VALUES ('g', 'u')`);
      const log = await pg.query<{ tbl: string; op: string; row: Record<string, unknown> }>(
        `SELECT "tbl", "op", "row" FROM "_sync_changes" WHERE "tbl" <> '' ORDER BY "seq"`,
      );
      expect(log.rows.map((r) => [r.tbl, r.op, r.row.group])).toEqual([['orders', 'insert', 'g']]);
    } finally {
      await pg.close();
    }
  }, 60_000);

  it('logs a multi-row insert with one capture call, in insert order, and updates and deletes per row', async () => {
    const pg = await PGlite.create();
    try {
      const tables = serverTables(crm);
      await pg.exec(script(postgresServerSchema(tables)));
      await pg.exec(`SET track_functions = 'pl'`);
      const calls = async (): Promise<number> => {
        await pg.query(`SELECT pg_stat_force_next_flush()`);
        const r = await pg.query<{ n: number }>(
          `SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_user_functions WHERE funcname LIKE '\\_sync\\_capture\\_%'`,
        );
        return r.rows[0]!.n;
      };
      const before = await calls();
      const ids = ['c', 'a', 'e', 'b', 'd'].map((x) => `00000000-0000-4000-8000-00000000000${x}`);
      // a psql-style multi-row insert, rows in an order that is neither key nor text order
      await pg.query(
        `INSERT INTO "contacts" ("id", "first_name", "last_name", "email", "phone", "status", "tags", "created_at", "updated_at")
         SELECT x.id::uuid, 'F' || x.n, NULL, 'e' || x.n || '@example.com', NULL, 'lead', '[]', now(), now()
           FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n) ORDER BY x.n`,
        [ids],
      );
      // one call of the statement-level capture, not one per row (was 5)
      expect((await calls()) - before).toBe(1);
      // an insert of no rows logs nothing (and wakes nobody)
      await pg.query(`INSERT INTO "contacts" SELECT * FROM "contacts" WHERE false`);
      await pg.query(`UPDATE "contacts" SET "first_name" = 'G' WHERE "id" = $1::uuid`, [ids[1]]);
      await pg.query(`UPDATE "contacts" SET "id" = $2::uuid WHERE "id" = $1::uuid`, [
        ids[2],
        '00000000-0000-4000-8000-00000000000f',
      ]);
      await pg.query(`DELETE FROM "contacts" WHERE "id" = $1::uuid`, [ids[3]]);
      const log = await pg.query<{
        op: string;
        pk: string;
        row: Record<string, string> | null;
        old: Record<string, string> | null;
      }>(
        `SELECT "op", "pk", "row", "old" FROM "_sync_changes" WHERE "tbl" = 'contacts' ORDER BY "seq"`,
      );
      expect(
        log.rows.map((r) => [r.op, r.pk.slice(-1), r.row?.first_name, r.old?.first_name]),
      ).toEqual([
        ['insert', 'c', 'F1', undefined],
        ['insert', 'a', 'F2', undefined],
        ['insert', 'e', 'F3', undefined],
        ['insert', 'b', 'F4', undefined],
        ['insert', 'd', 'F5', undefined],
        ['update', 'a', 'G', 'F2'],
        ['delete', 'e', undefined, 'F3'],
        ['insert', 'f', 'F3', undefined],
        ['delete', 'b', undefined, 'F4'],
      ]);
      // rows logged as text values, as the row function renders them
      expect(log.rows[0]!.row).toMatchObject({ id: ids[0], status: 'lead', tags: '[]' });
      // statement-level capture: one transaction's rows share its txid
      const txids = await pg.query<{ n: number }>(
        `SELECT count(DISTINCT "txid")::int AS n FROM "_sync_changes" WHERE "tbl" = 'contacts' AND "op" = 'insert' AND "pk" = ANY($1::text[])`,
        [ids],
      );
      expect(txids.rows[0]!.n).toBe(1);
    } finally {
      await pg.close();
    }
  }, 60_000);
});
