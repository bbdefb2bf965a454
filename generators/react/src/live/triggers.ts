/**
 * The INSTEAD OF INSERT / UPDATE / DELETE triggers of the view `T` (contract §1, "Writes through
 * the view"), in plpgsql. They are the only writers of `T_local` and `_sync_outbox` on behalf of
 * the app, so a write and its outbox row always commit together. Payloads hold P and synced
 * columns only (never `x-sync-exclude` ones), with numerics as decimal strings like the REST API.
 */
import type { Column, Entity } from '@sync/core';
import { columnSets, lit, q } from './tables.js';

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

function outboxInsert(e: Entity, V: Vars, op: string, pkExpr: string): string {
  const confirmed = e.sync.localFirst ? 'false' : 'true';
  return `  INSERT INTO "_sync_outbox" ("write_id", "table_name", "op", "pk", "payload", "status", "attempts", "next_attempt_at", "confirmed", "created_at")
  VALUES (${V.writeId}, ${lit(e.table)}, ${lit(op)}, ${pkExpr}::text, ${V.payload}::text, 'pending', 0, ${NOW_MS}, ${confirmed}, ${NOW_MS});`;
}

function fn(e: Entity, kind: string, declare: string[], body: string[]): string {
  const name = q(`${e.table}_${kind}`);
  const source = `
#variable_conflict use_column
DECLARE
${declare.map((d) => `  ${d};`).join('\n')}
BEGIN
${body.join('\n')}
END;
`;
  return `CREATE OR REPLACE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS ${dollarQuote(source)};
CREATE TRIGGER ${q(`${e.table}_${kind}`)} INSTEAD OF ${kind.toUpperCase()} ON ${q(e.table)}
  FOR EACH ROW EXECUTE FUNCTION ${name}();
`;
}

interface Vars {
  writeId: string;
  changed: string;
  payload: string;
}

/**
 * plpgsql variable names that no column of the entity uses: with `#variable_conflict
 * use_column`, a bare name means the column, so variables must not share a column's name
 * (spec columns may be called `new`, `old`, `v_changed`…; NEW/OLD fields are always qualified).
 */
function vars(e: Entity): Vars {
  const taken = new Set(e.columns.map((c) => c.name));
  let sfx = '';
  for (let i = 1; ['v_write_id', 'v_changed', 'v_payload'].some((v) => taken.has(v + sfx)); i++)
    sfx = `_${i}`;
  return { writeId: `v_write_id${sfx}`, changed: `v_changed${sfx}`, payload: `v_payload${sfx}` };
}

const declare = (V: Vars) => [
  `${V.writeId} text := gen_random_uuid()::text`,
  `${V.changed} text[] := ARRAY[]::text[]`,
  `${V.payload} jsonb`,
];

function insertTrigger(e: Entity): string {
  const V = vars(e);
  const { pk, synced, local } = columnSets(e);
  const P = q(pk.name);
  const all = [pk, ...synced, ...local];
  const mint =
    pk.storage === 'uuid'
      ? `  IF NEW.${P} IS NULL THEN NEW.${P} := gen_random_uuid(); END IF;`
      : `  IF NEW.${P} IS NULL THEN RAISE EXCEPTION 'insert into % needs %', ${lit(e.table)}, ${lit(pk.name)}; END IF;`;
  return fn(e, 'insert', declare(V), [
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

function updateTrigger(e: Entity): string {
  const V = vars(e);
  const { pk, synced, local } = columnSets(e);
  const P = q(pk.name);
  const changed = (c: Column) => `${lit(c.name)} = ANY (${V.changed})`;
  return fn(e, 'update', declare(V), [
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

function deleteTrigger(e: Entity): string {
  const V = vars(e);
  const { pk } = columnSets(e);
  const P = q(pk.name);
  return fn(e, 'delete', declare(V), [
    `  ${V.payload} := jsonb_build_object(${lit(pk.name)}, ${jsonOf(pk, 'OLD')});`,
    `  INSERT INTO ${q(`${e.table}_local`)} (${P}, "_deleted", "_write_id") VALUES (OLD.${P}, true, ${V.writeId})`,
    `  ON CONFLICT (${P}) DO UPDATE SET "_deleted" = true, "_write_id" = EXCLUDED."_write_id";`,
    outboxInsert(e, V, 'delete', `OLD.${P}`),
    `  RETURN OLD;`,
  ]);
}

/** The three INSTEAD OF triggers of the view (created right after it). */
export function triggersSql(e: Entity): string {
  return [insertTrigger(e), updateTrigger(e), deleteTrigger(e)].join('\n');
}
