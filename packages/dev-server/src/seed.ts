/**
 * `--seed <file>`: a JSON object `{ "<table or entity name>": [rows…] }` loaded at startup into
 * tables that are still empty (so restarting on a data dir does not duplicate it). Rows go through
 * the capture trigger like any write, so they appear on shapes. Columns a row omits get the same
 * defaults as a REST create.
 */
import { own } from './util/json.js';
import { readFile } from 'node:fs/promises';
import type { JsonValue } from '@sync/core';
import type { Database, Queryable, SqlParam } from './db/database.js';
import { columnValues } from './rest/columns.js';
import { jsonToParam } from './rest/values.js';
import type { Model, TableModel } from './schema/model.js';
import { keySequence } from './schema/ddl.js';
import { ident, literal } from './schema/sql.js';

export type SeedData = Record<string, Record<string, JsonValue>[]>;

export async function readSeed(file: string): Promise<SeedData> {
  const parsed = JSON.parse(await readFile(file, 'utf8')) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`seed ${file}: expected a JSON object of table → rows`);
  for (const [k, v] of Object.entries(parsed))
    if (!Array.isArray(v)) throw new Error(`seed ${file}: "${k}" must be an array of rows`);
  return parsed as SeedData;
}

function tableFor(model: Model, name: string): TableModel {
  const t =
    model.tables.get(name) ??
    model.byEntity.get(name) ??
    [...model.tables.values()].find((x) => x.entity.plural === name);
  if (t === undefined)
    throw new Error(
      `seed: "${name}" is not a table or entity (tables: ${[...model.tables.keys()].join(', ')})`,
    );
  return t;
}

/** Inserts the seed rows of each still-empty table; returns the number of rows inserted. */
export async function applySeed(db: Database, model: Model, seed: SeedData): Promise<number> {
  let inserted = 0;
  await db.transaction(async (tx) => {
    for (const [name, rows] of Object.entries(seed)) {
      const t = tableFor(model, name);
      const existing = await tx.query(`SELECT 1 FROM ${ident(t.table)} LIMIT 1`);
      if (existing.length > 0) continue;
      for (const [i, row] of rows.entries()) {
        const values = columnValues(model, t, 'create', row, undefined);
        // Seeds may set server-owned columns too (fixed ids and timestamps make stable fixtures).
        for (const c of t.columns)
          if (own(row, c.name) !== undefined && !values.has(c))
            values.set(c, own(row, c.name) ?? null);
        const cols = [...values.keys()];
        const args: SqlParam[] = cols.map((c) => jsonToParam(c, values.get(c)));
        const sql =
          cols.length === 0
            ? `INSERT INTO ${ident(t.table)} DEFAULT VALUES`
            : `INSERT INTO ${ident(t.table)} (${cols.map((c) => ident(c.name)).join(', ')}) VALUES (${cols.map((c, j) => `$${j + 1}::${c.pgType}`).join(', ')})`;
        try {
          await tx.query(sql, args);
        } catch (error) {
          throw new Error(
            `seed: ${name}[${i}]: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
        inserted++;
      }
      await advanceKeySequence(tx, t);
    }
  });
  return inserted;
}

/**
 * Seeds may fix numeric ids; the key's identity / sequence then moves past the largest one, so
 * the next server-assigned key does not collide with a seeded row.
 */
async function advanceKeySequence(tx: Queryable, t: TableModel): Promise<void> {
  const pk = t.pk;
  const numeric = ['int32', 'int64', 'float', 'double', 'decimal'].includes(pk.storage);
  if (!numeric) return;
  const seq =
    pk.storage === 'int32' || pk.storage === 'int64'
      ? `pg_get_serial_sequence(${literal(ident(t.table))}, ${literal(pk.name)})`
      : literal(ident(keySequence(t)));
  await tx.query(
    `SELECT setval(${seq}, greatest(coalesce(max(floor(${ident(pk.name)}))::int8, 0), 1), max(${ident(pk.name)}) IS NOT NULL) FROM ${ident(t.table)}`,
  );
}
