/**
 * IR `TypeRef` → TypeScript type text, in one place so that every artifact agrees.
 *
 * Policy (the wire format is JSON, and generated code never converts values):
 * - `date`, `date-time`, `time`: ISO-8601 `string` (a `Date` would need a conversion layer and
 *   would lose the original offset);
 * - `decimal`: `string` (exact; JSON numbers would round);
 * - `int64`: `number`. Values above 2^53 - 1 lose precision in `JSON.parse`; specs whose int64 ids
 *   really exceed that must send them as strings;
 * - `byte`: base64 `string`; `binary`: `Blob` (only meaningful in multipart / octet-stream bodies);
 * - `unknown` → `unknown` (never `any`), maps → `Record<string, T>`;
 * - `nullable` → `T | null`. Optionality is the `?:` of a property and is decided by callers from
 *   `Field.required`, so "may be absent" and "may be null" stay distinct.
 */
import type { ScalarKind, TypeRef } from '@sync/core';

// prettier-ignore
const SCALARS: Readonly<Record<ScalarKind, string>> = {
  string: 'string', uuid: 'string', date: 'string', 'date-time': 'string', time: 'string',
  email: 'string', uri: 'string', decimal: 'string', byte: 'string', binary: 'Blob',
  int32: 'number', int64: 'number', float: 'number', double: 'number', boolean: 'boolean',
};

/** Resolves an IR declaration name to its (unique) TypeScript type name. */
export type TypeNameOf = (declName: string) => string;

/** A literal type: strings quoted safely, numbers and booleans as written. */
export function literalType(
  value: string | number | boolean,
  quote: (s: string) => string,
): string {
  return typeof value === 'string' ? quote(value) : String(value);
}

/** `T[]` for a plain name, `Array<…>` when the element is itself a union or intersection. */
function arrayOf(items: string): string {
  return /^[A-Za-z0-9_$.]+$/.test(items) ? `${items}[]` : `Array<${items}>`;
}

/** The type text of `ref`, without the nullable part. */
function baseType(ref: TypeRef, nameOf: TypeNameOf, quote: (s: string) => string): string {
  switch (ref.kind) {
    case 'scalar':
      return SCALARS[ref.scalar];
    case 'ref':
      return nameOf(ref.name);
    case 'array':
      return arrayOf(tsType(ref.items, nameOf, quote));
    case 'map':
      return `Record<string, ${tsType(ref.values, nameOf, quote)}>`;
    case 'literal':
      return literalType(ref.value, quote);
    case 'unknown':
      return 'unknown';
  }
}

/** The TypeScript type of `ref`; `T | null` when the IR marks it nullable. */
export function tsType(ref: TypeRef, nameOf: TypeNameOf, quote: (s: string) => string): string {
  const base = baseType(ref, nameOf, quote);
  return ref.nullable && base !== 'unknown' ? `${base} | null` : base;
}

/** Declaration names a type refers to directly (for import lists). */
export function referencedDecls(ref: TypeRef, into: Set<string> = new Set()): Set<string> {
  if (ref.kind === 'ref') into.add(ref.name);
  else if (ref.kind === 'array') referencedDecls(ref.items, into);
  else if (ref.kind === 'map') referencedDecls(ref.values, into);
  return into;
}
