/**
 * The SQL the Swift runtime completes per table at run time (Sources/SyncPatternsRuntime/
 * TableStatements.swift: `SyncTableTemplates`) and its new shared statements (`SyncSharedSQL`),
 * completed exactly as `TableStatements.init` completes them and run in SQLite against the
 * generated schema of the `todo` fixture: the 404 tombstone, the delete message's `T_local`
 * cleanup, the must-refetch staging table and its swap, and the errors API's pruning.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, SqlValue } from 'sql.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { extractSqlConstants } from '../../../generators/swift/src/testing/swift-sql.js';
import { buildDatabase } from '../../../generators/swift/src/testing/sql-harness.js';
import { all } from '../../../generators/swift/src/testing/sqlite.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const source = readFileSync(
  path.join(root, 'packages/swift-runtime/Sources/SyncPatternsRuntime/TableStatements.swift'),
  'utf8',
);

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `TableStatements.init` for `todos` (key `id`; synced columns title, completed, list_id). */
async function todoStatements(s: Record<string, string>) {
  const templates: Record<string, string> = {};
  for (const c of await extractSqlConstants(source)) {
    const [owner, name] = c.name.split('.') as [string, string];
    if (owner === 'SyncTableTemplates') templates[name] = c.sql;
  }
  const synced = quote('todos_synced');
  const staging = quote('todos_synced_refetch');
  const fill = (t: string) =>
    t
      .replaceAll(
        '{nullSynced}',
        ['title', 'completed', 'list_id'].map((c) => `, ${quote(c)} = NULL`).join(''),
      )
      .replaceAll('{synced}', synced)
      .replaceAll('{staging}', staging)
      .replaceAll('{local}', quote('todos_local'))
      .replaceAll('{pk}', quote('id'));
  const get = (name: string) => {
    const t = templates[name];
    if (t === undefined) throw new Error(`SyncTableTemplates.${name} not found`);
    return fill(t);
  };
  return {
    tombstone: [get('tombstoneLocal'), get('tombstoneSynced'), get('dropUnsyncedTombstone')],
    deleteLocalWithoutWrite: get('deleteLocalWithoutWrite'),
    localWriteId: get('localWriteId'),
    createStaging: s.createSynced!.replace(synced, staging),
    upsertStaging: s.upsertSynced!.replaceAll(synced, staging),
    deleteStaging: s.deleteSynced!.replaceAll(synced, staging),
    dropStaging: get('dropStaging'),
    swap: [get('swapClear'), get('swapFill'), get('dropStaging'), get('deleteInvisibleLocal')],
  };
}

/** A shape row for `upsertSynced`: key, then (present, value) per synced column. */
const syncedArgs = (id: string, title: string): SqlValue[] => [id, 1, title, 1, 0, 1, null];
const view = (db: Database) =>
  all(db, 'SELECT "id", "title", "_pending" FROM "todos" ORDER BY "id"');

describe('runtime-completed table statements (todo fixture)', () => {
  let db: Database;
  let s: Record<string, string>;
  let sh: Record<string, string>;
  let t: Awaited<ReturnType<typeof todoStatements>>;

  beforeEach(async () => {
    const h = await buildDatabase('todo');
    db = h.db;
    sh = h.shared;
    s = h.entities.get('TodoSQL')!;
    t = await todoStatements(s);
  });

  it('every template is found and prepares', () => {
    for (const sql of [
      ...t.tombstone,
      t.deleteLocalWithoutWrite,
      t.localWriteId,
      t.createStaging,
      t.dropStaging,
    ])
      expect(() => db.prepare(sql).free(), sql).not.toThrow();
    db.run(t.createStaging);
    for (const sql of [t.upsertStaging, t.deleteStaging, ...t.swap])
      expect(() => db.prepare(sql).free(), sql).not.toThrow();
  });

  it('404: a tombstone hides the synced row (no A→B→A) until the shape deletes it', () => {
    db.run(s.upsertSynced!, syncedArgs('1', 'A'));
    db.run(s.update!, ['1', 1, 'B', 0, null, 0, null]); // a pending rename
    expect(view(db)).toEqual([{ id: '1', title: 'B', _pending: 1 }]);
    const [write] = all(db, 'SELECT "write_id" FROM "_sync_outbox"');
    expect(all(db, t.localWriteId, ['1'])).toEqual([{ _write_id: write!.write_id }]);
    for (const sql of t.tombstone) db.run(sql, ['1']);
    expect(view(db)).toEqual([]); // neither B (refused) nor the stale A
    expect(
      all(db, 'SELECT "_deleted", "_write_id", "_changed", "title" FROM "todos_local"'),
    ).toEqual([{ _deleted: 1, _write_id: null, _changed: '[]', title: null }]);
    db.run(s.deleteSynced!, ['1']);
    db.run(t.deleteLocalWithoutWrite, ['1']);
    expect(all(db, 'SELECT * FROM "todos_local"')).toEqual([]);
  });

  it('404 on a key without a local row still hides it; a key the shape lacks leaves nothing', () => {
    db.run(s.upsertSynced!, syncedArgs('1', 'A'));
    for (const sql of t.tombstone) db.run(sql, ['1']);
    expect(view(db)).toEqual([]);
    for (const sql of t.tombstone) db.run(sql, ['9']);
    expect(all(db, 'SELECT "id" FROM "todos_local" ORDER BY "id"')).toEqual([{ id: '1' }]);
  });

  it('a delete message keeps a T_local row with a pending write', () => {
    db.run(s.upsertSynced!, syncedArgs('1', 'A'));
    db.run(s.update!, ['1', 1, 'B', 0, null, 0, null]);
    db.run(s.deleteSynced!, ['1']);
    db.run(t.deleteLocalWithoutWrite, ['1']);
    expect(all(db, 'SELECT "id" FROM "todos_local"')).toEqual([{ id: '1' }]);
  });

  it('must-refetch: the view keeps every row while the staging table fills, then swaps at once', () => {
    db.run(s.upsertSynced!, syncedArgs('1', 'one'));
    db.run(s.upsertSynced!, syncedArgs('2', 'two'));
    db.run(s.update!, ['2', 1, 'TWO', 0, null, 0, null]); // pending override kept throughout
    db.run('INSERT INTO "todos_local" ("id", "list_id") VALUES (?1, NULL)', ['7']); // invisible leftover
    const before = view(db);
    db.run(t.dropStaging);
    db.run(t.createStaging);
    db.run(t.upsertStaging, syncedArgs('2', 'two v2'));
    expect(view(db)).toEqual(before); // T_synced still serves the view
    db.run(t.upsertStaging, syncedArgs('3', 'three'));
    db.run(t.deleteStaging, ['3']);
    db.run(t.upsertStaging, syncedArgs('3', 'three'));
    expect(view(db)).toEqual(before);
    db.run('BEGIN');
    for (const sql of t.swap) db.run(sql);
    db.run('COMMIT');
    expect(view(db)).toEqual([
      { id: '2', title: 'TWO', _pending: 1 },
      { id: '3', title: 'three', _pending: 0 },
    ]);
    expect(all(db, 'SELECT "id" FROM "todos_local" ORDER BY "id"')).toEqual([{ id: '2' }]);
    expect(all(db, "SELECT name FROM sqlite_master WHERE name = 'todos_synced_refetch'")).toEqual(
      [],
    );
  });

  it('errors API: failed rows listed, discarded, and pruned 24 h after failedAt', () => {
    db.run(s.update!, ['1', 1, 'x', 0, null, 0, null]); // no such row: nothing written
    db.run(s.insert!, ['a', 'A', 0, null]);
    db.run(s.insert!, ['b', 'B', 0, null]);
    db.run(s.insert!, ['c', 'C', 0, null]);
    const [a, b, c] = all(db, 'SELECT "seq", "write_id" FROM "_sync_outbox" ORDER BY "seq"');
    const now = 100 * 24 * 3600 * 1000;
    const record = (failedAt: number) =>
      JSON.stringify({ status: 422, message: 'bad', body: '{}', failedAt });
    db.run(sh.markFailed!, [a!.seq!, record(now - 25 * 3600 * 1000)]);
    db.run(sh.markFailed!, [b!.seq!, record(now - 3600 * 1000)]);
    db.run(sh.markFailed!, [c!.seq!, 'plain text from an older version']);
    db.run('UPDATE "_sync_outbox" SET "created_at" = 0 WHERE "seq" = ?1', [c!.seq!]);
    expect(Object.values(all(db, sh.hasQueued!)[0]!)).toEqual([0]); // failed rows do not wait
    expect(all(db, sh.failedRows!).map((r) => r.write_id)).toEqual([
      a!.write_id,
      b!.write_id,
      c!.write_id,
    ]);
    db.run(sh.pruneFailed!, [now - 24 * 3600 * 1000]);
    expect(all(db, sh.failedRows!).map((r) => r.write_id)).toEqual([b!.write_id]);
    expect(view(db)).toEqual([]); // refused inserts are not visible
    db.run(sh.discardFailed!, [b!.write_id!]);
    expect(all(db, sh.failedRows!)).toEqual([]);
    expect(all(db, sh.rowByWriteId!, [b!.write_id!])).toEqual([]);
  });
});
