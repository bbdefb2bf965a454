/**
 * Conversions between the JSON the REST API speaks and the Postgres text values stored rows are
 * read as (the same text the shape feed sends). Writes bind every value as text and cast in SQL.
 */
import type { ColumnModel } from '../schema/model.js';
import type { TextRow } from '../shape/where.js';
import type { JsonValue } from '@sync/core';
import { own, put, record } from '../util/json.js';

/** A stored text value → the JSON value the API returns for it. */
export function textToJson(c: ColumnModel, v: string | null): JsonValue {
  if (v === null) return null;
  switch (c.storage) {
    case 'int32':
    case 'float':
    case 'double':
      return Number(v);
    case 'int64': {
      const n = Number(v);
      return Number.isSafeInteger(n) ? n : v;
    }
    case 'boolean':
      return v === 't';
    case 'json':
      return JSON.parse(v) as JsonValue;
    case 'timestamp':
      // Postgres ISO output in UTC ("2026-01-02 03:04:05.678+00") → RFC 3339.
      return v.replace(' ', 'T').replace(/\+00$/, 'Z');
    case 'bytes':
      return Buffer.from(v.replace(/^\\x/, ''), 'hex').toString('base64');
    default:
      return v;
  }
}

export function rowToJson(
  columns: readonly ColumnModel[],
  row: TextRow,
): Record<string, JsonValue> {
  const out = record<JsonValue>();
  for (const c of columns) {
    const v = textToJson(c, own(row, c.name) ?? null);
    // An optional field the schema does not allow to be null is absent, never null.
    if (v === null && c.field !== undefined && !c.field.nullable && !c.field.required) continue;
    put(out, c.name, v);
  }
  return out;
}

/** A (validated) JSON value → the text bound for `$n::<pgType>`. */
export function jsonToParam(c: ColumnModel, v: JsonValue | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (c.storage === 'json') return JSON.stringify(v);
  if (c.storage === 'bytes' && typeof v === 'string')
    return `\\x${Buffer.from(v, 'base64').toString('hex')}`;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}
