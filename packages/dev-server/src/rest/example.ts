/**
 * Deterministic, schema-valid example values from IR types, for non-entity GET operations (health
 * checks, reports): the same spec always answers the same bytes. Field defaults win; recursion is
 * cut off (empty arrays, null where allowed) so self-referencing schemas terminate.
 */
import type { JsonValue, ScalarKind, SchemaDecl, TypeRef } from '@sync/core';
import { put, record } from '../util/json.js';

const SCALARS: Record<ScalarKind, JsonValue> = {
  string: 'string',
  uuid: '00000000-0000-4000-8000-000000000000',
  date: '2024-01-01',
  'date-time': '2024-01-01T00:00:00Z',
  time: '00:00:00',
  email: 'user@example.com',
  uri: 'https://example.com/',
  decimal: '0.00',
  byte: '',
  binary: '',
  int32: 0,
  int64: 0,
  float: 0,
  double: 0,
  boolean: false,
};

const MAX_DEPTH = 6;

export function exampleFor(
  schemas: ReadonlyMap<string, SchemaDecl>,
  type: TypeRef,
  depth = 0,
): JsonValue {
  if (depth > MAX_DEPTH && type.nullable === true) return null;
  switch (type.kind) {
    case 'unknown':
      return {};
    case 'scalar':
      return SCALARS[type.scalar];
    case 'literal':
      return type.value;
    case 'map':
      return {};
    case 'array':
      return depth > MAX_DEPTH ? [] : [exampleFor(schemas, type.items, depth + 1)];
    case 'ref':
      return declExample(schemas, type.name, depth);
  }
}

function declExample(
  schemas: ReadonlyMap<string, SchemaDecl>,
  name: string,
  depth: number,
): JsonValue {
  const decl = schemas.get(name);
  if (decl === undefined) return {};
  switch (decl.kind) {
    case 'alias':
      return exampleFor(schemas, decl.type, depth);
    case 'enum':
      return decl.members[0]?.value ?? '';
    case 'union': {
      const first = decl.variants[0];
      if (first === undefined) return {};
      const value = exampleFor(schemas, first.type, depth + 1);
      const tag = first.tags[0];
      if (
        decl.discriminator !== null &&
        tag !== undefined &&
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value)
      )
        return { ...value, [decl.discriminator.property]: tag };
      return value;
    }
    case 'object': {
      const out = record<JsonValue>();
      for (const f of decl.fields) {
        if (f.writeOnly) continue;
        if (depth > MAX_DEPTH && !f.required) continue;
        put(
          out,
          f.wireName,
          f.default !== undefined ? f.default : exampleFor(schemas, f.type, depth + 1),
        );
      }
      return out;
    }
  }
}
