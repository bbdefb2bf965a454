/**
 * IR types → Swift types, in one place (style anchor: "names and types come from one place").
 *
 * | IR | Swift | why |
 * | --- | --- | --- |
 * | string, email | `String` | |
 * | uuid | `UUID` | decodes any case; the runtime lower-cases it in paths and local rows |
 * | date-time | `Date` | `SyncCoding` (runtime) decodes ISO-8601 with and without fractional seconds, and Postgres' `2024-01-01 12:00:00+00`; encodes ISO-8601 with milliseconds |
 * | date, time | `String` | `Date` cannot round-trip a calendar date or a wall time without a zone |
 * | uri | `URL` | |
 * | decimal | `Decimal` | decoded from a string or a number, encoded as a string (`decodeDecimal`, `encodeDecimal` in the runtime); inside arrays, maps and aliases `FlexibleDecimal` |
 * | byte, binary | `Data` | base64 in JSON (`JSONEncoder`'s default); raw in multipart/octet-stream |
 * | int32 | `Int` | the IR also gives int32 to integers without a format |
 * | int64 | `Int64` | |
 * | float / double | `Float` / `Double` | |
 * | boolean | `Bool` | |
 * | unknown | `JSONValue` | runtime enum, Sendable and Hashable |
 * | array / map | `[T]` / `[String: T]` | |
 * | literal | its base type | the value becomes the parameter default |
 * | nullable or not required | `T?` | one level: absent and null both decode to nil |
 *
 * Local-database storage classes (SQLite/GRDB) are read by {@link recordType}; their SQLite column
 * types come from core's SQL builder (`sql.sqliteType`).
 */
import type { ColumnStorage, ScalarKind, TypeRef } from '@sync/core';
import { typeOf, type NameTable } from './naming.js';

const SCALARS: Readonly<Record<ScalarKind, string>> = {
  string: 'String',
  email: 'String',
  uuid: 'UUID',
  'date-time': 'Date',
  date: 'String',
  time: 'String',
  uri: 'URL',
  decimal: 'Decimal',
  byte: 'Data',
  binary: 'Data',
  int32: 'Int',
  int64: 'Int64',
  float: 'Float',
  double: 'Double',
  boolean: 'Bool',
};

/**
 * The Swift type of `t`. `nested` is true inside arrays, maps and aliases, where a `Decimal`
 * cannot get the field-level string coding and becomes `FlexibleDecimal`.
 */
export function swiftType(t: TypeRef, names: NameTable, nested = false): string {
  const base = baseType(t, names, nested);
  return t.nullable ? `${base}?` : base;
}

function baseType(t: TypeRef, names: NameTable, nested: boolean): string {
  switch (t.kind) {
    case 'scalar':
      return t.scalar === 'decimal' && nested ? 'FlexibleDecimal' : SCALARS[t.scalar];
    case 'ref':
      return typeOf(names, t.name);
    case 'array':
      return `[${swiftType(t.items, names, true)}]`;
    case 'map':
      return `[String: ${swiftType(t.values, names, true)}]`;
    case 'literal':
      return typeof t.value === 'string' ? 'String' : typeof t.value === 'boolean' ? 'Bool' : Number.isInteger(t.value) ? 'Int' : 'Double';
    case 'unknown':
      return 'JSONValue';
  }
}

/** Whether a field of this type uses the runtime's string/number decimal coding. */
export function isFieldDecimal(t: TypeRef): boolean {
  return t.kind === 'scalar' && t.scalar === 'decimal';
}

/** Swift type of a column in a GRDB record: what SQLite holds, not the app model's type. */
export function recordType(storage: ColumnStorage): string {
  switch (storage) {
    case 'int32':
      return 'Int';
    case 'int64':
      return 'Int64';
    case 'boolean':
      return 'Bool';
    case 'float':
    case 'double':
      return 'Double';
    default:
      return 'String';
  }
}

/** Runtime `SyncStorage` case for a storage class (drives value conversion in `SyncBridge`). */
export function storageCase(storage: ColumnStorage): string {
  return `.${storage}`;
}
