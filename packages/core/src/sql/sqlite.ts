/**
 * The local schema of one live entity in SQLite (docs/sync-runtime-contract.md §1), shared by
 * Swift/GRDB and Kotlin/Room: `T_synced`, `T_local`, the view `T` and its INSTEAD OF triggers.
 * Pure string building; every identifier is quoted, every literal escaped (names come from specs).
 *
 * - Column names are the IR's `localName` (SQLite compares names case-insensitively); JSON keys,
 *   `_changed` entries and outbox payloads use the wire `name`.
 * - Nullability (packages/core/docs/sql.md): only the key is NOT NULL. `T_synced` holds what the
 *   server sent: a shape update carries only the changed columns and the shape consumer upserts
 *   them, and a server that breaks its own spec must not stall sync; `T_local` holds overrides.
 * - The view is a UNION ALL of two selects rather than a FULL OUTER JOIN (SQLite 3.39+ only) and
 *   does not use JSON1 (older Android SQLite): a column is in `_changed` when `,"name",` occurs
 *   in `,<_changed without brackets>,`, exact for the compact JSON arrays the runtimes write.
 * - The triggers (GRDB; Room writes both tables from its DAO with the same effects) use JSON1.
 */
import type { Column, ColumnStorage, Entity } from '../ir/types.js';
import { columnSets, lit, localTables, q, type SqlStatement } from './statement.js';

/** SQLite column type per storage class: INTEGER, REAL, or TEXT (decimal exact as text, temporal as sent, json as text, bytes as base64). */
export function sqliteType(storage: ColumnStorage): 'TEXT' | 'INTEGER' | 'REAL' {
  switch (storage) {
    case 'int32':
    case 'int64':
    case 'boolean':
      return 'INTEGER';
    case 'float':
    case 'double':
      return 'REAL';
    default:
      return 'TEXT';
  }
}

/** A lowercase UUID v4 from `randomblob` (no application-defined function needed). */
export const SQLITE_UUID_V4 =
  "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || " +
  "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || " +
  "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

/** Milliseconds since the Unix epoch (SQLite 3.7+, unlike `unixepoch('subsec')`). */
export const SQLITE_NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";

/** The write id of the outbox row just appended (AUTOINCREMENT keeps `seq` increasing). */
const LAST_WRITE_ID = `(SELECT "write_id" FROM "_sync_outbox" WHERE "seq" = (SELECT max("seq") FROM "_sync_outbox"))`;

const OUTBOX_COLUMNS = [
  'write_id',
  'table_name',
  'op',
  'pk',
  'payload',
  'status',
  'attempts',
  'next_attempt_at',
  'confirmed',
  'created_at',
]
  .map((c) => q(c))
  .join(', ');

const col = (c: Column): string => q(c.localName);

const columnDef = (c: Column): string =>
  c.primaryKey
    ? `${col(c)} ${sqliteType(c.storage)} NOT NULL PRIMARY KEY`
    : `${col(c)} ${sqliteType(c.storage)}`;

/**
 * JSON text of an SQL value for an outbox payload: booleans (0/1) → `true`/`false`, json columns
 * embedded, everything else `json_quote` (decimals are text, so they stay exact strings).
 */
function toJson(expr: string, c: Column): string {
  if (c.storage === 'boolean')
    return `CASE WHEN ${expr} IS NULL THEN 'null' WHEN ${expr} THEN 'true' ELSE 'false' END`;
  if (c.storage === 'json') return `coalesce(${expr}, 'null')`;
  return `json_quote(${expr})`;
}

/** `SELECT json_group_object(k, json(v)) FROM (…)`: a JSON object of the rows of `parts`. */
function jsonObject(parts: readonly string[]): string {
  return `(SELECT json_group_object("k", json("v")) FROM (\n      ${parts.join('\n      UNION ALL ')}\n    ))`;
}

function outboxValues(
  e: Entity,
  op: 'insert' | 'update' | 'delete',
  pkExpr: string,
  payload: string,
): string {
  const confirmed = e.sync.localFirst ? '0' : '1';
  return [
    SQLITE_UUID_V4,
    lit(e.table),
    lit(op),
    `CAST(${pkExpr} AS TEXT)`,
    payload,
    "'pending'",
    '0',
    SQLITE_NOW_MS,
    confirmed,
    SQLITE_NOW_MS,
  ].join(',\n    ');
}

/** `T_synced`: the key and the synced columns; written only by the shape consumer. */
function createSynced(e: Entity): string {
  const { pk, synced } = columnSets(e);
  const cols = [pk, ...synced].map(columnDef);
  return `CREATE TABLE IF NOT EXISTS ${q(localTables(e.table).synced)} (\n  ${cols.join(',\n  ')}\n)`;
}

/** `T_local`: the key, every synced and local-only column, and the override bookkeeping. */
function createLocal(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const cols = [
    ...[pk, ...synced, ...local].map(columnDef),
    `"_changed" TEXT NOT NULL DEFAULT '[]'`,
    `"_deleted" INTEGER NOT NULL DEFAULT 0`,
    `"_write_id" TEXT`,
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(localTables(e.table).local)} (\n  ${cols.join(',\n  ')}\n)`;
}

/** `c ∈ l._changed`, without JSON1. */
const inChanged = (c: Column): string =>
  `instr(',' || substr(l."_changed", 2, length(l."_changed") - 2) || ',', ${lit(`,${JSON.stringify(c.name)},`)}) > 0`;

/**
 * The view's SELECT (contract §1): a key is visible while it is synced (in `T_synced`, not
 * `_deleted` locally) or has a pending insert (an outbox `insert` of its key that has not
 * failed). Synced columns come from `T_local` when in `_changed`. Columns: P, S, L, `_pending`.
 */
export function sqliteViewSelect(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const t = localTables(e.table);
  const P = col(pk);
  const pending = `(l."_write_id" IS NOT NULL) AS "_pending"`;
  const syncedSide = [
    `s.${P} AS ${P}`,
    ...synced.map(
      (c) =>
        `CASE WHEN l.${P} IS NOT NULL AND ${inChanged(c)} THEN l.${col(c)} ELSE s.${col(c)} END AS ${col(c)}`,
    ),
    ...local.map((c) => `l.${col(c)} AS ${col(c)}`),
    pending,
  ];
  const localSide = [
    `l.${P} AS ${P}`,
    ...[...synced, ...local].map((c) => `l.${col(c)} AS ${col(c)}`),
    pending,
  ];
  return [
    `SELECT\n  ${syncedSide.join(',\n  ')}`,
    `FROM ${q(t.synced)} AS s LEFT JOIN ${q(t.local)} AS l ON l.${P} = s.${P}`,
    `WHERE l.${P} IS NULL OR l."_deleted" = 0`,
    'UNION ALL',
    `SELECT\n  ${localSide.join(',\n  ')}`,
    `FROM ${q(t.local)} AS l`,
    `WHERE l."_deleted" = 0`,
    `  AND NOT EXISTS (SELECT 1 FROM ${q(t.synced)} AS s WHERE s.${P} = l.${P})`,
    `  AND EXISTS (SELECT 1 FROM "_sync_outbox" AS o WHERE o."table_name" = ${lit(e.table)} AND o."pk" = CAST(l.${P} AS TEXT) AND o."op" = 'insert' AND o."status" <> 'failed')`,
  ].join('\n');
}

const triggerName = (e: Entity, op: 'insert' | 'update' | 'delete'): string =>
  q(`${e.table}_${op}`);

/**
 * INSTEAD OF INSERT: outbox row `insert` with `{P, …given S}` (given = not NULL: SQLite cannot
 * tell an omitted column from NULL), then upsert `T_local` with every given value, `_changed` =
 * the given synced columns, `_deleted = 0` and the new write id.
 */
function insertTrigger(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const t = localTables(e.table);
  const P = col(pk);
  const payload = jsonObject([
    `SELECT ${lit(pk.name)} AS "k", ${toJson(`NEW.${P}`, pk)} AS "v"`,
    ...synced.map(
      (c) => `SELECT ${lit(c.name)}, ${toJson(`NEW.${col(c)}`, c)} WHERE NEW.${col(c)} IS NOT NULL`,
    ),
  ]);
  const changed =
    synced.length === 0
      ? "'[]'"
      : `(SELECT json_group_array("k") FROM (\n      ${synced.map((c) => `SELECT ${lit(c.name)} AS "k" WHERE NEW.${col(c)} IS NOT NULL`).join('\n      UNION ALL ')}\n    ))`;
  const cols = [pk, ...synced, ...local];
  const names = [...cols.map(col), '"_changed"', '"_deleted"', '"_write_id"'];
  const values = [...cols.map((c) => `NEW.${col(c)}`), changed, '0', LAST_WRITE_ID];
  const sets = names.slice(1).map((n) => `${n} = excluded.${n}`);
  return [
    `CREATE TRIGGER ${triggerName(e, 'insert')} INSTEAD OF INSERT ON ${q(t.view)}`,
    'BEGIN',
    `  INSERT INTO "_sync_outbox" (${OUTBOX_COLUMNS})`,
    `  VALUES (\n    ${outboxValues(e, 'insert', `NEW.${P}`, payload)}\n  );`,
    `  INSERT INTO ${q(t.local)} (${names.join(', ')})`,
    `  VALUES (\n    ${values.join(',\n    ')}\n  )`,
    `  ON CONFLICT (${P}) DO UPDATE SET\n    ${sets.join(',\n    ')};`,
    'END',
  ].join('\n');
}

/**
 * INSTEAD OF UPDATE: synced columns whose value changed go into `_changed` (set union) and into an
 * outbox row `update` with `{P, …changed S}`; local-only columns are stored in `T_local` only. No
 * synced column changed → no outbox row and `_write_id` untouched.
 */
function updateTrigger(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const t = localTables(e.table);
  const P = col(pk);
  const changedCol = (c: Column): string => `NEW.${col(c)} IS NOT OLD.${col(c)}`;
  const changedAny = synced.length === 0 ? '0' : synced.map(changedCol).join('\n    OR ');
  const payload = jsonObject([
    `SELECT ${lit(pk.name)} AS "k", ${toJson(`OLD.${P}`, pk)} AS "v"`,
    ...synced.map(
      (c) => `SELECT ${lit(c.name)}, ${toJson(`NEW.${col(c)}`, c)} WHERE ${changedCol(c)}`,
    ),
  ]);
  const union = [
    `SELECT json_each.value AS "k" FROM json_each(${q(t.local)}."_changed")`,
    ...synced.map((c) => `SELECT ${lit(c.name)} WHERE ${changedCol(c)}`),
  ];
  const sets = [
    ...synced.map(
      (c) => `${col(c)} = CASE WHEN ${changedCol(c)} THEN NEW.${col(c)} ELSE ${col(c)} END`,
    ),
    ...local.map((c) => `${col(c)} = NEW.${col(c)}`),
    `"_changed" = (SELECT json_group_array("k") FROM (\n      ${union.join('\n      UNION ')}\n    ))`,
    `"_write_id" = CASE WHEN ${changedAny} THEN ${LAST_WRITE_ID} ELSE "_write_id" END`,
  ];
  return [
    `CREATE TRIGGER ${triggerName(e, 'update')} INSTEAD OF UPDATE ON ${q(t.view)}`,
    'BEGIN',
    `  INSERT INTO "_sync_outbox" (${OUTBOX_COLUMNS})`,
    `  SELECT\n    ${outboxValues(e, 'update', `OLD.${P}`, payload)}`,
    `  WHERE ${changedAny};`,
    `  INSERT INTO ${q(t.local)} (${P}) VALUES (OLD.${P}) ON CONFLICT (${P}) DO NOTHING;`,
    `  UPDATE ${q(t.local)} SET\n    ${sets.join(',\n    ')}`,
    `  WHERE ${P} = OLD.${P};`,
    'END',
  ].join('\n');
}

/** INSTEAD OF DELETE: outbox row `delete` with `{P}`; `T_local._deleted = 1` and the new write id. */
function deleteTrigger(e: Entity): string {
  const { pk } = columnSets(e);
  const t = localTables(e.table);
  const P = col(pk);
  const payload = `json_object(${lit(pk.name)}, json(${toJson(`OLD.${P}`, pk)}))`;
  return [
    `CREATE TRIGGER ${triggerName(e, 'delete')} INSTEAD OF DELETE ON ${q(t.view)}`,
    'BEGIN',
    `  INSERT INTO "_sync_outbox" (${OUTBOX_COLUMNS})`,
    `  VALUES (\n    ${outboxValues(e, 'delete', `OLD.${P}`, payload)}\n  );`,
    `  INSERT INTO ${q(t.local)} (${P}, "_deleted", "_write_id")`,
    `  VALUES (OLD.${P}, 1, ${LAST_WRITE_ID})`,
    `  ON CONFLICT (${P}) DO UPDATE SET "_deleted" = 1, "_write_id" = excluded."_write_id";`,
    'END',
  ].join('\n');
}

export const SQLITE_ENTITY_STATEMENTS = [
  'createSynced',
  'createLocal',
  'createView',
  'insertTrigger',
  'updateTrigger',
  'deleteTrigger',
  'dropView',
  'dropSynced',
] as const;

/**
 * Every schema statement of one live entity, in execution order: the two tables, the view, its
 * three triggers, then the two drops a schema upgrade (§6) runs before recreating `T_synced` and
 * the view (dropping the view drops its triggers).
 */
export function sqliteEntitySchema(e: Entity): SqlStatement[] {
  const t = localTables(e.table);
  const sql: Record<(typeof SQLITE_ENTITY_STATEMENTS)[number], string> = {
    createSynced: createSynced(e),
    createLocal: createLocal(e),
    createView: `CREATE VIEW ${q(t.view)} AS\n${sqliteViewSelect(e)}`,
    insertTrigger: insertTrigger(e),
    updateTrigger: updateTrigger(e),
    deleteTrigger: deleteTrigger(e),
    dropView: `DROP VIEW IF EXISTS ${q(t.view)}`,
    dropSynced: `DROP TABLE IF EXISTS ${q(t.synced)}`,
  };
  return SQLITE_ENTITY_STATEMENTS.map((name) => ({ name, sql: sql[name] }));
}
