/**
 * The SQL of one live entity's table object. The schema (`T_synced`, `T_local`, the view's SELECT
 * for `@DatabaseView` and `CREATE VIEW`) is core's SQLite builder's, unchanged and the same as
 * Swift's; Room's entity classes match it (only the key is NOT NULL: see `columns.ts`). The reads
 * below are the DAO's queries. Every identifier quoted with core's `naming.sql.quoteIdent`.
 */
import { naming, sql, syncedSchemaHash, type Entity } from '@sync/core';

const q = naming.sql.quoteIdent;

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

export function entitySql(entity: Entity): EntitySql {
  const schema = sql.sqliteEntitySchema(entity);
  const pk = q(sql.columnSets(entity).pk.localName);
  return {
    createSynced: sql.statement(schema, 'createSynced'),
    createLocal: sql.statement(schema, 'createLocal'),
    viewSelect: sql.sqliteViewSelect(entity),
    createView: sql.statement(schema, 'createView'),
    selectAll: `SELECT * FROM ${q(entity.table)} ORDER BY ${pk}`,
    selectOne: `SELECT * FROM ${q(entity.table)} WHERE ${pk} = :id`,
    selectLocal: `SELECT * FROM ${q(`${entity.table}_local`)} WHERE ${pk} = :id`,
    schemaHash: syncedSchemaHash(entity),
  };
}
