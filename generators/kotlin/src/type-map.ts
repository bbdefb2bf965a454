/**
 * IR types → Kotlin types (one place, so models, API signatures and repositories agree).
 *
 * Strategy (see ARCHITECTURE.md, "Type mapping"):
 * - `date`, `date-time`, `time` → runtime typealiases of `String` (`IsoDate`, `IsoDateTime`,
 *   `IsoTime`): kotlinx-datetime is not on the default classpath and `java.time` needs API 26;
 *   the value is exactly what the server sent.
 * - `decimal` → runtime `Decimal` = `BigDecimal` with a string serializer (exact; the contract's
 *   shape values also carry numerics as strings).
 * - `int32` → Int, `int64` → Long, `float` → Float, `double` → Double.
 * - `byte` / `binary` in a JSON model → `Base64` (= String, base64 text as on the wire).
 * - unknown / free-form → `JsonElement`; maps → `Map<String, T>`; arrays → `List<T>`.
 * - `literal` (`const`) → its base type (the value is checked by nothing; see README limitations).
 * Nullability: `?` exactly when the IR type is nullable. Optional (`Field.required = false`) is a
 * separate decision taken by the model translator (`= null` default).
 */
import type { ColumnStorage, ScalarKind, TypeRef } from '@sync/core';
import type { Imports } from './imports.js';
import { RUNTIME_PACKAGE, type NameTable } from './naming.js';

const SERIAL = `${RUNTIME_PACKAGE}.serial`;

/** Kotlin type (simple name) and the import it needs, per scalar kind. */
const SCALARS: Record<ScalarKind, { name: string; import?: string }> = {
  string: { name: 'String' },
  email: { name: 'String' },
  uri: { name: 'String' },
  uuid: { name: 'String' },
  date: { name: 'IsoDate', import: `${SERIAL}.IsoDate` },
  'date-time': { name: 'IsoDateTime', import: `${SERIAL}.IsoDateTime` },
  time: { name: 'IsoTime', import: `${SERIAL}.IsoTime` },
  decimal: { name: 'Decimal', import: `${SERIAL}.Decimal` },
  byte: { name: 'Base64', import: `${SERIAL}.Base64` },
  binary: { name: 'Base64', import: `${SERIAL}.Base64` },
  int32: { name: 'Int' },
  int64: { name: 'Long' },
  float: { name: 'Float' },
  double: { name: 'Double' },
  boolean: { name: 'Boolean' },
};

/** What a type mapping needs: the name table and the current file's imports. */
export interface TypeContext {
  names: NameTable;
  imports: Imports;
}

/** The Kotlin type of `ref`, recording imports in `ctx`. */
export function kotlinType(ref: TypeRef, ctx: TypeContext): string {
  const base = baseType(ref, ctx);
  return ref.nullable ? `${base}?` : base;
}

function baseType(ref: TypeRef, ctx: TypeContext): string {
  switch (ref.kind) {
    case 'scalar': {
      const s = SCALARS[ref.scalar];
      if (s.import) ctx.imports.add(s.import);
      return s.name;
    }
    case 'ref': {
      const name = ctx.names.types.get(ref.name);
      if (name === undefined) throw new Error(`IR references unknown schema ${ref.name}`);
      ctx.imports.add(`${ctx.names.packages.model}.${name}`);
      return name;
    }
    case 'array':
      return `List<${kotlinType(ref.items, ctx)}>`;
    case 'map':
      return `Map<String, ${kotlinType(ref.values, ctx)}>`;
    case 'literal':
      return typeof ref.value === 'string' ? 'String' : typeof ref.value === 'boolean' ? 'Boolean' : Number.isInteger(ref.value) ? 'Long' : 'Double';
    case 'unknown':
      ctx.imports.add('kotlinx.serialization.json.JsonElement');
      return 'JsonElement';
  }
}

/** A raw name for a type, used to name union variants (`Cat` → `CatValue`, `List<…>` → `ListValue`). */
export function typeWord(ref: TypeRef, names: NameTable): string {
  switch (ref.kind) {
    case 'scalar':
      return SCALARS[ref.scalar].name;
    case 'ref':
      return names.types.get(ref.name) ?? ref.name;
    case 'array':
      return 'List';
    case 'map':
      return 'Map';
    case 'literal':
      return 'Literal';
    case 'unknown':
      return 'Json';
  }
}

/** Room column type per storage class (Room derives the SQLite affinity from it). */
export function storageKotlinType(storage: ColumnStorage): string {
  switch (storage) {
    case 'int32':
      return 'Int';
    case 'int64':
      return 'Long';
    case 'float':
      return 'Float';
    case 'double':
      return 'Double';
    case 'boolean':
      return 'Boolean';
    default:
      // text, uuid, decimal (exact text), date/timestamp/time (ISO text), json (JSON text), bytes (base64).
      return 'String';
  }
}

/** SQLite column type Room's schema uses for a storage class (INTEGER for Int/Long/Boolean). */
export function storageSqlType(storage: ColumnStorage): 'TEXT' | 'INTEGER' | 'REAL' {
  const t = storageKotlinType(storage);
  return t === 'String' ? 'TEXT' : t === 'Float' || t === 'Double' ? 'REAL' : 'INTEGER';
}
