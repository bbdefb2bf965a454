/**
 * The local schema of one live entity in Postgres/PGlite (docs/sync-runtime-contract.md §1), used
 * by React: `T_synced`, `T_local`, the view `T` and its INSTEAD OF triggers (plpgsql), the only
 * writers of `T_local` and `_sync_outbox` on behalf of the app, so a write and its outbox row
 * commit together. Pure string building; every identifier quoted, every literal escaped. Postgres
 * compares quoted names exactly, so columns use their wire `name`. Only the key is NOT NULL
 * (packages/core/docs/sql.md).
 */
import type { Column, ColumnStorage, Entity } from '../ir/types.js';
import { columnSets, lit, localTables, q, type SqlStatement } from './statement.js';

/**
 * Local Postgres type per storage class. Temporal values and bytes stay the text the server sent
 * (ISO-8601 / base64), so rows read back exactly as the REST models type them (`string`).
 */
const LOCAL_TYPES: Record<ColumnStorage, string> = {
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

export const postgresLocalType = (storage: ColumnStorage): string => LOCAL_TYPES[storage];

const def = (c: Column): string =>
  `  ${q(c.name)} ${LOCAL_TYPES[c.storage]}${c.primaryKey ? ' PRIMARY KEY' : ''}`;

function createSynced(e: Entity): string {
  const { pk, synced } = columnSets(e);
  return `CREATE TABLE IF NOT EXISTS ${q(localTables(e.table).synced)} (\n${[pk, ...synced].map(def).join(',\n')}\n)`;
}

function createLocal(e: Entity): string {
  const { pk, synced, local } = columnSets(e);
  const cols = [
    ...[pk, ...synced, ...local].map(def),
    `  "_changed" text[] NOT NULL DEFAULT '{}'`,
    `  "_deleted" boolean NOT NULL DEFAULT false`,
    `  "_write_id" text`,
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(localTables(e.table).local)} (\n${cols.join(',\n')}\n)`;
}

/**
 * The view (§1): a row is visible while it is synced (in `T_synced`, not `_deleted` locally) or
 * has a pending insert (an outbox `insert` of its key that has not failed); synced columns come
 * from `T_local` when in `_changed`. A UNION ALL of "synced rows with their local overrides" and
 * "rows with a pending insert", so a primary-key predicate reaches both tables' indexes.
 */
function createView(e: Entity): string {
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
  const t = localTables(e.table);
  const S = q(t.synced);
  const L = q(t.local);
  return `CREATE VIEW ${q(t.view)} AS SELECT
${branch('s').join(',\n')}
FROM ${S} s LEFT JOIN ${L} l ON l.${P} = s.${P}
WHERE l."_deleted" IS NOT TRUE
UNION ALL SELECT
${branch('l').join(',\n')}
FROM ${L} l
WHERE NOT l."_deleted" AND NOT EXISTS (SELECT 1 FROM ${S} s WHERE s.${P} = l.${P})
  AND EXISTS (SELECT 1 FROM "_sync_outbox" o WHERE o."table_name" = ${lit(e.table)} AND o."pk" = l.${P}::text AND o."op" = 'insert' AND o."status" <> 'failed')`;
}

const NOW_MS = `(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** JSON of a column value as the REST API expects it (decimal → string, json as is). */
function jsonOf(c: Column, row: 'NEW' | 'OLD'): string {
  const v = `${row}.${q(c.name)}`;
  if (c.storage === 'json') return v;
  if (c.storage === 'decimal') return `to_jsonb(${v}::text)`;
  return `to_jsonb(${v})`;
}

/** A dollar-quote tag that occurs nowhere in the body (names come from user specs). */
function dollarQuote(body: string): string {
  let tag = '$sync$';
  for (let i = 1; body.includes(tag); i++) tag = `$sync${i}$`;
  return `${tag}${body}${tag}`;
}

interface Vars {
  writeId: string;
  changed: string;
  payload: string;
}

/**
 * plpgsql variable names that no column of the entity uses: with `#variable_conflict
 * use_column`, a bare name means the column, so variables must not share a column's name.
 */
function vars(e: Entity): Vars {
  const taken = new Set(e.columns.map((c) => c.name));
  let sfx = '';
  for (let i = 1; ['v_write_id', 'v_changed', 'v_payload'].some((v) => taken.has(v + sfx)); i++)
    sfx = `_${i}`;
  return { writeId: `v_write_id${sfx}`, changed: `v_changed${sfx}`, payload: `v_payload${sfx}` };
}

function outboxInsert(e: Entity, V: Vars, op: string, pkExpr: string): string {
  const confirmed = e.sync.localFirst ? 'false' : 'true';
  return `  INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "attempts", "next_attempt_at", "confirmed", "created_at")
  VALUES (${V.writeId}, ${lit(e.table)}, ${lit(op)}, ${pkExpr}::text, ${V.payload}::text, 'pending', 0, ${NOW_MS}, ${confirmed}, ${NOW_MS});`;
}

/** The function and the trigger of one operation. */
function trigger(
  e: Entity,
  kind: 'insert' | 'update' | 'delete',
  V: Vars,
  body: string[],
): SqlStatement[] {
  const name = q(`${e.table}_${kind}`);
  const source = `
#variable_conflict use_column
DECLARE
  ${V.writeId} text := gen_random_uuid()::text;
  ${V.changed} text[] := ARRAY[]::text[];
  ${V.payload} jsonb;
BEGIN
${body.join('\n')}
END;
`;
  return [
    {
      name: `${kind}Function`,
      sql: `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(source)}`,
    },
    {
      name: `${kind}Trigger`,
      sql: `CREATE TRIGGER ${name} INSTEAD OF ${kind.toUpperCase()} ON ${q(e.table)}\n  FOR EACH ROW EXECUTE FUNCTION ${name}()`,
    },
  ];
}

function insertTrigger(e: Entity): SqlStatement[] {
  const V = vars(e);
  const { pk, synced, local } = columnSets(e);
  const P = q(pk.name);
  const all = [pk, ...synced, ...local];
  const mint =
    pk.storage === 'uuid'
      ? `  IF NEW.${P} IS NULL THEN NEW.${P} := gen_random_uuid(); END IF;`
      : `  IF NEW.${P} IS NULL THEN RAISE EXCEPTION 'insert into % needs %', ${lit(e.table)}, ${lit(pk.name)}; END IF;`;
  return trigger(e, 'insert', V, [
    mint,
    `  ${V.payload} := jsonb_build_object(${lit(pk.name)}, ${jsonOf(pk, 'NEW')});`,
    ...synced.map(
      (c) =>
        `  IF NEW.${q(c.name)} IS NOT NULL THEN ${V.changed} := ${V.changed} || ${lit(c.name)}::text; ${V.payload} := ${V.payload} || jsonb_build_object(${lit(c.name)}, ${jsonOf(c, 'NEW')}); END IF;`,
    ),
    `  INSERT INTO ${q(`${e.table}_local`)} (${[...all.map((c) => q(c.name)), '"_changed"', '"_deleted"', '"_write_id"'].join(', ')})`,
    `  VALUES (${[...all.map((c) => `NEW.${q(c.name)}`), V.changed, 'false', V.writeId].join(', ')})`,
    `  ON CONFLICT (${P}) DO UPDATE SET ${[...synced, ...local].map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}, `).join('')}"_changed" = EXCLUDED."_changed", "_deleted" = false, "_write_id" = EXCLUDED."_write_id";`,
    outboxInsert(e, V, 'insert', `NEW.${P}`),
    `  NEW."_pending" := true;`,
    `  RETURN NEW;`,
  ]);
}

function updateTrigger(e: Entity): SqlStatement[] {
  const V = vars(e);
  const { pk, synced, local } = columnSets(e);
  const P = q(pk.name);
  const changed = (c: Column) => `${lit(c.name)} = ANY (${V.changed})`;
  return trigger(e, 'update', V, [
    `  IF NEW.${P} IS DISTINCT FROM OLD.${P} THEN RAISE EXCEPTION 'the primary key of % cannot change', ${lit(e.table)}; END IF;`,
    `  ${V.payload} := jsonb_build_object(${lit(pk.name)}, ${jsonOf(pk, 'OLD')});`,
    ...synced.map(
      (c) =>
        `  IF NEW.${q(c.name)} IS DISTINCT FROM OLD.${q(c.name)} THEN ${V.changed} := ${V.changed} || ${lit(c.name)}::text; ${V.payload} := ${V.payload} || jsonb_build_object(${lit(c.name)}, ${jsonOf(c, 'NEW')}); END IF;`,
    ),
    `  INSERT INTO ${q(`${e.table}_local`)} (${P}) VALUES (OLD.${P}) ON CONFLICT (${P}) DO NOTHING;`,
    `  UPDATE ${q(`${e.table}_local`)} SET`,
    ...synced.map(
      (c) =>
        `    ${q(c.name)} = CASE WHEN ${changed(c)} THEN NEW.${q(c.name)} ELSE ${q(c.name)} END,`,
    ),
    ...local.map((c) => `    ${q(c.name)} = NEW.${q(c.name)},`),
    `    "_changed" = ARRAY(SELECT DISTINCT x FROM unnest("_changed" || ${V.changed}) AS x ORDER BY x),`,
    `    "_write_id" = CASE WHEN cardinality(${V.changed}) > 0 THEN ${V.writeId} ELSE "_write_id" END`,
    `  WHERE ${P} = OLD.${P};`,
    `  IF cardinality(${V.changed}) > 0 THEN`,
    `  ${outboxInsert(e, V, 'update', `OLD.${P}`).trimStart()}`,
    `    NEW."_pending" := true;`,
    `  END IF;`,
    `  RETURN NEW;`,
  ]);
}

function deleteTrigger(e: Entity): SqlStatement[] {
  const V = vars(e);
  const { pk } = columnSets(e);
  const P = q(pk.name);
  return trigger(e, 'delete', V, [
    `  ${V.payload} := jsonb_build_object(${lit(pk.name)}, ${jsonOf(pk, 'OLD')});`,
    `  INSERT INTO ${q(`${e.table}_local`)} (${P}, "_deleted", "_write_id") VALUES (OLD.${P}, true, ${V.writeId})`,
    `  ON CONFLICT (${P}) DO UPDATE SET "_deleted" = true, "_write_id" = EXCLUDED."_write_id";`,
    outboxInsert(e, V, 'delete', `OLD.${P}`),
    `  RETURN OLD;`,
  ]);
}

/**
 * Every schema statement of one live entity, in execution order: `createSynced`, `createLocal`,
 * `createView`, then `insertFunction`, `insertTrigger`, `updateFunction`, `updateTrigger`,
 * `deleteFunction`, `deleteTrigger`.
 */
export function postgresEntitySchema(e: Entity): SqlStatement[] {
  return [
    { name: 'createSynced', sql: createSynced(e) },
    { name: 'createLocal', sql: createLocal(e) },
    { name: 'createView', sql: createView(e) },
    ...insertTrigger(e),
    ...updateTrigger(e),
    ...deleteTrigger(e),
  ];
}
