/**
 * SQL text helpers. Table and column names come from user specs, so every identifier is quoted
 * and every literal escaped here; values always travel as bound parameters.
 */
import { createHash } from 'node:crypto';
import { sql, type ColumnStorage } from '@sync/core';

export function ident(name: string): string {
  if (name.includes('\u0000'))
    throw new Error(`identifier contains a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

export function literal(value: string): string {
  if (value.includes('\u0000')) throw new Error(`literal contains a NUL byte`);
  return `'${value.replaceAll("'", "''")}'`;
}

/** Postgres type per IR storage class (also the type names in the `electric-schema` header): core's, so that DDL and queries agree. */
export const PG_TYPES: Readonly<Record<ColumnStorage, string>> = sql.POSTGRES_SERVER_TYPES;

/**
 * The type a value compared with a column is cast to (`WHERE "id" = $1::<type>`): integers compare
 * as int8, so that a 64-bit value a spec allows (an integer without a format, e.g. `GET
 * /tasks/3000000000`) finds no row instead of failing the cast of an int4 column.
 */
export function compareType(pgType: string): string {
  return pgType === 'int4' || pgType === 'int2' ? 'int8' : pgType;
}

/** Short stable hex digest, for derived identifiers (Postgres truncates names at 63 bytes). */
export function digest(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('hex').slice(0, 12);
}
