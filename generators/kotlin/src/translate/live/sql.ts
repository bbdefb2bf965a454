/**
 * The SQLite schema of one live entity (sync-runtime-contract §1), every identifier quoted with
 * core's `naming.sql.quoteIdent`. The DDL mirrors what Room derives from the `@Entity` classes
 * (affinity from the Kotlin type, NOT NULL for non-null properties) so a migration's tables pass
 * Room's schema validation. The view avoids FULL OUTER JOIN (SQLite < 3.39 on older Android) and
 * JSON1 (`json_each`): a column counts as changed when `,"name",` occurs in `,<_changed body>,`,
 * which is exact for the compact JSON arrays the runtime writes.
 */
import { naming, syncedSchemaHash, type Entity } from '@sync/core';
import { storageSqlType } from '../../type-map.js';

const q = naming.sql.quoteIdent;
const lit = naming.sql.sqlStringLiteral;

export interface EntitySql {
  createSynced: string;
  createLocal: string;
  viewSelect: string;
  createView: string;
  selectAll: string;
  selectOne: string;
  selectLocal: string;
  schemaHash: string;
}

type SqlColumn = Entity['columns'][number] & { sql: string };

/** The entity's columns with their local SQLite names. */
function sqlColumns(entity: Entity): SqlColumn[] {
  return entity.columns.map((c) => ({ ...c, sql: c.localName }));
}

function columnDefs(columns: SqlColumn[], forceNullable: boolean): string[] {
  return columns.map((c) => `${q(c.sql)} ${storageSqlType(c.storage)}${c.primaryKey || (!forceNullable && !c.nullable) ? ' NOT NULL' : ''}`);
}

function viewSelect(entity: Entity, columns: SqlColumn[], pkSql: string): string {
  const pk = q(pkSql);
  const changed = (name: string): string =>
    `instr(',' || substr(l."_changed", 2, length(l."_changed") - 2) || ',', ${lit(`,${JSON.stringify(name)},`)}) > 0`;
  const joined = columns.map((c) => {
    if (c.primaryKey) return `s.${q(c.sql)} AS ${q(c.sql)}`;
    if (!c.synced) return `l.${q(c.sql)} AS ${q(c.sql)}`;
    return `CASE WHEN l.${pk} IS NOT NULL AND ${changed(c.name)} THEN l.${q(c.sql)} ELSE s.${q(c.sql)} END AS ${q(c.sql)}`;
  });
  const localOnly = columns.map((c) => `l.${q(c.sql)} AS ${q(c.sql)}`);
  const synced = q(`${entity.table}_synced`);
  const local = q(`${entity.table}_local`);
  return [
    `SELECT ${joined.join(', ')}, CASE WHEN l."_write_id" IS NOT NULL THEN 1 ELSE 0 END AS "_pending"`,
    `FROM ${synced} AS s LEFT JOIN ${local} AS l ON l.${pk} = s.${pk}`,
    `WHERE l.${pk} IS NULL OR l."_deleted" = 0`,
    'UNION ALL',
    `SELECT ${localOnly.join(', ')}, CASE WHEN l."_write_id" IS NOT NULL THEN 1 ELSE 0 END AS "_pending"`,
    `FROM ${local} AS l WHERE l."_deleted" = 0 AND NOT EXISTS (SELECT 1 FROM ${synced} AS s WHERE s.${pk} = l.${pk})`,
  ].join(' ');
}

export function entitySql(entity: Entity): EntitySql {
  const columns = sqlColumns(entity);
  const pkSql = columns.find((c) => c.primaryKey)?.sql ?? entity.primaryKey!.field;
  const pk = q(pkSql);
  const syncedCols = columns.filter((c) => c.synced);
  const synced = `CREATE TABLE IF NOT EXISTS ${q(`${entity.table}_synced`)} (${[...columnDefs(syncedCols, false), `PRIMARY KEY(${pk})`].join(', ')})`;
  const localDefs = [...columnDefs(columns, true), '"_changed" TEXT NOT NULL', '"_deleted" INTEGER NOT NULL', '"_write_id" TEXT', `PRIMARY KEY(${pk})`];
  const select = viewSelect(entity, columns, pkSql);
  return {
    createSynced: synced,
    createLocal: `CREATE TABLE IF NOT EXISTS ${q(`${entity.table}_local`)} (${localDefs.join(', ')})`,
    viewSelect: select,
    createView: `CREATE VIEW IF NOT EXISTS ${q(entity.table)} AS ${select}`,
    selectAll: `SELECT * FROM ${q(entity.table)} ORDER BY ${pk}`,
    selectOne: `SELECT * FROM ${q(entity.table)} WHERE ${pk} = :id`,
    selectLocal: `SELECT * FROM ${q(`${entity.table}_local`)} WHERE ${pk} = :id`,
    schemaHash: syncedSchemaHash(entity),
  };
}
