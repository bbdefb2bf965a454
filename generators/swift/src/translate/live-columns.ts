/**
 * Column-level facts of a live entity for the Swift runtime descriptor: the view's column order
 * and each column's runtime storage case.
 */
import type { Entity } from '@sync/core';
import { localColumns, type LocalColumn } from '../live/sql-parts.js';

/** The view's columns in the order of `SyncTable.columns` and of the insert/update arguments. */
export function viewColumns(e: Entity): LocalColumn[] {
  const cols = localColumns(e);
  return [...cols.filter((c) => c.primaryKey), ...cols.filter((c) => c.synced && !c.primaryKey), ...cols.filter((c) => !c.synced)];
}
