/**
 * One live entity's columns typed as its model (`Contact`): the view row's property types, the
 * Room `@TypeConverter`s they need, the row → model mapping and the provisional values a local
 * insert stores for required values only the server sets.
 *
 * Storage is the JSON wire form (sync-runtime-contract §1: ISO-8601 text for dates, text for
 * UUIDs, decimals and string enums, JSON text for objects and arrays, INTEGER for integers and
 * booleans, REAL for numbers). Types Room reads natively (String and its aliases `IsoDateTime`,
 * `IsoDate`, `IsoTime`, `Base64`, Int, Long, Float, Double, Boolean) need no converter; enums and
 * decimals are read from their text (`ColumnText.scalar`), everything else from JSON text
 * (`ColumnText.json`), both through the models' kotlinx serializers.
 */
import type { Entity, Field, JsonValue, ObjectDecl, SyncIR, TypeRef } from '@sync/core';
import type { Imports } from '../../imports.js';
import { fieldNames, kt, memberNames, type NameTable } from '../../naming.js';
import { kotlinType } from '../../type-map.js';

export interface ConverterVM {
  /** Function name in the converters class. */
  name: string;
  /** The model type, nullable (`ContactStatus?`). */
  type: string;
  /** `scalar` (enum, decimal: the column's text) or `json` (JSON text). */
  reader: 'scalar' | 'json';
}

export interface ModelColumnVM {
  /** Kotlin type of the view row's property (the model's type, nullable except the key). */
  rowType: string;
  /** Named argument of the model's constructor (`firstName = …`), '' when the model has no such field. */
  modelProp: string;
  /** The model requires a value: the mapping checks it (`LocalRows.required`). */
  modelRequired: boolean;
  /** The value is written back to wire JSON through `ColumnText.put` (typed) rather than `Columns.put`. */
  typed: boolean;
}

export interface ModelMapping {
  model: string;
  columns: ModelColumnVM[];
  /** Model types (nullable) that need a converter, with how their column is read. */
  converterTypes: Map<string, 'scalar' | 'json'>;
  /** `"created_at" to LocalRows.timestamp(now)` lines of the table's `provisional(now)`. */
  provisional: { literal: string; expr: string; last: boolean }[];
  /** Runtime / kotlinx names the provisional expressions use. */
  provisionalImports: string[];
}

function resolve(ref: TypeRef, ir: SyncIR): TypeRef {
  if (ref.kind !== 'ref') return ref;
  const decl = ir.schemas.find((s) => s.name === ref.name);
  return decl?.kind === 'alias' ? resolve({ ...decl.type, nullable: ref.nullable || decl.type.nullable }, ir) : ref;
}

function readerOf(ref: TypeRef, ir: SyncIR): 'native' | 'scalar' | 'json' {
  const t = resolve(ref, ir);
  if (t.kind === 'scalar') return t.scalar === 'decimal' ? 'scalar' : 'native';
  if (t.kind === 'literal') return 'native';
  if (t.kind === 'ref' && ir.schemas.find((s) => s.name === t.name)?.kind === 'enum') return 'scalar';
  return 'json';
}

/** A JSON value as a Kotlin expression of a `JsonElement` (wire form). */
function jsonExpr(value: JsonValue, imports: Set<string>): string | null {
  if (value === null) return null;
  if (typeof value === 'string') return `JsonPrimitive(${kt.stringLiteral(value)})`;
  if (typeof value === 'number' || typeof value === 'boolean') return `JsonPrimitive(${JSON.stringify(value)})`;
  imports.add('io.syncpatterns.runtime.serial.SyncJson');
  return `SyncJson.parseToJsonElement(${kt.stringLiteral(JSON.stringify(value))})`;
}

/** What a pending insert shows for a required value it did not give, until the server's row arrives. */
function provisionalExpr(field: Field, storage: string, ir: SyncIR, imports: Set<string>): string | null {
  if (field.default !== undefined) return jsonExpr(field.default, imports);
  const t = resolve(field.type, ir);
  const decl = t.kind === 'ref' ? ir.schemas.find((s) => s.name === t.name) : undefined;
  if (decl?.kind === 'enum') return decl.members[0] ? jsonExpr(decl.members[0].value, imports) : null;
  if (t.kind === 'literal') return jsonExpr(t.value as JsonValue, imports);
  switch (storage) {
    case 'timestamp':
      return 'LocalRows.timestamp(now)';
    case 'date':
      return 'LocalRows.date(now)';
    case 'time':
      return 'LocalRows.time(now)';
    case 'uuid':
      return 'LocalRows.uuid()';
    case 'int32':
    case 'int64':
      return 'JsonPrimitive(0)';
    case 'float':
    case 'double':
      return 'JsonPrimitive(0.0)';
    case 'boolean':
      return 'JsonPrimitive(false)';
    case 'decimal':
      return 'JsonPrimitive("0")';
    case 'text':
    case 'bytes':
      return 'JsonPrimitive("")';
    default:
      if (t.kind === 'array') {
        imports.add('kotlinx.serialization.json.JsonArray');
        return 'JsonArray(emptyList())';
      }
      if (t.kind === 'map') return 'JsonObject(emptyMap())';
      // A required nested object the server fills: nothing sensible to show; the mapping names it.
      return null;
  }
}

/** The converters class's functions for every live entity's converter types (one per type, sorted). */
export function converterFunctions(all: Map<string, 'scalar' | 'json'>): ConverterVM[] {
  const types = [...all.keys()].sort();
  const fnNames = memberNames(types.map((t) => `to ${t.replace(/</g, ' of ').replace(/[^A-Za-z0-9]+/g, ' ')}`));
  return types.map((type, i) => ({ name: fnNames[i]!, type, reader: all.get(type)! }));
}

/**
 * The typed columns of `entity` (in `entity.columns` order). Model and field types are recorded in
 * `rowImports` (the view row's file); converter types in `converterImports`.
 */
export function modelMapping(entity: Entity, ir: SyncIR, names: NameTable, rowImports: Imports, converterImports: Imports): ModelMapping {
  const decl = ir.schemas.find((s): s is ObjectDecl => s.name === entity.schema && s.kind === 'object')!;
  const props = fieldNames(decl.fields);
  const model = kotlinType({ kind: 'ref', name: decl.name }, { names, imports: rowImports });
  const create = ir.schemas.find((s): s is ObjectDecl => s.name === entity.createSchema && s.kind === 'object');
  const alwaysGiven = new Set(create?.fields.filter((f) => f.required && !f.type.nullable).map((f) => f.wireName) ?? []);
  const converters = new Map<string, 'scalar' | 'json'>();
  const provisional: { literal: string; expr: string }[] = [];
  const provisionalImports = new Set<string>();
  const columns = entity.columns.map((column): ModelColumnVM => {
    const i = decl.fields.findIndex((f) => f.wireName === column.name);
    const field = decl.fields[i];
    if (!field) return { rowType: '', modelProp: '', modelRequired: false, typed: false };
    const base = kotlinType({ ...field.type, nullable: undefined } as TypeRef, { names, imports: rowImports });
    const reader = readerOf(field.type, ir);
    // Scalars other than decimals (and aliases of them: Kotlin typealiases) are Room's own types.
    // One converter per underlying type: Room (KSP) sees through typealiases, and two converters of
    // one type are an error.
    if (reader !== 'native') {
      const underlying = kotlinType({ ...resolve(field.type, ir), nullable: undefined } as TypeRef, { names, imports: converterImports });
      converters.set(`${underlying}?`, reader);
    }
    const required = !column.nullable && !column.primaryKey;
    // A value the create body must give is always there; the others may be missing locally.
    if (required && !alwaysGiven.has(column.name)) {
      const expr = provisionalExpr(field, column.storage, ir, provisionalImports);
      if (expr?.startsWith('LocalRows.')) provisionalImports.add('io.syncpatterns.runtime.sync.LocalRows');
      if (expr !== null) provisional.push({ literal: kt.stringLiteral(column.name), expr });
    }
    return { rowType: column.primaryKey ? base : `${base}?`, modelProp: props[i]!, modelRequired: required, typed: reader !== 'native' };
  });
  return {
    model,
    columns,
    converterTypes: converters,
    provisional: provisional.map((p, i) => ({ ...p, last: i === provisional.length - 1 })),
    provisionalImports: [...provisionalImports].sort(),
  };
}
