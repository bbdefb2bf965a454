/**
 * The dev server's Postgres schema (`sync-patterns dev`): one table per entity with a primary
 * key, the internal `_sync_*` tables, and per table a row function and an AFTER trigger that
 * appends every row change to the change log in the writing transaction.
 *
 * Why a trigger: the log row must commit atomically with the entity write whoever writes (the
 * REST handlers, a seed, psql). The trigger first takes a transaction-scoped advisory lock, so
 * change-log writers are serialised: `seq` values are allocated in commit order, and any set of
 * committed log rows is a prefix of the sequence (packages/dev-server/ARCHITECTURE.md).
 *
 * Inserts are logged by a statement-level trigger over the statement's transition table
 * (`REFERENCING NEW TABLE`): one `INSERT … SELECT` appends the log rows of every row the
 * statement inserted, in the order it inserted them, so the dev server's one-statement insert of
 * a batch's run of creates costs one trigger call, not one per row. Updates and deletes (one row
 * per statement from the dev server; a primary-key change is logged as delete + insert) keep a
 * row-level trigger.
 *
 * Rows are logged as jsonb objects of Postgres *text* values (what Electric sends), produced by
 * the per-table row function that the snapshot uses too, so snapshot and tail render rows alike.
 * Server tables keep the IR's nullability: a non-nullable column is NOT NULL (the server is the
 * source of truth; see packages/core/docs/sql.md).
 */
import type { Column, ColumnStorage } from '../ir/types.js';
import type { SqlStatement } from './statement.js';

/** Postgres type per storage class on the server (also the type names of `electric-schema`). */
export const POSTGRES_SERVER_TYPES: Readonly<Record<ColumnStorage, string>> = {
  text: 'text',
  uuid: 'uuid',
  int32: 'int4',
  int64: 'int8',
  float: 'float4',
  double: 'float8',
  decimal: 'numeric',
  boolean: 'bool',
  date: 'date',
  timestamp: 'timestamptz',
  time: 'time',
  json: 'jsonb',
  bytes: 'bytea',
};

/** Key of the advisory lock that serialises change-log writers (arbitrary, fixed). */
export const CHANGE_LOG_LOCK = 7_301_977;
export const NOTIFY_CHANNEL = 'sync_changes';

/**
 * Quoted identifier (`"` doubled, NUL refused). Unlike `naming.sql.quoteIdent` it accepts names
 * over 63 bytes, which Postgres truncates: the dev server serves push entities of any spec too.
 */
function ident(name: string): string {
  if (name.includes('\u0000'))
    throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

function literal(value: string): string {
  if (value.includes('\u0000')) throw new Error(`literal contains a NUL byte`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** One dev-server table: the entity's columns it stores and the names of its helpers. */
export interface ServerTable {
  table: string;
  columns: Pick<Column, 'name' | 'storage' | 'nullable' | 'primaryKey'>[];
  /** The primary-key column's name. */
  pk: string;
  /** SQL function turning a row into a jsonb object of Postgres text values. */
  rowFn: string;
  /**
   * Trigger functions appending row changes to `_sync_changes`: `captureFn` (row level: updates
   * and deletes) and `captureFn` + `_insert` (statement level: inserts).
   */
  captureFn: string;
  /** Sequence behind a `number` (float/double/decimal) key: NestJS DTOs declare ids so. */
  keySequence: string;
}

type ServerColumn = ServerTable['columns'][number];

const INTERNAL: SqlStatement[] = [
  {
    name: 'createChanges',
    sql: `CREATE TABLE IF NOT EXISTS "_sync_changes" (
  "seq" bigserial PRIMARY KEY,
  "tbl" text NOT NULL,
  "op" text NOT NULL,
  "pk" text NOT NULL,
  "row" jsonb,
  "old" jsonb,
  "txid" xid8 NOT NULL DEFAULT pg_current_xact_id(),
  "created_at" timestamptz NOT NULL DEFAULT now()
)`,
  },
  {
    name: 'createChangesIndex',
    sql: `CREATE INDEX IF NOT EXISTS "_sync_changes_tbl_seq" ON "_sync_changes" ("tbl", "seq")`,
  },
  {
    name: 'createIdempotency',
    sql: `CREATE TABLE IF NOT EXISTS "_sync_idempotency" (
  "key" text PRIMARY KEY,
  "method" text NOT NULL,
  "path" text NOT NULL,
  "status" int4 NOT NULL,
  "body" text,
  "txid" text NOT NULL,
  "created_at" timestamptz NOT NULL DEFAULT now()
)`,
  },
  {
    name: 'createMeta',
    sql: `CREATE TABLE IF NOT EXISTS "_sync_meta" ("key" text PRIMARY KEY, "value" text NOT NULL)`,
  },
  {
    name: 'insertInstance',
    sql: `INSERT INTO "_sync_meta" ("key", "value") VALUES ('instance', gen_random_uuid()::text) ON CONFLICT DO NOTHING`,
  },
  {
    // A sentinel so that the log is never empty: offsets then always have seq >= 1.
    name: 'insertSentinel',
    sql: `INSERT INTO "_sync_changes" ("tbl", "op", "pk") SELECT '', 'init', '' WHERE NOT EXISTS (SELECT 1 FROM "_sync_changes")`,
  },
  {
    name: 'expireIdempotency',
    sql: `DELETE FROM "_sync_idempotency" WHERE "created_at" < now() - interval '48 hours'`,
  },
];

const numericKey = (c: ServerColumn): boolean =>
  c.storage === 'float' || c.storage === 'double' || c.storage === 'decimal';

function columnDefault(c: ServerColumn, t: ServerTable): string {
  if (c.primaryKey && c.storage === 'uuid') return ' DEFAULT gen_random_uuid()';
  if (c.primaryKey && c.storage === 'text') return ' DEFAULT gen_random_uuid()::text';
  if (c.primaryKey && (c.storage === 'int32' || c.storage === 'int64'))
    return ' GENERATED BY DEFAULT AS IDENTITY';
  if (c.primaryKey && numericKey(c)) return ` DEFAULT nextval(${literal(ident(t.keySequence))})`;
  if (c.storage === 'timestamp' && (c.name === 'created_at' || c.name === 'updated_at'))
    return ' DEFAULT now()';
  return '';
}

/** A column's text rendering inside the row function (booleans as t/f like Postgres' output); the shape feed's SQL-built snapshot messages use it too. */
export function serverTextExpr(c: ServerColumn, row: string): string {
  const ref = `${row}.${ident(c.name)}`;
  if (c.storage === 'boolean') return `CASE WHEN ${ref} THEN 't' WHEN NOT ${ref} THEN 'f' END`;
  return `${ref}::text`;
}

/** The row of `t` called `row` as a jsonb object of text values. `jsonb_build_object` takes at most 100 arguments, so wide tables concatenate several calls. */
export function serverRowJson(t: Pick<ServerTable, 'columns'>, row: string): string {
  const parts: string[] = [];
  for (let i = 0; i < t.columns.length; i += 40) {
    const pairs = t.columns
      .slice(i, i + 40)
      .map((c) => `${literal(c.name)}, ${serverTextExpr(c, row)}`);
    parts.push(`jsonb_build_object(${pairs.join(', ')})`);
  }
  return parts.join(' || ');
}

function tableStatements(t: ServerTable): SqlStatement[] {
  const tbl = ident(t.table);
  const pkCol = t.columns.find((c) => c.name === t.pk);
  if (pkCol === undefined)
    throw new Error(`table ${t.table}: primary key "${t.pk}" is not a column`);
  const type = (c: ServerColumn): string => POSTGRES_SERVER_TYPES[c.storage];
  const cols = t.columns.map(
    (c) => `  ${ident(c.name)} ${type(c)}${c.nullable ? '' : ' NOT NULL'}${columnDefault(c, t)}`,
  );
  // Columns added to the spec after the data dir was created: nullable unless they have a default.
  const adds = t.columns
    .filter((c) => !c.primaryKey)
    .map((c): SqlStatement => {
      const d = columnDefault(c, t);
      return {
        name: `addColumn:${c.name}`,
        sql: `ALTER TABLE ${tbl} ADD COLUMN IF NOT EXISTS ${ident(c.name)} ${type(c)}${d}${d !== '' && !c.nullable ? ' NOT NULL' : ''}`,
      };
    });
  const pk = `NEW.${ident(t.pk)}::text`;
  const oldPk = `OLD.${ident(t.pk)}::text`;
  const name = literal(t.table);
  const log = (op: string, pkExpr: string, rowExpr: string, oldExpr: string): string =>
    `INSERT INTO "_sync_changes" ("tbl", "op", "pk", "row", "old") VALUES (${name}, '${op}', ${pkExpr}, ${rowExpr}, ${oldExpr});`;
  const rowFn = ident(t.rowFn);
  const insertFn = ident(`${t.captureFn}_insert`);
  return [
    ...(pkCol.primaryKey && numericKey(pkCol)
      ? [
          {
            name: 'createKeySequence',
            sql: `CREATE SEQUENCE IF NOT EXISTS ${ident(t.keySequence)}`,
          },
        ]
      : []),
    {
      name: 'createTable',
      sql: `CREATE TABLE IF NOT EXISTS ${tbl} (\n${cols.join(',\n')},\n  PRIMARY KEY (${ident(t.pk)})\n)`,
    },
    ...adds,
    {
      name: 'createRowFunction',
      sql: `CREATE OR REPLACE FUNCTION ${rowFn}(r ${tbl}) RETURNS jsonb LANGUAGE sql STABLE AS $fn$\n  SELECT ${serverRowJson(t, 'r')}\n$fn$`,
    },
    {
      // row level: updates and deletes
      name: 'createCaptureFunction',
      sql: `CREATE OR REPLACE FUNCTION ${ident(t.captureFn)}() RETURNS trigger LANGUAGE plpgsql
  SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, MDY' AS $fn$
DECLARE
  new_row jsonb;
  old_row jsonb;
BEGIN
  IF TG_OP <> 'DELETE' THEN new_row := ${rowFn}(NEW); END IF;
  old_row := ${rowFn}(OLD);
  PERFORM pg_advisory_xact_lock(${CHANGE_LOG_LOCK});
  IF TG_OP = 'DELETE' THEN
    ${log('delete', oldPk, 'NULL', 'old_row')}
  ELSIF ${pk} IS DISTINCT FROM ${oldPk} THEN
    ${log('delete', oldPk, 'NULL', 'old_row')}
    ${log('insert', pk, 'new_row', 'NULL')}
  ELSE
    ${log('update', pk, 'new_row', 'old_row')}
  END IF;
  PERFORM pg_notify(${literal(NOTIFY_CHANNEL)}, ${name});
  RETURN NULL;
END
$fn$`,
    },
    {
      // statement level: every row the statement inserted, in one INSERT … SELECT, in the
      // order of the transition table (the order the rows were inserted); a transition table's
      // row is a plain record, cast to the table's type for the row function
      name: 'createInsertCaptureFunction',
      sql: `CREATE OR REPLACE FUNCTION ${insertFn}() RETURNS trigger LANGUAGE plpgsql
  SET "TimeZone" = 'UTC' SET "DateStyle" = 'ISO, MDY' AS $fn$
BEGIN
  IF NOT EXISTS (SELECT FROM "_sync_inserted") THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(${CHANGE_LOG_LOCK});
  INSERT INTO "_sync_changes" ("tbl", "op", "pk", "row", "old")
    SELECT ${name}, 'insert', n.${ident(t.pk)}::text, ${rowFn}(n::${tbl}), NULL FROM "_sync_inserted" n;
  PERFORM pg_notify(${literal(NOTIFY_CHANNEL)}, ${name});
  RETURN NULL;
END
$fn$`,
    },
    { name: 'dropCaptureTrigger', sql: `DROP TRIGGER IF EXISTS "_sync_capture" ON ${tbl}` },
    {
      name: 'createCaptureTrigger',
      sql: `CREATE TRIGGER "_sync_capture" AFTER UPDATE OR DELETE ON ${tbl}\n  FOR EACH ROW EXECUTE FUNCTION ${ident(t.captureFn)}()`,
    },
    {
      name: 'dropInsertCaptureTrigger',
      sql: `DROP TRIGGER IF EXISTS "_sync_capture_insert" ON ${tbl}`,
    },
    {
      name: 'createInsertCaptureTrigger',
      sql: `CREATE TRIGGER "_sync_capture_insert" AFTER INSERT ON ${tbl}\n  REFERENCING NEW TABLE AS "_sync_inserted"\n  FOR EACH STATEMENT EXECUTE FUNCTION ${insertFn}()`,
    },
  ].map((s) => ({ name: `${t.table}:${s.name}`, sql: s.sql }));
}

/**
 * The dev server's whole schema, in execution order: the internal tables (`_sync_changes`,
 * `_sync_idempotency`, `_sync_meta`), then per table its optional key sequence, `CREATE TABLE`,
 * `ADD COLUMN IF NOT EXISTS` per non-key column (tables from an older spec), the row function
 * and the capture triggers (row level for updates and deletes, statement level for inserts). Idempotent: it runs at every start. Statement names are
 * `<table>:<what>` for table statements.
 */
export function postgresServerSchema(tables: readonly ServerTable[]): SqlStatement[] {
  return [...INTERNAL, ...tables.flatMap(tableStatements)];
}
