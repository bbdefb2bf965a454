/**
 * The database schema: entity tables, the internal `_sync_*` tables, and one AFTER trigger per
 * entity table that appends every row change to the change log in the writing transaction. The
 * SQL comes from core's Postgres builder (`sql.postgresServerSchema`, packages/core/docs/sql.md);
 * this module maps the dev server's table model onto it. Why a trigger, and why an advisory lock
 * serialises change-log writers: see the builder and ARCHITECTURE.md (the shape feed relies on
 * committed log rows being a prefix of the sequence).
 */
import { sql } from '@sync/core';
import type { Model, TableModel } from './model.js';

export const CHANGE_LOG_LOCK = sql.CHANGE_LOG_LOCK;
export const NOTIFY_CHANNEL = sql.NOTIFY_CHANNEL;

/** The sequence behind a `number` (float/double/decimal) primary key: NestJS DTOs declare ids so. */
export function keySequence(t: TableModel): string {
  return `_sync_seq_${t.rowFn.slice('_sync_row_'.length)}`;
}

function serverTable(t: TableModel): sql.ServerTable {
  return {
    table: t.table,
    columns: t.columns,
    pk: t.pk.name,
    rowFn: t.rowFn,
    captureFn: t.captureFn,
    keySequence: keySequence(t),
  };
}

/** The row `row` of `t` as a jsonb object of Postgres text values (what the row function returns). */
export function rowJsonExpr(t: TableModel, row: string): string {
  return sql.serverRowJson(t, row);
}

/** A column's text rendering (Postgres' text output; booleans as t/f), for SQL-built messages. */
export function textExpr(c: TableModel['columns'][number], row: string): string {
  return sql.serverTextExpr(c, row);
}

/** The whole schema as one script (idempotent: it runs at every start). */
export function schemaDdl(model: Model): string {
  return sql.script(sql.postgresServerSchema([...model.tables.values()].map(serverTable)));
}
