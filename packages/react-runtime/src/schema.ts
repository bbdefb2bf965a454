/**
 * The `LiveSchema` value that `@sync/react` generates (`live/schema.ts`) and `createSyncClient`
 * consumes: everything the runtime needs to know about each live entity — its tables, columns,
 * REST write operations, write mode — plus the local-schema SQL (contract §1) the generator
 * produced. The runtime never derives SQL DDL itself; it only applies what was generated.
 */

/** Storage class of a column (the IR's `ColumnStorage`). */
export type LiveStorage =
  | 'text'
  | 'uuid'
  | 'int32'
  | 'int64'
  | 'float'
  | 'double'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'json'
  | 'bytes';

export interface LiveColumn {
  name: string;
  storage: LiveStorage;
  nullable: boolean;
  primaryKey: boolean;
  /** False for `x-sync-exclude` (local-only) columns. */
  synced: boolean;
}

/** A REST write: method, path template and where each `{param}` takes its value from. */
export interface LiveOperation {
  method: 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  /**
   * Parameter wire name → the row column that fills it: the path's parameters, and the write's
   * required query / header parameters bound to a column (IR `Entity.bindings`, e.g.
   * `?expected_version=` ← `version`). `in` defaults to `path`.
   */
  params: { name: string; column: string; in?: 'path' | 'query' | 'header' }[];
}

/** The local-schema SQL of one entity (generated, Postgres dialect). */
export interface LiveEntitySql {
  /** `CREATE TABLE "T_synced"`. */
  synced: string;
  /** `CREATE TABLE "T_local"`. */
  local: string;
  /** `CREATE VIEW "T"` plus its INSTEAD OF triggers. */
  view: string;
}

export interface LiveEntity {
  name: string;
  table: string;
  primaryKey: string;
  columns: LiveColumn[];
  /** `local_first: false`: mutations settle with the server's answer. */
  confirmed: boolean;
  operations: {
    create: LiveOperation | null;
    update: LiveOperation | null;
    delete: LiveOperation | null;
  };
  /** Contract §6: SHA-256 of the synced columns (`name:storage:nullable`, newline-joined). */
  schemaHash: string;
  sql: LiveEntitySql;
}

export interface LiveSchema {
  /** The live entities; the runtime's shared tables are its own (db/shared-schema.ts). */
  entities: LiveEntity[];
  /**
   * The backend's batch write operation (`x-sync-batch`, docs/backend-contract.md "Batch
   * writes"): the outbox sends its writes there, `outboxBatchSize` at a time. Absent: one
   * request per write.
   */
  batch?: { method: 'POST'; path: string };
}

/** The entity of `table`, or an error naming the known tables. */
export function entityOf(schema: LiveSchema, table: string): LiveEntity {
  const e = schema.entities.find((x) => x.table === table);
  if (!e)
    throw new Error(
      `no live entity "${table}" (known: ${schema.entities.map((x) => x.table).join(', ')})`,
    );
  return e;
}

/** Always-quoted SQL identifier, identical to `@sync/core`'s `naming.sql.quoteIdent` (which the
 * generator uses); duplicated because core is a Node-only package and this runs in browsers. */
export function ident(name: string): string {
  if (name === '' || name.includes('\0')) throw new Error(`invalid SQL identifier ${name}`);
  return `"${name.replaceAll('"', '""')}"`;
}

const PK_SQL_TYPE: Partial<Record<LiveStorage, string>> = {
  uuid: 'uuid',
  int32: 'integer',
  int64: 'bigint',
  float: 'real',
  double: 'double precision',
  decimal: 'numeric',
  boolean: 'boolean',
};

/** The local SQL type of the primary key (as the generator's local schema declares it). */
export function pkSqlType(e: LiveEntity): string {
  const storage = e.columns.find((c) => c.primaryKey)?.storage ?? 'text';
  return PK_SQL_TYPE[storage] ?? 'text';
}

/** The view rows of some keys (`$1`: the keys as text): what a collection reads after a change. */
export function viewRowsSql(e: LiveEntity): string {
  return `SELECT * FROM ${ident(e.table)} WHERE ${ident(e.primaryKey)} = ANY ($1::${pkSqlType(e)}[])`;
}
