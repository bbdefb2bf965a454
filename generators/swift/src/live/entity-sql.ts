/**
 * Every SQL statement of one live entity, by the name of its Swift constant in `<Entity>SQL`
 * (the runtime's `SyncTableSQL` has one property per name). Statement order is the order of the
 * constants in the generated file.
 */
import type { Entity } from '@sync/core';
import * as ops from './sql-ops.js';
import * as schema from './sql-schema.js';
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
  const [dropView, dropSynced] = schema.dropViewAndSynced(t) as [string, string];
  return {
    createSynced: schema.createSynced(t),
    createLocal: schema.createLocal(t),
    createView: schema.createView(t),
    insertTrigger: schema.insertTrigger(t),
    updateTrigger: schema.updateTrigger(t),
    deleteTrigger: schema.deleteTrigger(t),
    dropView,
    dropSynced,
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
