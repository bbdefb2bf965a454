/**
 * The generated SQL, run in real SQLite (sql.js): every statement is extracted from the generated
 * Swift (and from the runtime's SyncSharedSQL), executed or prepared, and the triggers are checked
 * against docs/sync-runtime-contract.md §1–§3.
 */
import type { Database, SqlValue } from 'sql.js';
import { describe, expect, it } from 'vitest';
import type { Entity } from '@sync/core';
import { viewColumns } from '../translate/live-columns.js';
import { generateFixture, swiftFixtures } from '../testing/fixture.js';
import { all } from '../testing/sqlite.js';
import { STATEMENT_NAMES } from './entity-sql.js';
import { buildDatabase } from '../testing/sql-harness.js';

const ID = '11111111-1111-4111-8111-111111111111';

async function contacts() {
  const h = await buildDatabase('crm');
  const { ir } = await generateFixture('crm');
  const entity = ir.entities.find((e) => e.name === 'Contact')!;
  return { ...h, s: h.entities.get('ContactSQL')!, entity };
}

/** Insert arguments in view-column order from a partial row. */
function insertArgs(e: Entity, row: Record<string, SqlValue>): SqlValue[] {
  return viewColumns(e).map((c) => (Object.hasOwn(row, c.name) ? row[c.name]! : null));
}

/** Update arguments: key, then (set, value) per non-key column. */
function updateArgs(e: Entity, key: SqlValue, changes: Record<string, SqlValue>): SqlValue[] {
  const cols = viewColumns(e).slice(1);
  return [key, ...cols.flatMap((c) => (Object.hasOwn(changes, c.name) ? [1, changes[c.name]!] : [0, null]))];
}

const outbox = (db: Database) => all(db, 'SELECT * FROM "_sync_outbox" ORDER BY "seq"');
const payload = (row: Record<string, SqlValue> | undefined) => JSON.parse(String(row?.payload)) as Record<string, unknown>;

describe('generated SQL runs in SQLite', () => {
  for (const fixture of swiftFixtures()) {
    it(`${fixture}: every statement executes or prepares`, async () => {
      const { db, entities, shared } = await buildDatabase(fixture);
      const { ir } = await generateFixture(fixture);
      expect(entities.size).toBe(ir.entities.filter((e) => e.sync.mode === 'live').length);
      for (const [owner, s] of entities) {
        expect(Object.keys(s), owner).toEqual([...STATEMENT_NAMES]);
        for (const [name, sql] of Object.entries(s)) {
          if (name.startsWith('create') || name.endsWith('Trigger')) continue;
          expect(() => db.prepare(sql).free(), `${owner}.${name}`).not.toThrow();
        }
      }
      for (const [name, sql] of Object.entries(shared)) expect(() => db.prepare(sql).free(), name).not.toThrow();
    });
  }
});

describe('view triggers (crm contacts, optimistic)', () => {
  it('insert through the view writes T_local and an outbox row; local-only fields stay local', async () => {
    const { db, s, entity } = await contacts();
    db.run(s.insert!, insertArgs(entity, { id: ID, first_name: 'Ada', email: 'ada@example.com', status: 'lead', tags: '["vip"]', notes: 'draft' }));
    const [local] = all(db, 'SELECT * FROM "contacts_local"');
    expect(local).toMatchObject({ id: ID, first_name: 'Ada', notes: 'draft', _deleted: 0 });
    expect(JSON.parse(String(local!._changed))).toEqual(['first_name', 'email', 'status', 'tags']);
    const rows = outbox(db);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ table_name: 'contacts', op: 'insert', pk: ID, status: 'pending', confirmed: 0, write_id: local!._write_id });
    expect(String(rows[0]!.write_id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(payload(rows[0])).toEqual({ id: ID, first_name: 'Ada', email: 'ada@example.com', status: 'lead', tags: ['vip'] });
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada', notes: 'draft', _pending: 1 });
  });

  it('excluded (x-sync-exclude) fields have no synced column and never reach a payload', async () => {
    const { db, s, entity } = await contacts();
    expect(all(db, 'SELECT name FROM pragma_table_info(\'contacts_synced\')').map((r) => r.name)).not.toContain('notes');
    db.run(s.insert!, insertArgs(entity, { id: ID, first_name: 'Ada', notes: 'a' }));
    db.run(s.update!, updateArgs(entity, ID, { first_name: 'Ada L.', notes: 'b' }));
    for (const row of outbox(db)) expect(Object.keys(payload(row))).not.toContain('notes');
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada L.', notes: 'b' });
  });

  it('an update of a local-only field writes no outbox row and keeps _write_id', async () => {
    const { db, s, entity } = await contacts();
    db.run(s.upsertSynced!, [ID, ...viewColumns(entity).filter((c) => c.synced).slice(1).flatMap((c) => [1, c.name === 'first_name' ? 'Ada' : null])]);
    db.run(s.update!, updateArgs(entity, ID, { notes: 'call back' }));
    expect(outbox(db)).toHaveLength(0);
    expect(all(db, 'SELECT * FROM "contacts_local"')[0]).toMatchObject({ notes: 'call back', _write_id: null, _changed: '[]' });
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada', notes: 'call back', _pending: 0 });
  });

  it('an update sends only the changed synced columns and unions _changed', async () => {
    const { db, s, entity } = await contacts();
    db.run(s.upsertSynced!, [ID, ...viewColumns(entity).filter((c) => c.synced).slice(1).flatMap((c) => [1, ({ first_name: 'Ada', email: 'a@x', tags: '[]' } as Record<string, string>)[c.name] ?? null])]);
    db.run(s.update!, updateArgs(entity, ID, { first_name: 'Ada', email: 'ada@x' }));
    db.run(s.update!, updateArgs(entity, ID, { tags: '["a"]' }));
    const rows = outbox(db);
    expect(rows.map((r) => r.op)).toEqual(['update', 'update']);
    expect(payload(rows[0])).toEqual({ id: ID, email: 'ada@x' });
    expect(payload(rows[1])).toEqual({ id: ID, tags: ['a'] });
    const [local] = all(db, 'SELECT * FROM "contacts_local"');
    expect(JSON.parse(String(local!._changed)).sort()).toEqual(['email', 'tags']);
    expect(local!._write_id).toBe(rows[1]!.write_id);
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada', email: 'ada@x', tags: '["a"]', _pending: 1 });
  });

  it('delete marks _deleted, hides the row and queues {P}', async () => {
    const { db, s, entity } = await contacts();
    db.run(s.upsertSynced!, [ID, ...viewColumns(entity).filter((c) => c.synced).slice(1).flatMap(() => [0, null])]);
    expect(all(db, s.selectAll!)).toHaveLength(1);
    db.run(s.delete!, [ID]);
    expect(all(db, s.selectAll!)).toHaveLength(0);
    expect(all(db, 'SELECT "_deleted" FROM "contacts_local"')[0]).toEqual({ _deleted: 1 });
    const [row] = outbox(db);
    expect(row).toMatchObject({ op: 'delete', pk: ID });
    expect(payload(row)).toEqual({ id: ID });
  });
});
