/**
 * SQL builders, one per dialect, and the only place where generators and the dev server get DDL
 * from (packages/core/docs/sql.md). Pure functions of the IR returning plain statements.
 */
export { columnSets, script, statement, type ColumnSets, type SqlStatement } from './statement.js';
export {
  sqliteEntitySchema,
  sqliteType,
  sqliteViewSelect,
  SQLITE_ENTITY_STATEMENTS,
  SQLITE_NOW_MS,
  SQLITE_UUID_V4,
} from './sqlite.js';
export { postgresEntitySchema, postgresLocalType } from './postgres.js';
export {
  postgresServerSchema,
  serverRowJson,
  serverTextExpr,
  CHANGE_LOG_LOCK,
  NOTIFY_CHANNEL,
  POSTGRES_SERVER_TYPES,
  type ServerTable,
} from './server.js';
