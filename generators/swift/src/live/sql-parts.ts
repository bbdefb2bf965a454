/**
 * SQLite names for the runtime's statements of a live entity (`sql-ops.ts`: reads, shape apply,
 * reconciliation). The schema itself (tables, view, triggers) comes from core's SQLite builder.
 * Every identifier goes through `naming.sql.quoteIdent` and every string through `sqlStringLiteral`.
 */
import { naming, type Column, type Entity } from '@sync/core';

export const q = naming.sql.quoteIdent;
export const lit = naming.sql.sqlStringLiteral;

/** A column with its SQLite name (`localName`, decided by core: see the IR's `Column`). */
export interface LocalColumn extends Column {
  sqlName: string;
}

/** The entity's columns with their SQLite names, in IR order. */
export function localColumns(e: Entity): LocalColumn[] {
  return e.columns.map((c) => ({ ...c, sqlName: c.localName }));
}

/** The names every statement of one entity uses. */
export interface TableNames {
  table: string;
  view: string;
  synced: string;
  local: string;
  pk: LocalColumn;
  /** Synced columns without the primary key (`S \ {P}`). */
  synced_: LocalColumn[];
  /** Local-only columns (`L`). */
  localOnly: LocalColumn[];
  confirmed: boolean;
}

export function tableNames(e: Entity): TableNames {
  const cols = localColumns(e);
  const pk = cols.find((c) => c.primaryKey);
  if (!pk) throw new Error(`live entity ${e.name} has no primary key column`);
  return {
    table: e.table,
    view: q(e.table),
    synced: q(`${e.table}_synced`),
    local: q(`${e.table}_local`),
    pk,
    synced_: cols.filter((c) => c.synced && !c.primaryKey),
    localOnly: cols.filter((c) => !c.synced),
    confirmed: !e.sync.localFirst,
  };
}
