/**
 * Column-level facts of a live entity for the Swift runtime descriptor: the view's column order
 * and each column's runtime storage case.
 */
import type { Entity } from '@sync/core';
import { localColumns, type LocalColumn } from '../live/sql-parts.js';
import { fitCall, stringLiteral } from '../naming.js';

/** The view's columns in the order of `SyncTable.columns` and of the insert/update arguments. */
export function viewColumns(e: Entity): LocalColumn[] {
  const cols = localColumns(e);
  return [...cols.filter((c) => c.primaryKey), ...cols.filter((c) => c.synced && !c.primaryKey), ...cols.filter((c) => !c.synced)];
}

/**
 * `SyncColumn("first_name", .text, nullable: false, synced: true),` — no placeholder: a view row
 * never shows a value no one wrote (issue #19; see live-row.ts for what the model does instead).
 */
export function columnDescriptor(c: LocalColumn): string {
  const args = [stringLiteral(c.name), `.${c.storage}`, ...(c.sqlName === c.name ? [] : [`sqlName: ${stringLiteral(c.sqlName)}`])];
  return fitCall('SyncColumn', [...args, `nullable: ${c.nullable}`, `synced: ${c.synced}`], '      ', ',');
}
