/**
 * Reconciliation, rollback and shape writes of the generated SQL in SQLite (contract §2–§3),
 * driven the way the Swift runtime drives them: shared statements from SyncSharedSQL, per-entity
 * statements from the generated `<Entity>SQL` constants.
 */
import type { Database, SqlValue } from 'sql.js';
import { describe, expect, it } from 'vitest';
import type { Entity } from '@sync/core';
import { viewColumns } from '../translate/live-columns.js';
import { generateFixture } from '../testing/fixture.js';
import { all } from '../testing/sqlite.js';
import { buildDatabase } from '../testing/sql-harness.js';

const ID = '22222222-2222-4222-8222-222222222222';

async function setup(fixture: string, entityName: string, owner: string) {
  const h = await buildDatabase(fixture);
  const { ir } = await generateFixture(fixture);
  return { ...h, s: h.entities.get(owner)!, sh: h.shared, entity: ir.entities.find((e) => e.name === entityName)! };
}

const insertArgs = (e: Entity, row: Record<string, SqlValue>): SqlValue[] => viewColumns(e).map((c) => (Object.hasOwn(row, c.name) ? row[c.name]! : null));
const updateArgs = (e: Entity, key: SqlValue, changes: Record<string, SqlValue>): SqlValue[] => [
  key,
  ...viewColumns(e).slice(1).flatMap((c) => (Object.hasOwn(changes, c.name) ? [1, changes[c.name]!] : [0, null])),
];
/** A shape message's row: `?1` key, then (present, value) per synced column. */
const syncedArgs = (e: Entity, key: SqlValue, row: Record<string, SqlValue>): SqlValue[] => [
  key,
  ...viewColumns(e).filter((c) => c.synced).slice(1).flatMap((c) => (Object.hasOwn(row, c.name) ? [1, row[c.name]!] : [0, null])),
];
const outbox = (db: Database) => all(db, 'SELECT * FROM "_sync_outbox" ORDER BY "seq"');

/** What the runtime does after applying a shape batch: reconcile every sent row whose txid was seen. */
function reconcileAll(db: Database, sh: Record<string, string>, s: Record<string, string>): number {
  const rows = all(db, sh.reconcilable!);
  for (const r of rows) {
    db.run(s.reconcile!, [r.pk!, r.write_id!]);
    db.run(s.reconcileDeleted!, [r.pk!, r.write_id!]);
    db.run(s.deleteEmptyLocal!, [r.pk!]);
    db.run(sh.deleteRow!, [r.seq!]);
  }
  return rows.length;
}

describe('txid reconciliation (crm contacts)', () => {
  it('a synced row carrying the recorded txid clears the local row, never earlier', async () => {
    const { db, s, sh, entity } = await setup('crm', 'Contact', 'ContactSQL');
    db.run(s.insert!, insertArgs(entity, { id: ID, first_name: 'Ada', email: 'a@x', status: 'lead', tags: '[]' }));
    const [row] = outbox(db);
    db.run(sh.markSent!, [row!.seq!, '771']);
    expect(reconcileAll(db, sh, s)).toBe(0); // txid not seen yet: the optimistic row stays
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada', _pending: 1 });
    db.run(s.upsertSynced!, syncedArgs(entity, ID, { first_name: 'Ada', email: 'a@x', status: 'lead', tags: '[]', created_at: '2026-01-01T00:00:00Z' }));
    db.run(sh.recordTxid!, ['771', 1]);
    expect(reconcileAll(db, sh, s)).toBe(1);
    expect(all(db, 'SELECT * FROM "contacts_local"')).toEqual([]);
    expect(outbox(db)).toEqual([]);
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada', created_at: '2026-01-01T00:00:00Z', _pending: 0 });
  });

  it('overrides of a later pending write to the same key stay', async () => {
    const { db, s, sh, entity } = await setup('crm', 'Contact', 'ContactSQL');
    db.run(s.insert!, insertArgs(entity, { id: ID, first_name: 'Ada', email: 'a@x' }));
    db.run(s.update!, updateArgs(entity, ID, { first_name: 'Ada L.' }));
    const [first] = outbox(db);
    db.run(sh.markSent!, [first!.seq!, '9']);
    db.run(s.upsertSynced!, syncedArgs(entity, ID, { first_name: 'Ada', email: 'a@x' }));
    db.run(sh.recordTxid!, ['9', 1]);
    expect(reconcileAll(db, sh, s)).toBe(1);
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ first_name: 'Ada L.', _pending: 1 });
  });

  it('a reconciled delete removes the _deleted row; the synced delete removes the row', async () => {
    const { db, s, sh, entity } = await setup('crm', 'Contact', 'ContactSQL');
    db.run(s.upsertSynced!, syncedArgs(entity, ID, { first_name: 'Ada' }));
    db.run(s.delete!, [ID]);
    db.run(sh.markSent!, [outbox(db)[0]!.seq!, '10']);
    db.run(s.deleteSynced!, [ID]);
    db.run(sh.recordTxid!, ['10', 1]);
    reconcileAll(db, sh, s);
    expect(all(db, 'SELECT * FROM "contacts_local"')).toEqual([]);
    expect(all(db, s.selectAll!)).toEqual([]);
  });

  it('update messages merge only the columns they carry', async () => {
    const { db, s, entity } = await setup('crm', 'Contact', 'ContactSQL');
    db.run(s.upsertSynced!, syncedArgs(entity, ID, { first_name: 'Ada', email: 'a@x' }));
    db.run(s.upsertSynced!, syncedArgs(entity, ID, { email: 'b@x' }));
    expect(all(db, 'SELECT "first_name", "email" FROM "contacts_synced"')).toEqual([{ first_name: 'Ada', email: 'b@x' }]);
    db.run(s.clearSynced!);
    expect(all(db, s.selectAll!)).toEqual([]);
  });
});

describe('rollback of refused writes (crm contacts)', () => {
  it('a refused update restores T_local from the remaining writes', async () => {
    const { db, s, sh, entity } = await setup('crm', 'Contact', 'ContactSQL');
    db.run(s.insert!, insertArgs(entity, { id: ID, first_name: 'Ada', email: 'a@x' }));
    db.run(s.update!, updateArgs(entity, ID, { first_name: 'Bad', phone: '1' }));
    const [, refused] = outbox(db);
    db.run(sh.markFailed!, [refused!.seq!, '{"error":"validation_failed"}']);
    db.run(s.restoreLocal!, [ID, refused!.write_id!]);
    db.run(s.deleteEmptyLocal!, [ID]);
    const view = all(db, s.selectByKey!, [ID])[0];
    expect(view).toMatchObject({ first_name: 'Ada', email: 'a@x', phone: null, _pending: 1 });
    expect(JSON.parse(String(all(db, 'SELECT "_changed" FROM "contacts_local"')[0]!._changed)).sort()).toEqual(['email', 'first_name']);
  });

  it('rolling back an insert removes the row from the view', async () => {
    const { db, s, sh, entity } = await setup('crm', 'Contact', 'ContactSQL');
    db.run(s.insert!, insertArgs(entity, { id: ID, first_name: 'Ada' }));
    const [row] = outbox(db);
    db.run(sh.markFailed!, [row!.seq!, 'refused']);
    db.run(s.restoreLocal!, [ID, row!.write_id!]);
    db.run(s.deleteEmptyLocal!, [ID]);
    expect(all(db, s.selectAll!)).toEqual([]);
  });
});

describe('confirmed entities and hostile names', () => {
  it('crm accounts (local_first: false) mark their outbox rows confirmed', async () => {
    const { db, s, entity } = await setup('crm', 'Account', 'AccountSQL');
    db.run(s.insert!, insertArgs(entity, { id: ID, name: 'Acme', is_customer: 1, annual_revenue: '12.50', metadata: '{"a":1}' }));
    const [row] = outbox(db);
    expect(row).toMatchObject({ confirmed: 1, op: 'insert' });
    expect(JSON.parse(String(row!.payload))).toEqual({ id: ID, name: 'Acme', annual_revenue: '12.50', is_customer: true, metadata: { a: 1 } });
  });

  it('bad-names orders: keyword and case-colliding columns round-trip through the view', async () => {
    const { db, s, entity } = await setup('bad-names', 'Order', 'OrderSQL');
    db.run(s.insert!, insertArgs(entity, { id: ID, group: 'g', select: 's', self: 'lower', Self: 'upper', 'with space': 'w', note: 'local' }));
    db.run(s.update!, updateArgs(entity, ID, { order: 3, Self: 'UPPER' }));
    const rows = outbox(db);
    expect(JSON.parse(String(rows[0]!.payload))).toMatchObject({ group: 'g', self: 'lower', Self: 'upper', 'with space': 'w' });
    expect(JSON.parse(String(rows[0]!.payload))).not.toHaveProperty('note');
    expect(JSON.parse(String(rows[1]!.payload))).toEqual({ id: ID, order: 3, Self: 'UPPER' });
    expect(all(db, s.selectByKey!, [ID])[0]).toMatchObject({ self: 'lower', Self_2: 'UPPER', note: 'local' });
  });
});
