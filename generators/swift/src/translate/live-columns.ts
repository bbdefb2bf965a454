/**
 * Column-level facts of a live entity for the Swift runtime descriptor: the runtime storage
 * case, and the placeholder a view row shows for a non-nullable column the server has not filled
 * yet (a pending insert has no `created_at`), so rows still decode into the app model.
 */
import type { Entity, TypeRef } from '@sync/core';
import { localColumns, type LocalColumn } from '../live/sql-parts.js';
import { fitCall, stringLiteral } from '../naming.js';
import type { TranslateContext } from './context.js';

/** The view's columns in the order of `SyncTable.columns` and of the insert/update arguments. */
export function viewColumns(e: Entity): LocalColumn[] {
  const cols = localColumns(e);
  return [...cols.filter((c) => c.primaryKey), ...cols.filter((c) => c.synced && !c.primaryKey), ...cols.filter((c) => !c.synced)];
}

function placeholderOf(ctx: TranslateContext, t: TypeRef, depth = 0): string {
  switch (t.kind) {
    case 'array':
      return '.array([])';
    case 'map':
      return '.object([:])';
    case 'unknown':
      return '.null';
    case 'literal':
      return typeof t.value === 'string' ? `.string(${stringLiteral(t.value)})` : typeof t.value === 'boolean' ? `.bool(${t.value})` : `.number(${t.value})`;
    case 'ref': {
      const decl = ctx.schemas.get(t.name);
      if (decl?.kind === 'enum') {
        const first = decl.members[0]?.value;
        return first === undefined ? '.null' : typeof first === 'string' ? `.string(${stringLiteral(first)})` : `.number(${first})`;
      }
      if (decl?.kind === 'alias' && depth < 8) return placeholderOf(ctx, decl.type, depth + 1);
      return decl?.kind === 'object' ? '.object([:])' : '.null';
    }
    case 'scalar':
      switch (t.scalar) {
        case 'int32':
        case 'int64':
        case 'float':
        case 'double':
          return '.number(0)';
        case 'boolean':
          return '.bool(false)';
        case 'uuid':
          return '.string("00000000-0000-0000-0000-000000000000")';
        case 'date-time':
          return '.string("1970-01-01T00:00:00Z")';
        case 'date':
          return '.string("1970-01-01")';
        case 'time':
          return '.string("00:00:00")';
        case 'uri':
          return '.string("about:blank")';
        case 'decimal':
          return '.string("0")';
        default:
          return '.string("")';
      }
  }
}

/** `SyncColumn("first_name", .text, nullable: false, synced: true, placeholder: .string(""))` */
export function columnDescriptor(ctx: TranslateContext, e: Entity, c: LocalColumn): string {
  const decl = ctx.schemas.get(e.schema);
  const field = decl?.kind === 'object' ? decl.fields.find((f) => f.wireName === c.name) : undefined;
  const placeholder = c.nullable || !field ? '.null' : placeholderOf(ctx, field.type);
  const args = [stringLiteral(c.name), `.${c.storage}`, ...(c.sqlName === c.name ? [] : [`sqlName: ${stringLiteral(c.sqlName)}`])];
  return fitCall('SyncColumn', [...args, `nullable: ${c.nullable}`, `synced: ${c.synced}`, `placeholder: ${placeholder}`], '      ');
}
