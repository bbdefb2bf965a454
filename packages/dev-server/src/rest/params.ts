/**
 * Path and query parameters: strings on the wire, coerced to the IR type (integers, booleans,
 * enums, exploded arrays) and then validated like a body, with paths `path.<name>` and
 * `query.<name>`. Header and cookie parameters are only checked for presence; header values are
 * kept, coerced, under {@link headerKey} (bindings may name a header: see rest/entity.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue, Operation, SchemaDecl, TypeRef } from '@sync/core';
import { own } from '../util/json.js';
import { nulProblems, validate, type Problem } from './validate.js';

export function coerce(
  schemas: ReadonlyMap<string, SchemaDecl>,
  type: TypeRef,
  raw: string,
): JsonValue {
  let t: TypeRef = type;
  if (t.kind === 'ref') {
    const decl = schemas.get(t.name);
    if (decl?.kind === 'alias') t = decl.type;
    else if (decl?.kind === 'enum' && decl.base !== 'string' && /^-?\d+(\.\d+)?$/.test(raw))
      return Number(raw);
  }
  if (t.kind === 'literal' && typeof t.value !== 'string')
    return raw === 'true' ? true : raw === 'false' ? false : Number(raw);
  if (t.kind !== 'scalar') return raw;
  switch (t.scalar) {
    case 'int32':
    case 'int64':
    case 'float':
    case 'double':
      return raw.trim() !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
    case 'boolean':
      return raw === 'true' || raw === '1' ? true : raw === 'false' || raw === '0' ? false : raw;
    default:
      return raw;
  }
}

/** The key of a header parameter's value in {@link ParsedParams.values}. */
export function headerKey(name: string): string {
  return `header:${name.toLowerCase()}`;
}

export interface ParsedParams {
  values: Map<string, JsonValue>;
  problems: Problem[];
}

export function parseParams(
  schemas: ReadonlyMap<string, SchemaDecl>,
  op: Operation,
  pathParams: Record<string, string>,
  query: URLSearchParams,
  headers: IncomingHttpHeaders,
): ParsedParams {
  const values = new Map<string, JsonValue>();
  const problems: Problem[] = [];
  const ctx = { schemas, direction: 'request' as const };
  for (const p of op.parameters) {
    const where = `${p.in}.${p.wireName}`;
    if (p.in === 'header' || p.in === 'cookie') {
      const present =
        p.in === 'header'
          ? headers[p.wireName.toLowerCase()] !== undefined
          : (headers.cookie ?? '').includes(`${p.wireName}=`);
      if (p.required && !present) problems.push({ field: where, message: 'is required' });
      const raw = p.in === 'header' ? headers[p.wireName.toLowerCase()] : undefined;
      // Kept (as `header:<name>`) for the optimistic-concurrency check of bound headers.
      if (typeof raw === 'string') values.set(headerKey(p.wireName), coerce(schemas, p.type, raw));
      continue;
    }
    let value: JsonValue | undefined;
    if (p.in === 'path') {
      const raw = own(pathParams, p.wireName);
      value = raw === undefined ? undefined : coerce(schemas, p.type, raw);
    } else if (p.type.kind === 'array') {
      const items = p.explode
        ? query.getAll(p.wireName)
        : (query.get(p.wireName)?.split(',') ?? []);
      value =
        items.length === 0
          ? undefined
          : items.map((s) => coerce(schemas, p.type.kind === 'array' ? p.type.items : p.type, s));
    } else {
      const raw = query.get(p.wireName);
      value = raw === null ? undefined : coerce(schemas, p.type, raw);
    }
    if (value === undefined) {
      if (p.required) problems.push({ field: where, message: 'is required' });
      continue;
    }
    validate(ctx, p.type, value, where, problems);
    nulProblems(value, where, problems);
    values.set(p.wireName, value);
  }
  return { values, problems };
}
