/**
 * Every SQL statement of one live entity, by the name of its Swift constant in `<Entity>SQL`
 * (the runtime's `SyncTableSQL` has one property per name). Statement order is the order of the
 * constants in the generated file. The schema statements (tables, view, triggers, drops) are
 * core's SQLite builder's, unchanged (the same as Kotlin's); the rest are the runtime's queries.
 */
import { sql, type Entity } from '@sync/core';
import * as ops from './sql-ops.js';
import { tableNames } from './sql-parts.js';

export const STATEMENT_NAMES = [
  'createSynced',
  'createLocal',
  'createView',
  'insertTrigger',
  'updateTrigger',
  'deleteTrigger',
  'dropView',
  'dropSynced',
  'selectAll',
  'selectByKey',
  'insert',
  'update',
  'delete',
  'upsertSynced',
  'deleteSynced',
  'clearSynced',
  'reconcile',
  'reconcileDeleted',
  'deleteEmptyLocal',
  'restoreLocal',
] as const;

export type StatementName = (typeof STATEMENT_NAMES)[number];

export function entityStatements(e: Entity): Record<StatementName, string> {
  const t = tableNames(e);
  const schema = sql.sqliteEntitySchema(e);
  const s = (name: (typeof sql.SQLITE_ENTITY_STATEMENTS)[number]) => sql.statement(schema, name);
  return {
    createSynced: s('createSynced'),
    createLocal: s('createLocal'),
    createView: s('createView'),
    insertTrigger: s('insertTrigger'),
    updateTrigger: s('updateTrigger'),
    deleteTrigger: s('deleteTrigger'),
    dropView: s('dropView'),
    dropSynced: s('dropSynced'),
    selectAll: ops.selectAll(t),
    selectByKey: ops.selectByKey(t),
    insert: ops.insert(t),
    update: ops.update(t),
    delete: ops.remove(t),
    upsertSynced: ops.upsertSynced(t),
    deleteSynced: ops.deleteSynced(t),
    clearSynced: ops.clearSynced(t),
    reconcile: ops.reconcile(t),
    reconcileDeleted: ops.reconcileDeleted(t),
    deleteEmptyLocal: ops.deleteEmptyLocal(t),
    restoreLocal: ops.restoreLocal(t),
  };
}
