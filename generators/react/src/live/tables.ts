/**
 * Local schema SQL, Postgres/PGlite dialect (docs/sync-runtime-contract.md §1, §6): the shared
 * sync tables, and per live entity `T_synced`, `T_local` and the view `T`. Pure string building;
 * every identifier goes through core's `naming.sql.quoteIdent` and every literal through
 * `sqlStringLiteral`, because table and column names come from user specs.
 */
import { naming, type Column, type ColumnStorage, type Entity } from '@sync/core';

export const q = (name: string): string => naming.sql.quoteIdent(name);
export const lit = (value: string): string => naming.sql.sqlStringLiteral(value);

/**
 * Local SQL type per storage class. Temporal values and bytes stay the text the server sent
 * (ISO-8601 / base64), so rows read back exactly as the REST models type them (`string`).
 */
const SQL_TYPE: Record<ColumnStorage, string> = {
  text: 'text',
  uuid: 'uuid',
  int32: 'integer',
  int64: 'bigint',
  float: 'real',
  double: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'text',
  timestamp: 'text',
  time: 'text',
  json: 'jsonb',
  bytes: 'text',
};

export const sqlType = (c: Pick<Column, 'storage'>): string => SQL_TYPE[c.storage];

/** Names of the bookkeeping columns of `T_local` and the view; a spec column may not use them. */
export const RESERVED_COLUMNS: ReadonlySet<string> = new Set([
  '_changed',
  '_deleted',
  '_write_id',
  '_pending',
]);

/** The entity's columns split as the contract names them: P, S (synced, without P), L. */
export function columnSets(e: Entity): { pk: Column; synced: Column[]; local: Column[] } {
  const pk = e.columns.find((c) => c.primaryKey);
  if (!pk) throw new Error(`live entity ${e.name} has no primary key column`);
  return {
    pk,
    synced: e.columns.filter((c) => c.synced && !c.primaryKey),
    local: e.columns.filter((c) => !c.synced && !c.primaryKey),
  };
}

/** `CREATE TABLE "T_synced"`: P and S, written only by the shape consumer. */
export function syncedTableSql(e: Entity): string {
  const { pk, synced } = columnSets(e);
  const cols = [
    `  ${q(pk.name)} ${sqlType(pk)} PRIMARY KEY`,
    ...synced.map((c) => `  ${q(c.name)} ${sqlType(c)}`),
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(`${e.table}_synced`)} (\n${cols.join(',\n')}\n);\n`;
}

/** `CREATE TABLE "T_local"`: P, S and L (nullable), plus the override bookkeeping. */
export function localTableSql(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const cols = [
    `  ${q(pk.name)} ${sqlType(pk)} PRIMARY KEY`,
    ...[...synced, ...local].map((c) => `  ${q(c.name)} ${sqlType(c)}`),
    `  "_changed" text[] NOT NULL DEFAULT '{}'`,
    `  "_deleted" boolean NOT NULL DEFAULT false`,
    `  "_write_id" text`,
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(`${e.table}_local`)} (\n${cols.join(',\n')}\n);\n`;
}

/**
 * The view `T` of §1: a row is visible while it is synced (in `T_synced`, not `_deleted`
 * locally) or has a pending insert (an outbox `insert` of its key that has not failed); synced
 * columns come from `T_local` when in `_changed`. A `T_local` row that is neither (it only holds
 * local-only values of a row deleted elsewhere, or of a refused insert) is not shown: no ghost
 * rows. Written as a UNION ALL of "synced rows with their local overrides" and "rows with a
 * pending insert" so that a primary-key predicate reaches both tables' indexes (the runtime
 * refreshes changed keys with one such query).
 */
export function viewSql(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const P = q(pk.name);
  const branch = (from: 's' | 'l') => [
    `  ${from}.${P} AS ${P}`,
    ...synced.map(
      (c) =>
        `  CASE WHEN ${lit(c.name)} = ANY (l."_changed") THEN l.${q(c.name)} ELSE ${from === 's' ? `s.${q(c.name)}` : 'NULL'} END AS ${q(c.name)}`,
    ),
    ...local.map((c) => `  l.${q(c.name)} AS ${q(c.name)}`),
    `  (l."_write_id" IS NOT NULL) AS "_pending"`,
  ];
  const S = q(`${e.table}_synced`);
  const L = q(`${e.table}_local`);
  return `CREATE VIEW ${q(e.table)} AS SELECT
${branch('s').join(',\n')}
FROM ${S} s LEFT JOIN ${L} l ON l.${P} = s.${P}
WHERE l."_deleted" IS NOT TRUE
UNION ALL SELECT
${branch('l').join(',\n')}
FROM ${L} l
WHERE NOT l."_deleted" AND NOT EXISTS (SELECT 1 FROM ${S} s WHERE s.${P} = l.${P})
  AND EXISTS (SELECT 1 FROM "_sync_outbox" o WHERE o."table_name" = ${lit(e.table)} AND o."pk" = l.${P}::text AND o."op" = 'insert' AND o."status" <> 'failed');
`;
}
