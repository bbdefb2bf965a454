/**
 * Which column values a create / update / replace writes: body fields that are columns, the
 * client's primary key when it sends one (local-first clients mint ids), the parent key from a
 * nested path, then spec defaults and zero values for non-null columns. Server-owned columns
 * (readOnly fields, created_at / updated_at) are never taken from the body.
 */
import type { Entity, JsonValue } from '@sync/core';
import { own } from '../util/json.js';
import { objectDecl, type ColumnModel, type Model, type TableModel } from '../schema/model.js';

export type Role = 'create' | 'update' | 'replace';

function isServerOwned(c: ColumnModel): boolean {
  if (c.primaryKey) return false;
  if (c.storage === 'timestamp' && (c.name === 'created_at' || c.name === 'updated_at'))
    return true;
  return c.field?.readOnly === true;
}

function zero(c: ColumnModel): JsonValue | undefined {
  if (c.nullable) return null;
  switch (c.storage) {
    case 'text':
      return '';
    case 'int32':
    case 'int64':
    case 'float':
    case 'double':
      return 0;
    case 'decimal':
      return '0';
    case 'boolean':
      return false;
    case 'json':
      return c.field?.type.kind === 'array' ? [] : {};
    default:
      return undefined; // uuid, dates, bytes: no sensible zero; the NOT NULL error becomes a 422
  }
}

function bodySchemaDefault(
  model: Model,
  entity: Entity,
  role: Role,
  name: string,
): JsonValue | undefined {
  const body = objectDecl(model, role === 'create' ? entity.createSchema : entity.updateSchema);
  return body?.fields.find((f) => f.wireName === name)?.default;
}

/**
 * Column → value to write. Create and replace cover every writable column; update only those
 * present in the body. `parentValue` is the nested collection's path parameter.
 */
export function columnValues(
  model: Model,
  t: TableModel,
  role: Role,
  body: Record<string, JsonValue>,
  parentValue: JsonValue | undefined,
): Map<ColumnModel, JsonValue> {
  const out = new Map<ColumnModel, JsonValue>();
  const parentField = t.entity.parent?.field ?? null;
  for (const c of t.columns) {
    if (c.primaryKey) {
      const key = own(body, c.name);
      if (role === 'create' && key !== undefined && key !== null) out.set(c, key);
      continue;
    }
    if (c.name === parentField && parentValue !== undefined && role === 'create') {
      out.set(c, parentValue);
      continue;
    }
    if (isServerOwned(c)) continue;
    const given = own(body, c.name);
    if (given !== undefined) {
      out.set(c, given);
      continue;
    }
    if (role === 'update') continue;
    const fallback =
      bodySchemaDefault(model, t.entity, role, c.name) ?? c.field?.default ?? zero(c);
    if (fallback !== undefined) out.set(c, fallback);
  }
  return out;
}

/** Columns a PATCH or PUT refreshes on every write. */
export function touchedOnUpdate(t: TableModel): ColumnModel | undefined {
  return t.columns.find((c) => c.name === 'updated_at' && c.storage === 'timestamp');
}
