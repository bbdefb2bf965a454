/**
 * SQLite building blocks for the local schema of the sync runtime contract
 * (docs/sync-runtime-contract.md §1): quoted names, the value → JSON conversions used for outbox
 * payloads, a UUID v4 and "now in ms" that need no application-defined function (so the same
 * SQL runs in GRDB and in sql.js tests). Every identifier goes through `naming.sql.quoteIdent`
 * and every string through `sqlStringLiteral`.
 */
import { naming, type Column, type Entity } from '@sync/core';

export const q = naming.sql.quoteIdent;
export const lit = naming.sql.sqlStringLiteral;

/** A lowercase UUID v4 from `randomblob` (contract: write ids are UUID v4, lowercase). */
export const UUID_V4 =
  "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || " +
  "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || " +
  "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

/** Milliseconds since the Unix epoch (works on SQLite 3.7+, unlike `unixepoch('subsec')`). */
export const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/** The write id of the outbox row just appended (AUTOINCREMENT keeps `seq` increasing). */
export const LAST_WRITE_ID = `(SELECT ${q('write_id')} FROM ${q('_sync_outbox')} WHERE ${q('seq')} = (SELECT max(${q('seq')}) FROM ${q('_sync_outbox')}))`;

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

/**
 * JSON text of an SQL value for an outbox payload: booleans (stored 0/1) become `true`/`false`,
 * json columns are embedded as JSON, everything else goes through `json_quote` (text → string,
 * numbers → number; decimals are stored as text, so they stay exact decimal strings).
 */
export function toJson(expr: string, c: LocalColumn): string {
  if (c.storage === 'boolean') return `CASE WHEN ${expr} IS NULL THEN 'null' WHEN ${expr} THEN 'true' ELSE 'false' END`;
  if (c.storage === 'json') return `coalesce(${expr}, 'null')`;
  return `json_quote(${expr})`;
}

/** `NEW."c" IS NOT OLD."c"` for every column: the update changes at least one of them. */
export function anyChanged(cols: readonly LocalColumn[]): string {
  if (cols.length === 0) return '0';
  return cols.map((c) => `NEW.${q(c.sqlName)} IS NOT OLD.${q(c.sqlName)}`).join('\n    OR ');
}

/** `SELECT json_group_object(k, json(v)) FROM (…)`: a JSON object of the rows of `parts`. */
export function jsonObject(parts: readonly string[]): string {
  return `(SELECT json_group_object(${q('k')}, json(${q('v')})) FROM (\n      ${parts.join('\n      UNION ALL ')}\n    ))`;
}

/** Outbox columns written by the triggers, in order. */
export const OUTBOX_INSERT_COLUMNS = ['write_id', 'table_name', 'op', 'pk', 'payload', 'status', 'attempts', 'next_attempt_at', 'confirmed', 'created_at']
  .map((c) => q(c))
  .join(', ');

/** The values of an outbox row for `op` with `payload`, after {@link OUTBOX_INSERT_COLUMNS}. */
export function outboxValues(t: TableNames, op: 'insert' | 'update' | 'delete', pkExpr: string, payload: string): string {
  return [UUID_V4, lit(t.table), lit(op), `CAST(${pkExpr} AS TEXT)`, payload, "'pending'", '0', NOW_MS, t.confirmed ? '1' : '0', NOW_MS].join(',\n    ');
}
