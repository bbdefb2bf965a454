/**
 * Plain-data SQL statements, the output of every builder in this folder. Generators place
 * `sql` in their templates or files unchanged; `name` says what the statement is (its constant's
 * name in generated code). Statements carry no trailing semicolon.
 */
import type { Column, Entity } from '../ir/types.js';
import { quoteIdent, sqlStringLiteral } from '../naming/sql.js';

export interface SqlStatement {
  name: string;
  sql: string;
}

export const q = quoteIdent;
export const lit = sqlStringLiteral;

/** The statement called `name` (throws when the builder did not produce it). */
export function statement(statements: readonly SqlStatement[], name: string): string {
  const s = statements.find((x) => x.name === name);
  if (s === undefined) throw new Error(`no SQL statement named ${name}`);
  return s.sql;
}

/** `stmt;\n` per statement: a script for `exec`-style APIs. */
export function script(statements: readonly SqlStatement[]): string {
  return statements.map((s) => `${s.sql};\n`).join('');
}

/**
 * The contract's column sets of a live entity (docs/sync-runtime-contract.md §1): the key `P`,
 * the synced columns `S` without `P`, the local-only columns `L`, in IR order.
 */
export interface ColumnSets {
  pk: Column;
  synced: Column[];
  local: Column[];
}

export function columnSets(e: Pick<Entity, 'name' | 'columns'>): ColumnSets {
  const pk = e.columns.find((c) => c.primaryKey);
  if (!pk) throw new Error(`live entity ${e.name} has no primary key column`);
  return {
    pk,
    synced: e.columns.filter((c) => c.synced && !c.primaryKey),
    local: e.columns.filter((c) => !c.synced && !c.primaryKey),
  };
}

/** The local-schema table names of entity table `T`. */
export const localTables = (table: string) => ({
  view: table,
  synced: `${table}_synced`,
  local: `${table}_local`,
});
