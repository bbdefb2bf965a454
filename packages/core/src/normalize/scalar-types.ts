import type { ScalarKind, TypeRef } from '../ir/types.js';
import { isObject } from '../load/context.js';

/**
 * Scalar and nullability rules of the type normaliser (see docs/ir.md, "Types"): which
 * `type` + `format` pairs become which {@link ScalarKind}, and every spelling of "null allowed".
 */

/** Keywords we read; anything else structural is reported once as skipped (SP0401). */
export const UNSUPPORTED_KEYWORDS = [
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentSchemas',
  'unevaluatedProperties',
  'prefixItems',
] as const;

const INT_FORMATS: Record<string, ScalarKind> = {
  int32: 'int32',
  int64: 'int64',
  int8: 'int32',
  int16: 'int32',
  uint8: 'int32',
  uint16: 'int32',
  uint32: 'int64',
  uint64: 'int64',
};
const NUMBER_FORMATS: Record<string, ScalarKind> = {
  float: 'float',
  double: 'double',
  decimal: 'decimal',
};
const STRING_FORMATS: Record<string, ScalarKind> = {
  uuid: 'uuid',
  date: 'date',
  'date-time': 'date-time',
  time: 'time',
  email: 'email',
  'idn-email': 'email',
  uri: 'uri',
  url: 'uri',
  'uri-reference': 'uri',
  iri: 'uri',
  decimal: 'decimal',
  byte: 'byte',
  base64: 'byte',
  binary: 'binary',
};
/** Formats that carry no type information for us: plain strings, no warning. */
const PLAIN_STRING_FORMATS = new Set([
  'password',
  'hostname',
  'ipv4',
  'ipv6',
  'regex',
  'json-pointer',
  'uri-template',
  'duration',
  'phone',
  'idn-hostname',
  'relative-json-pointer',
  'textarea',
  'html',
  'markdown',
  'color',
]);

/** pydantic v2 emits Decimal as `anyOf: [{type: number}, {type: string, pattern: …}]`. */
export function isPydanticDecimal(variants: Record<string, unknown>[]): boolean {
  if (variants.length !== 2) return false;
  const types = variants.map((v) => v.type).sort();
  return (
    types[0] === 'number' &&
    types[1] === 'string' &&
    variants.every((v) =>
      Object.keys(v).every((k) => ['type', 'pattern', 'title', 'format'].includes(k)),
    )
  );
}

export function withNullable(t: TypeRef, nullable: boolean): TypeRef {
  if (!nullable || t.nullable) return t;
  return { ...t, nullable: true };
}

export function isNullSchema(v: unknown): boolean {
  return (
    isObject(v) &&
    (v.type === 'null' || (Array.isArray(v.enum) && v.enum.length === 1 && v.enum[0] === null)) &&
    !('$ref' in v)
  );
}

/** The non-null entries of `type` (a string or, in 3.1, an array). */
export function typeList(v: Record<string, unknown>): string[] {
  if (Array.isArray(v.type))
    return v.type.filter((t): t is string => typeof t === 'string' && t !== 'null');
  return typeof v.type === 'string' ? [v.type] : [];
}

/** `null` is allowed: 3.0 `nullable`, a 3.1 type array with `null`, or `null` among enum values. */
export function isNullable(v: Record<string, unknown>): boolean {
  if (v.nullable === true) return true;
  if (Array.isArray(v.type) && v.type.includes('null')) return true;
  if (Array.isArray(v.enum) && v.enum.includes(null)) return true;
  return false;
}

/**
 * An integer whose values the spec does not limit to 32 bits although its scalar kind is `int32`:
 * `type: integer` without a known integer format (FastAPI's `int`, NestJS's `number` ids) and no
 * bounds beyond 32 bits. The IR marks it `noFormat: true` (see ir.md, "Types").
 */
export function isUnformattedInteger(type: string, schema: Record<string, unknown>): boolean {
  if (type !== 'integer') return false;
  const f = typeof schema.format === 'string' ? schema.format : undefined;
  return !(f !== undefined && INT_FORMATS[f] !== undefined);
}

/**
 * The scalar kind of `type` + `format`. An integer without a format is int64 when its declared
 * bounds need 64 bits. `onUnknownFormat(format, fallback)` is called for formats we do not know.
 */
export function scalarKind(
  type: string,
  schema: Record<string, unknown>,
  onUnknownFormat: (format: string, fallback: string) => void,
): ScalarKind {
  if (type === 'boolean') return 'boolean';
  const f = typeof schema.format === 'string' ? schema.format : undefined;
  if (type === 'integer') {
    if (f && INT_FORMATS[f]) return INT_FORMATS[f]!;
    const max = typeof schema.maximum === 'number' ? schema.maximum : 0;
    const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
    if (max > 2_147_483_647 || min < -2_147_483_648) return 'int64';
    if (f) onUnknownFormat(f, 'int32');
    return 'int32';
  }
  if (type === 'number') {
    if (f && NUMBER_FORMATS[f]) return NUMBER_FORMATS[f]!;
    if (f && !INT_FORMATS[f]) onUnknownFormat(f, 'double');
    return 'double';
  }
  if (f && STRING_FORMATS[f]) return STRING_FORMATS[f]!;
  if (f && !PLAIN_STRING_FORMATS.has(f)) onUnknownFormat(f, 'string');
  return 'string';
}
