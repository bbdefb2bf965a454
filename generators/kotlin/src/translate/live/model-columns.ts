/**
 * One live entity's columns typed as its model (`Contact`): the view row's property types, the
 * Room `@TypeConverter`s they need and the row → model mapping (`toModel()`).
 *
 * A pending local insert lacks what the server has not given it yet. Nothing invents a value:
 * - a field only the server fills (core's `awaitsServerValue`: `created_at`, a version, …) is
 *   nullable in the model itself (object.ts), in push and live alike, and read as it is;
 * - a client field the create may omit takes the spec's `default` (or `const`), the value the
 *   server stores: `status = status ?: ContactStatus.LEAD`;
 * - anything else NULL for a non-null model field is a clear error naming the table and column
 *   (`LocalRows.required`).
 *
 * Storage is the JSON wire form (sync-runtime-contract §1: ISO-8601 text for dates, text for
 * UUIDs, decimals and string enums, JSON text for objects and arrays, INTEGER for integers and
 * booleans, REAL for numbers). Types Room reads natively (String and its aliases `IsoDateTime`,
 * `IsoDate`, `IsoTime`, `Base64`, Int, Long, Float, Double, Boolean) need no converter; enums and
 * decimals are read from their text (`ColumnText.scalar`), everything else from JSON text
 * (`ColumnText.json`), both through the models' kotlinx serializers.
 */
import { awaitsServerValue, type Entity, type JsonValue, type ObjectDecl, type SyncIR, type TypeRef } from '@sync/core';
import type { Imports } from '../../imports.js';
import { enumEntryNames, fieldNames, kt, memberNames, type NameTable } from '../../naming.js';
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
  /** The model requires a value and the spec gives no default: the mapping checks it (`LocalRows.required`). */
  modelRequired: boolean;
  /** The spec's default of a non-null model field (`ContactStatus.LEAD`, `emptyList()`); null when none. */
  modelDefault: DefaultVM | null;
  /** The value is written back to wire JSON through `ColumnText.put` (typed) rather than `Columns.put`. */
  typed: boolean;
}

/**
 * The spec's `default` of a model field, as data for the template: exactly one of an enum entry
 * (`ContactStatus.LEAD`), a decimal from its exact text (`Decimal("1.50")`), an empty collection
 * (`emptyList()`, `emptyMap()`) or a plain literal (`"x"`, `true`, `5L`, `1.5f`, `2.0`).
 */
export interface DefaultVM {
  enumType: string;
  enumEntry: string;
  /** The runtime's decimal type; its text is `literal` (a string literal). */
  decimalType: string;
  emptyList: boolean;
  emptyMap: boolean;
  /** A Kotlin literal (string, boolean or number), or the decimal's text as a string literal. */
  literal: string;
}

const NO_DEFAULT: DefaultVM = { enumType: '', enumEntry: '', decimalType: '', emptyList: false, emptyMap: false, literal: '' };
const literal = (text: string | null): DefaultVM | null => (text === null ? null : { ...NO_DEFAULT, literal: text });

export interface ModelMapping {
  model: string;
  columns: ModelColumnVM[];
  /** Model types (nullable) that need a converter, with how their column is read. */
  converterTypes: Map<string, 'scalar' | 'json'>;
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

/** A Kotlin numeric literal of `value`, or null when `value` is not a plain decimal number. */
function numberLiteral(value: number, suffix: '' | 'L' | 'f' | '.0'): string | null {
  const text = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(text)) return null;
  if (suffix === '.0') return text.includes('.') ? text : `${text}.0`;
  if (suffix !== 'f' && text.includes('.')) return null;
  return `${text}${suffix}`;
}

/**
 * The spec's `default` (or `const`) of a model field, typed as the field (`ContactStatus.LEAD`,
 * `emptyList()`), or null when there is none we can write as a literal.
 */
function defaultOf(type: TypeRef, value: JsonValue | undefined, ir: SyncIR, names: NameTable, imports: Imports): DefaultVM | null {
  const t = resolve(type, ir);
  if (t.kind === 'literal') value = t.value as JsonValue;
  if (value === undefined || value === null) return null;
  const decl = t.kind === 'ref' ? ir.schemas.find((s) => s.name === t.name) : undefined;
  if (decl?.kind === 'enum') {
    const i = decl.members.findIndex((m) => m.value === value);
    if (i < 0) return null;
    const { entries } = enumEntryNames(decl.members.map((m) => m.value));
    return { ...NO_DEFAULT, enumType: kotlinType({ kind: 'ref', name: decl.name }, { names, imports }), enumEntry: entries[i]! };
  }
  if (t.kind === 'array') return Array.isArray(value) && value.length === 0 ? { ...NO_DEFAULT, emptyList: true } : null;
  if (t.kind === 'map') return typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0 ? { ...NO_DEFAULT, emptyMap: true } : null;
  if (t.kind === 'literal') {
    if (typeof value === 'string') return literal(kt.stringLiteral(value));
    if (typeof value === 'boolean') return literal(String(value));
    return typeof value === 'number' ? literal(numberLiteral(value, Number.isInteger(value) ? 'L' : '.0')) : null;
  }
  if (t.kind !== 'scalar') return null;
  switch (t.scalar) {
    case 'boolean':
      return typeof value === 'boolean' ? literal(String(value)) : null;
    case 'int32':
      return typeof value === 'number' && value >= -(2 ** 31) && value < 2 ** 31 ? literal(numberLiteral(value, '')) : null;
    case 'int64':
      // Beyond 2^53 the spec's number was already rounded by the JSON parser: no exact literal.
      return typeof value === 'number' && Number.isSafeInteger(value) ? literal(numberLiteral(value, 'L')) : null;
    case 'float':
      return typeof value === 'number' ? literal(numberLiteral(value, 'f')) : null;
    case 'double':
      return typeof value === 'number' ? literal(numberLiteral(value, '.0')) : null;
    case 'decimal': {
      // The runtime's `Decimal` (a typealias of BigDecimal), from the exact text.
      const text = typeof value === 'number' ? numberLiteral(value, '') ?? numberLiteral(value, '.0') : value;
      if (typeof text !== 'string' || !/^-?\d+(\.\d+)?$/.test(text)) return null;
      return { ...NO_DEFAULT, decimalType: kotlinType({ kind: 'scalar', scalar: 'decimal' }, { names, imports }), literal: kt.stringLiteral(text) };
    }
    default:
      // String and its typealiases (dates, times, uuids, base64): the wire text itself.
      return typeof value === 'string' ? literal(kt.stringLiteral(value)) : null;
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
  const converters = new Map<string, 'scalar' | 'json'>();
  const columns = entity.columns.map((column): ModelColumnVM => {
    const i = decl.fields.findIndex((f) => f.wireName === column.name);
    const field = decl.fields[i];
    if (!field) return { rowType: '', modelProp: '', modelRequired: false, modelDefault: null, typed: false };
    const base = kotlinType({ ...field.type, nullable: undefined } as TypeRef, { names, imports: rowImports });
    const reader = readerOf(field.type, ir);
    // Scalars other than decimals (and aliases of them: Kotlin typealiases) are Room's own types.
    // One converter per underlying type: Room (KSP) sees through typealiases, and two converters of
    // one type are an error.
    if (reader !== 'native') {
      const underlying = kotlinType({ ...resolve(field.type, ir), nullable: undefined } as TypeRef, { names, imports: converterImports });
      converters.set(`${underlying}?`, reader);
    }
    const rowType = column.primaryKey ? base : `${base}?`;
    const typed = reader !== 'native';
    // Passed as they are: the key (never null in the view), and what the model declares nullable:
    // optional or nullable fields, and the fields only the server fills.
    if (column.primaryKey || column.nullable || awaitsServerValue(ir, decl.name, field.wireName)) {
      return { rowType, modelProp: props[i]!, modelRequired: false, modelDefault: null, typed };
    }
    const given = create?.fields.find((f) => f.wireName === column.name);
    const fallback = defaultOf(field.type, field.default ?? given?.default, ir, names, rowImports);
    return { rowType, modelProp: props[i]!, modelRequired: fallback === null, modelDefault: fallback, typed };
  });
  return { model, columns, converterTypes: converters };
}
