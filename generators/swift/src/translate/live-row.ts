/**
 * A `live` entity's view record (`<E>Record`): a GRDB `FetchableRecord` whose properties have the
 * model's types (UUID, Date, Decimal, the model's enums with their unknown case, nested values
 * decoded from their JSON text), read once from SQLite in `init(row:)` through the runtime's
 * `SyncRows` (no `JSONValue` in between), and `model()`, the row as the app model.
 *
 * A non-null model field that a pending insert may lack is handled without inventing a value:
 * - server-set columns (IR `Column.serverSet`: created/updated/version/owner/other) are optional
 *   in the model itself (model-object.ts, {@link isServerSetOptional}), in push and live alike;
 * - a client column the create may omit takes the spec's `default` (what the server stores);
 * - anything else NULL is a `SyncRowError.missingValue` naming the table and column.
 */
import type { Entity, Field, JsonValue, ObjectDecl, SchemaDecl, TypeRef } from '@sync/core';
import { awaitsServerValue, entityOperation } from '@sync/core';
import type { LocalColumn } from '../live/sql-parts.js';
import { recordFieldNames, stringLiteral, typeOf } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { viewColumns } from './live-columns.js';
import type { ModelArgument, ViewRecordModel } from '../view-models.js';

/**
 * Whether `field` of `decl` is optional in the model because the server sets it (core's
 * `awaitsServerValue`, the rule Kotlin applies too) while the field is otherwise required and
 * non-null.
 */
export function isServerSetOptional(ctx: TranslateContext, decl: ObjectDecl, field: Field): boolean {
  if (!field.required || field.nullable || field.type.nullable === true) return false;
  return awaitsServerValue(ctx.ir, decl.name, field.wireName);
}

function resolve(ctx: TranslateContext, t: TypeRef, depth = 0): { type: TypeRef; decl?: SchemaDecl } {
  if (t.kind !== 'ref') return { type: t };
  const decl = ctx.schemas.get(t.name);
  if (decl?.kind === 'alias' && depth < 8) return resolve(ctx, decl.type, depth + 1);
  return { type: t, decl };
}

/** How `init(row:)` reads a column: `value`, `enumValue` or `json`, and the Swift type. */
function reader(ctx: TranslateContext, c: LocalColumn, field: Field | undefined): { fn: string; type: string } {
  if (!field) return { fn: 'value', type: storageType(c) };
  const type = swiftType({ ...field.type, nullable: undefined } as TypeRef, ctx.names);
  const { type: resolved, decl } = resolve(ctx, field.type);
  if (c.storage === 'json' || ['array', 'map', 'unknown'].includes(resolved.kind) || decl?.kind === 'object' || decl?.kind === 'union') {
    return { fn: 'json', type };
  }
  if (decl?.kind === 'enum') return { fn: 'enumValue', type };
  return { fn: 'value', type };
}

function storageType(c: LocalColumn): string {
  switch (c.storage) {
    case 'uuid':
      return 'UUID';
    case 'int32':
      return 'Int';
    case 'int64':
      return 'Int64';
    case 'float':
    case 'double':
      return 'Double';
    case 'boolean':
      return 'Bool';
    case 'decimal':
      return 'Decimal';
    case 'timestamp':
      return 'Date';
    case 'bytes':
      return 'Data';
    default:
      return 'String';
  }
}

/** The spec's `default` of a field as a literal (of an enum type's raw value), or null when there is none we can type. */
function defaultValue(ctx: TranslateContext, t: TypeRef, value: JsonValue | undefined): ModelArgument['fallback'] {
  const literal = defaultLiteral(ctx, t, value);
  if (literal === null) return null;
  const decl = t.kind === 'literal' || value === undefined || value === null ? undefined : resolve(ctx, t).decl;
  return { literal, enumType: decl?.kind === 'enum' ? typeOf(ctx.names, decl.name) : null };
}

function defaultLiteral(ctx: TranslateContext, t: TypeRef, value: JsonValue | undefined): string | null {
  if (t.kind === 'literal') return typeof t.value === 'string' ? stringLiteral(t.value) : String(t.value);
  if (value === undefined || value === null) return null;
  const { type, decl } = resolve(ctx, t);
  if (decl?.kind === 'enum' && (typeof value === 'string' || typeof value === 'number')) {
    return typeof value === 'string' ? stringLiteral(value) : String(value);
  }
  if (type.kind === 'array' && Array.isArray(value) && value.length === 0) return '[]';
  if (type.kind === 'map' && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return '[:]';
  if (type.kind !== 'scalar') return null;
  switch (type.scalar) {
    case 'string':
    case 'email':
    case 'date':
    case 'time':
      return typeof value === 'string' ? stringLiteral(value) : null;
    case 'boolean':
      return typeof value === 'boolean' ? String(value) : null;
    case 'int32':
    case 'int64':
      return typeof value === 'number' && Number.isInteger(value) ? String(value) : null;
    case 'float':
    case 'double':
      return typeof value === 'number' ? String(value) : null;
    default:
      return null;
  }
}

export function viewRecord(ctx: TranslateContext, e: Entity, name: string, doc: string[]): ViewRecordModel {
  const decl = ctx.schemas.get(e.schema);
  const objectDecl = decl?.kind === 'object' ? decl : undefined;
  const cols = viewColumns(e);
  const names = recordFieldNames(cols.map((c) => c.name));
  const fieldOf = (c: LocalColumn) => objectDecl?.fields.find((f) => f.wireName === c.name);
  const reads = cols.map((c, i) => {
    const r = reader(ctx, c, fieldOf(c));
    return { property: names[i]!, sqlLiteral: stringLiteral(c.sqlName), reader: r.fn, type: r.type, primaryKey: c.primaryKey, nameLiteral: stringLiteral(c.name) };
  });
  const key = cols.findIndex((c) => c.primaryKey);

  // model(): one argument per model field, in the model's init order.
  const createBody = entityOperation(ctx.ir, e, 'create')?.requestBody?.type;
  const createDecl = createBody?.kind === 'ref' ? ctx.schemas.get(createBody.name) : undefined;
  const modelArguments: ModelArgument[] = [];
  if (objectDecl) {
    const modelNames = ctx.fieldNamesOf(objectDecl);
    objectDecl.fields.forEach((f, i) => {
      const ci = cols.findIndex((c) => c.name === f.wireName);
      const optional = !f.required || f.nullable || f.type.nullable === true || isServerSetOptional(ctx, objectDecl, f);
      if (ci < 0 && optional) return;
      const createField = createDecl?.kind === 'object' ? createDecl.fields.find((x) => x.wireName === f.wireName) : undefined;
      const fallback = ci < 0 || optional || cols[ci]!.primaryKey ? null : defaultValue(ctx, f.type, f.default ?? createField?.default);
      modelArguments.push({
        label: modelNames[i]!,
        property: ci < 0 ? null : names[ci]!,
        fallback,
        required: ci < 0 || (!optional && !cols[ci]!.primaryKey && fallback === null),
        type: swiftType({ ...f.type, nullable: undefined } as TypeRef, ctx.names),
        wireLiteral: stringLiteral(f.wireName),
      });
    });
  }
  return {
    name,
    doc,
    model: typeOf(ctx.names, e.schema),
    tableLiteral: stringLiteral(e.table),
    fields: reads.map((r) => ({ name: r.property, type: r.primaryKey ? r.type : `${r.type}?` })),
    reads,
    keyProperty: names[key]!,
    columns: [...cols.map((c, i) => ({ name: names[i]!, literal: stringLiteral(c.sqlName) })), { name: 'pending', literal: '"_pending"' }],
    modelArguments,
  };
}
