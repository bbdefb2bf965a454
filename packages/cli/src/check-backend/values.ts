/**
 * Request bodies the checker sends, made from the IR's types: the required fields of the create
 * body with plain valid values (a unique marker in string fields), and an update that changes
 * one field. Local-only (`x-sync-exclude`) and read-only fields are never sent, like the outbox.
 */
import { randomUUID } from 'node:crypto';
import type { Field, JsonValue, ObjectDecl, SchemaDecl, SyncIR, TypeRef } from '@sync/core';

export type Json = JsonValue;

export function decl(ir: SyncIR, type: TypeRef | null | undefined): SchemaDecl | null {
  if (!type || type.kind !== 'ref') return null;
  return ir.schemas.find((s) => s.name === type.name) ?? null;
}

export function objectDecl(ir: SyncIR, type: TypeRef | null | undefined): ObjectDecl | null {
  const d = decl(ir, type);
  if (d?.kind === 'object') return d;
  if (d?.kind === 'alias') return objectDecl(ir, d.type);
  return null;
}

export function sendable(f: Field): boolean {
  return !f.readOnly && !f.sync.exclude;
}

/** A valid value of `type`; `marker` makes string values unique to this run. */
export function exampleValue(ir: SyncIR, type: TypeRef, marker: string, depth = 0): Json {
  switch (type.kind) {
    case 'scalar':
      switch (type.scalar) {
        case 'uuid':
          return randomUUID();
        case 'email':
          return `${marker}@example.com`;
        case 'uri':
          return `https://example.com/${marker}`;
        case 'date':
          return '2026-01-02';
        case 'date-time':
          return '2026-01-02T03:04:05Z';
        case 'time':
          return '03:04:05';
        case 'decimal':
          return '12.50';
        case 'byte':
          return 'Y2hlY2s=';
        case 'int32':
        case 'int64':
          return 1;
        case 'float':
        case 'double':
          return 1.5;
        case 'boolean':
          return true;
        default:
          return marker;
      }
    case 'literal':
      return type.value;
    case 'array':
      return [];
    case 'map':
      return {};
    case 'unknown':
      return {};
    case 'ref': {
      const d = decl(ir, type);
      if (d === null) return null;
      if (d.kind === 'enum') return d.members[0]?.value ?? null;
      if (d.kind === 'alias') return exampleValue(ir, d.type, marker, depth);
      if (d.kind === 'union') {
        const first = d.variants[0];
        return first ? exampleValue(ir, first.type, marker, depth) : null;
      }
      if (depth > 4) return {};
      return requiredObject(ir, d, marker, depth + 1);
    }
  }
}

export function requiredObject(ir: SyncIR, d: ObjectDecl, marker: string, depth = 0): Json {
  const out: Record<string, Json> = {};
  for (const f of d.fields) {
    if (f.required && sendable(f)) out[f.wireName] = exampleValue(ir, f.type, marker, depth);
  }
  return out;
}

/** A different valid value for an update of `f`, or null when the checker cannot make one. */
export function changedValue(ir: SyncIR, f: Field, marker: string, current: unknown): Json | null {
  const t = f.type;
  if (t.kind === 'scalar') {
    switch (t.scalar) {
      case 'string':
        return `${marker}-updated`;
      case 'email':
        return `${marker}-updated@example.com`;
      case 'int32':
      case 'int64':
        return typeof current === 'number' ? current + 1 : 2;
      case 'boolean':
        return current !== true;
      case 'decimal':
        return '13.75';
      default:
        return null;
    }
  }
  if (t.kind === 'ref') {
    const d = decl(ir, t);
    if (d?.kind === 'enum' && d.members.length > 1) {
      const other = d.members.find((m) => m.value !== current);
      return other?.value ?? null;
    }
  }
  return null;
}

/** A short marker unique to this run, safe in any string field (letters and digits). */
export function newMarker(): string {
  return `chk${randomUUID().replaceAll('-', '').slice(0, 10)}`;
}
