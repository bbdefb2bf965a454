/**
 * Validates request bodies and parameters against IR types: required fields, JSON types, enum
 * members, formats (uuid, date, date-time, time, email, uri, byte, decimal), integer ranges and
 * nullability. Every problem is reported with its JSON path (`$.tags[1]`), so one 422 lists all
 * of them. Constraints the IR does not carry (minLength, minimum, pattern) are not checked.
 */
import type { JsonValue, ScalarKind, SchemaDecl, TypeRef } from '@sync/core';
import { own } from '../util/json.js';

export interface Problem {
  field: string;
  message: string;
}

export interface ValidationContext {
  schemas: ReadonlyMap<string, SchemaDecl>;
  /** In a request, readOnly fields are ignored (the server owns them). */
  direction: 'request' | 'response';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|[+-](\d{2}):?(\d{2}))$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:[Zz]|[+-](\d{2}):?(\d{2}))?$/;
/** Postgres refuses UTC offsets beyond ±15:59 ("time zone displacement out of range"). */
const MAX_OFFSET_HOURS = 15;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)
    ? `${path}.${key}`
    : `${path}[${JSON.stringify(key)}]`;
}

function describe(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v).slice(0, 40)}`;
}

function validDate(v: string): boolean {
  const m = DATE.exec(v);
  // Year 0 does not exist in Postgres (1 BC precedes 1 AD).
  if (m === null || m[1] === '0000') return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.getUTCDate() === Number(m[3]);
}

/** Hours, minutes, seconds and an optional UTC offset, in the ranges Postgres accepts. */
function clockProblem(
  h: string | undefined,
  m: string | undefined,
  sec: string | undefined,
  offH: string | undefined,
  offM: string | undefined,
): string | null {
  const n = (x: string | undefined): number => Number(x ?? '0');
  if (n(h) > 23 || n(m) > 59 || n(sec) > 59) return 'has an hour, minute or second out of range';
  if (n(offH) > MAX_OFFSET_HOURS || n(offM) > 59)
    return `has a UTC offset out of range (at most ±${MAX_OFFSET_HOURS}:59)`;
  return null;
}

function checkDateTime(v: string): string | null {
  const m = DATE_TIME.exec(v);
  if (m === null || Number.isNaN(Date.parse(v)) || !validDate(m[1] ?? ''))
    return `must be an RFC 3339 date-time, got ${JSON.stringify(v)}`;
  const clock = clockProblem(m[2], m[3], m[4], m[6], m[7]);
  return clock === null ? null : `${clock}: ${JSON.stringify(v)}`;
}

function checkTime(v: string): string | null {
  const m = TIME.exec(v);
  if (m === null) return `must be a time (HH:MM:SS), got ${JSON.stringify(v)}`;
  const clock = clockProblem(m[1], m[2], m[3], m[5], m[6]);
  return clock === null ? null : `${clock}: ${JSON.stringify(v)}`;
}

/** `noFormat`: an integer declared without a format, not limited to 32 bits (IR TypeRef). */
function checkScalar(kind: ScalarKind, v: JsonValue, noFormat = false): string | null {
  switch (kind) {
    case 'boolean':
      return typeof v === 'boolean' ? null : `must be a boolean, got ${describe(v)}`;
    case 'int32':
    case 'int64': {
      if (typeof v !== 'number' || !Number.isInteger(v))
        return `must be an integer, got ${describe(v)}`;
      if (kind === 'int32' && !noFormat && (v < -2147483648 || v > 2147483647))
        return `must fit in 32 bits, got ${v}`;
      return Number.isSafeInteger(v) ? null : `is outside the safe integer range`;
    }
    case 'float':
    case 'double':
      return typeof v === 'number' && Number.isFinite(v)
        ? null
        : `must be a number, got ${describe(v)}`;
    case 'decimal':
      if (typeof v === 'number') return Number.isFinite(v) ? null : 'must be a finite number';
      return typeof v === 'string' && DECIMAL.test(v)
        ? null
        : `must be a decimal number (as a string), got ${describe(v)}`;
    default:
      break;
  }
  if (typeof v !== 'string') return `must be a string, got ${describe(v)}`;
  switch (kind) {
    case 'uuid':
      return UUID.test(v) ? null : `must be a uuid, got ${JSON.stringify(v)}`;
    case 'date':
      return validDate(v) ? null : `must be a date (YYYY-MM-DD), got ${JSON.stringify(v)}`;
    case 'date-time':
      return checkDateTime(v);
    case 'time':
      return checkTime(v);
    case 'email':
      return EMAIL.test(v) ? null : `must be an email address, got ${JSON.stringify(v)}`;
    case 'uri':
      return URL.canParse(v) ? null : `must be an absolute URI, got ${JSON.stringify(v)}`;
    case 'byte':
      return BASE64.test(v) ? null : 'must be base64';
    default:
      return null;
  }
}

export function validate(
  ctx: ValidationContext,
  type: TypeRef,
  v: JsonValue,
  path: string,
  out: Problem[],
): void {
  if (v === null) {
    if (type.nullable !== true && !(type.kind === 'unknown'))
      out.push({ field: path, message: 'must not be null' });
    return;
  }
  switch (type.kind) {
    case 'unknown':
      return;
    case 'scalar': {
      const msg = checkScalar(type.scalar, v, type.noFormat === true);
      if (msg !== null) out.push({ field: path, message: msg });
      return;
    }
    case 'literal':
      if (v !== type.value)
        out.push({ field: path, message: `must be ${JSON.stringify(type.value)}` });
      return;
    case 'array':
      if (!Array.isArray(v))
        return void out.push({ field: path, message: `must be an array, got ${describe(v)}` });
      v.forEach((item, i) => validate(ctx, type.items, item, childPath(path, i), out));
      return;
    case 'map':
      if (typeof v !== 'object' || Array.isArray(v))
        return void out.push({ field: path, message: `must be an object, got ${describe(v)}` });
      for (const [k, item] of Object.entries(v))
        validate(ctx, type.values, item, childPath(path, k), out);
      return;
    case 'ref':
      return validateDecl(ctx, type.name, v, path, out);
  }
}

function validateDecl(
  ctx: ValidationContext,
  name: string,
  v: NonNullable<JsonValue>,
  path: string,
  out: Problem[],
): void {
  const decl = ctx.schemas.get(name);
  if (decl === undefined) return;
  switch (decl.kind) {
    case 'alias':
      return validate(ctx, decl.type, v, path, out);
    case 'enum':
      if (!decl.members.some((m) => m.value === v))
        out.push({
          field: path,
          message: `must be one of ${decl.members.map((m) => JSON.stringify(m.value)).join(', ')}, got ${describe(v)}`,
        });
      return;
    case 'union': {
      const matches = decl.variants.filter((variant) => {
        const probe: Problem[] = [];
        validate(ctx, variant.type, v, path, probe);
        return probe.length === 0;
      }).length;
      if (matches === 0)
        out.push({
          field: path,
          message: `matches none of the ${decl.variants.length} variants of ${decl.name}`,
        });
      else if (decl.combinator === 'oneOf' && matches > 1 && decl.discriminator === null)
        out.push({
          field: path,
          message: `matches ${matches} variants of ${decl.name}; oneOf allows exactly one`,
        });
      return;
    }
    case 'object': {
      if (typeof v !== 'object' || Array.isArray(v))
        return void out.push({ field: path, message: `must be an object, got ${describe(v)}` });
      for (const f of decl.fields) {
        if (ctx.direction === 'request' && f.readOnly) continue;
        const value = own(v, f.wireName);
        if (value === undefined) {
          if (f.required) out.push({ field: childPath(path, f.wireName), message: 'is required' });
          continue;
        }
        validate(
          ctx,
          f.nullable && f.type.nullable !== true ? { ...f.type, nullable: true } : f.type,
          value,
          childPath(path, f.wireName),
          out,
        );
      }
      if (decl.additionalProperties !== null) {
        const known = new Set(decl.fields.map((f) => f.wireName));
        for (const [k, item] of Object.entries(v))
          if (!known.has(k))
            validate(ctx, decl.additionalProperties, item, childPath(path, k), out);
      }
      return;
    }
  }
}

/**
 * Strings (and object keys) containing U+0000 anywhere in `v`: Postgres text and jsonb cannot
 * store NUL, so they are refused up front with the path of each one.
 */
export function nulProblems(v: JsonValue | undefined, path: string, out: Problem[]): void {
  const stack: { v: JsonValue | undefined; path: string }[] = [{ v, path }];
  while (stack.length > 0) {
    const item = stack.pop() as { v: JsonValue | undefined; path: string };
    const x = item.v;
    if (typeof x === 'string') {
      if (x.includes('\u0000'))
        out.push({ field: item.path, message: 'must not contain a NUL character (U+0000)' });
    } else if (Array.isArray(x)) {
      x.forEach((child, i) => stack.push({ v: child, path: childPath(item.path, i) }));
    } else if (typeof x === 'object' && x !== null) {
      for (const [k, child] of Object.entries(x)) {
        const at = childPath(item.path, k);
        if (k.includes('\u0000'))
          out.push({ field: at, message: 'property name must not contain a NUL character' });
        stack.push({ v: child, path: at });
      }
    }
  }
}
