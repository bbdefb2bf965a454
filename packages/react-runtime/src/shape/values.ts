/**
 * Electric wire values → JS values, driven by the `electric-schema` header
 * (sync-runtime-contract.md section 5, vector shape-values.json). int8 becomes a `bigint` (exact
 * 64-bit); numeric stays a decimal string; timestamps, dates, times and uuids stay strings as sent;
 * `dims: 1` columns are Postgres array literals (`{a,"b,c",NULL}`).
 */

export interface ColumnSchema {
  type: string;
  dims?: number;
  pk_index?: number;
  not_null?: boolean;
}

export type ShapeSchema = Record<string, ColumnSchema>;

export type WireValue =
  null | boolean | number | bigint | string | WireValue[] | { [k: string]: unknown } | unknown;

function scalar(type: string, text: string): WireValue {
  switch (type) {
    case 'int2':
    case 'int4':
      return Number.parseInt(text, 10);
    case 'int8':
      return BigInt(text);
    case 'float4':
    case 'float8':
      return Number.parseFloat(text);
    case 'bool':
      return text === 't' || text === 'true';
    case 'json':
    case 'jsonb': {
      const parsed: unknown = JSON.parse(text);
      return parsed;
    }
    default:
      return text;
  }
}

/** Splits a one-dimensional Postgres array literal into element texts (null for NULL). */
export function parseArrayLiteral(literal: string): (string | null)[] {
  const body = literal.trim().replace(/^\{/, '').replace(/\}$/, '');
  const out: (string | null)[] = [];
  if (body === '') return out;
  let i = 0;
  while (i <= body.length) {
    if (body[i] === '"') {
      let s = '';
      i++;
      while (i < body.length && body[i] !== '"') {
        if (body[i] === '\\') i++;
        s += body[i] ?? '';
        i++;
      }
      out.push(s);
      i += 2; // closing quote and comma
    } else {
      const end = body.indexOf(',', i);
      const raw = body.slice(i, end === -1 ? body.length : end);
      out.push(raw === 'NULL' ? null : raw);
      i = end === -1 ? body.length + 1 : end + 1;
    }
  }
  return out;
}

/** Parses one column value; `text` null (SQL NULL) stays null. */
export function parseValue(schema: ColumnSchema, text: string | null): WireValue {
  if (text === null) return null;
  if ((schema.dims ?? 0) >= 1)
    return parseArrayLiteral(text).map((t) => (t === null ? null : scalar(schema.type, t)));
  return scalar(schema.type, text);
}

/** Parses every column of a change message's `value` present in `schema`. */
export function parseRow(
  schema: ShapeSchema,
  value: Record<string, string | null>,
): Record<string, WireValue> {
  const row: Record<string, WireValue> = {};
  for (const [column, text] of Object.entries(value)) {
    const col = schema[column];
    row[column] = col ? parseValue(col, text) : text;
  }
  return row;
}
