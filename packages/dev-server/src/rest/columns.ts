/**
 * Which column values a create / update / replace writes: body fields the client may set, the
 * client's primary key where it may choose one, the parent key from a nested path, the
 * server-set columns (schema/server-set.ts: keys, timestamps, versions, owners), then spec
 * defaults and schema-valid values for the remaining non-null columns. Columns the client may not
 * set (readOnly, or absent from the create body) are never taken from the body.
 */
import type { Entity, JsonValue } from '@sync/core';
import { ANONYMOUS, ownerValue, type Principal } from '../auth/principal.js';
import { objectDecl, type ColumnModel, type Model, type TableModel } from '../schema/model.js';
import { clientMayChooseKey, nowFor, serverSetKind } from '../schema/server-set.js';
import { own } from '../util/json.js';
import { exampleFor } from './example.js';

export type Role = 'create' | 'update' | 'replace';

export interface WriteContext {
  principal: Principal;
  now: Date;
}

function zero(model: Model, c: ColumnModel): JsonValue | undefined {
  if (c.nullable) return null;
  if (c.field !== undefined) return exampleFor(model.schemas, c.field.type);
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
      return {};
    default:
      return undefined; // uuid, dates, bytes: no sensible zero; the NOT NULL error becomes a 422
  }
}

function bodyField(model: Model, entity: Entity, role: Role, name: string) {
  const body = objectDecl(model, role === 'create' ? entity.createSchema : entity.updateSchema);
  return body?.fields.find((f) => f.wireName === name);
}

/** Whether the client's body may set this (non-key) column in this role. */
export function clientWritable(model: Model, t: TableModel, role: Role, c: ColumnModel): boolean {
  if (c.primaryKey) return false;
  const kind = serverSetKind(c);
  if (kind !== 'none') return false;
  if (role === 'create') return true;
  // An update may set what its body declares (unless readOnly there); without a named update
  // body, what the read schema does not mark readOnly.
  const f = bodyField(model, t.entity, role, c.name);
  if (f !== undefined) return !f.readOnly;
  return c.field?.readOnly !== true;
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
  ctx: WriteContext = { principal: ANONYMOUS, now: new Date() },
): Map<ColumnModel, JsonValue> {
  const out = new Map<ColumnModel, JsonValue>();
  const parentField = t.entity.parent?.field ?? null;
  for (const c of t.columns) {
    if (c.primaryKey) {
      const key = own(body, c.name);
      if (role === 'create' && clientMayChooseKey(t) && key !== undefined && key !== null)
        out.set(c, key);
      continue;
    }
    if (c.name === parentField && parentValue !== undefined && role === 'create') {
      out.set(c, parentValue);
      continue;
    }
    const kind = serverSetKind(c);
    if (kind === 'created' || kind === 'updated' || kind === 'version' || kind === 'owner') {
      if (role === 'create')
        out.set(
          c,
          kind === 'version'
            ? 1
            : kind === 'owner'
              ? ownerValue(c, ctx.principal)
              : nowFor(c, ctx.now),
        );
      else if (kind === 'updated') out.set(c, nowFor(c, ctx.now));
      continue; // versions are incremented in SQL (see updateTouches)
    }
    const given = own(body, c.name);
    if (given !== undefined && clientWritable(model, t, role, c)) {
      out.set(c, given);
      continue;
    }
    if (role === 'update') continue;
    if (kind === 'example' && role === 'replace') continue; // keep what the server set
    const fallback =
      bodyField(model, t.entity, role, c.name)?.default ?? c.field?.default ?? zero(model, c);
    if (fallback !== undefined) out.set(c, fallback);
  }
  return out;
}
