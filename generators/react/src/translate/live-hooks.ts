/**
 * Live mode of an entity's hooks: the same names and signatures as push mode (so flipping
 * `x-sync` never changes a component), but reading rows from the local database through
 * `useLiveRows` / `useLiveRow` and writing through the view with `useLiveMutation`. Decides, per
 * hook, the runtime call's arguments and types; a hook whose call shape live mode cannot map
 * (no way to find the primary key) stays a push hook.
 */
import type { Entity } from '@sync/core';
import { propertyAccess, stringLiteral } from '../naming.js';
import type { CallShape } from './call-shape.js';
import type { Context, EntityContext } from './context.js';
import type { LiveHook } from './hooks.js';
import { liveEntities } from './live.js';

type Role = 'list' | 'get' | 'create' | 'update' | 'replace' | 'delete';

const lastPathParam = (ctx: Context, e: Entity, role: Role): string | undefined => {
  const name = e.operations[role];
  const op = name === undefined ? undefined : ctx.operation(name);
  return op ? [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '').pop() : undefined;
};

const base = (table: string, row: string): LiveHook => ({
  table,
  row,
  key: '',
  op: '',
  shape: '',
  vars: '',
  result: '',
});

/** The live variant of one hook, or null (push). */
export function liveHook(
  ctx: Context,
  ec: EntityContext,
  role: Role,
  call: CallShape | null,
): LiveHook | null {
  const e = ec.entity;
  if (!call || !liveEntities(ctx).includes(e)) return null;
  const row = ctx.declType.get(e.schema);
  if (row === undefined) return null;
  const b = base(stringLiteral(e.table), row);
  const idParam = lastPathParam(ctx, e, role);
  const paramsKey = idParam === undefined ? '' : propertyAccess('params', idParam);
  switch (role) {
    case 'list':
      return b;
    case 'get':
      if (call.byId) return { ...b, key: 'id' };
      return paramsKey ? { ...b, key: paramsKey } : null;
    case 'create':
      return call.hasParams
        ? {
            ...b,
            op: "'insert'",
            shape: "'params+body'",
            vars: `{ params: ${call.paramsType}; body: ${call.bodyType} }`,
            result: row,
          }
        : { ...b, op: "'insert'", shape: "'body'", vars: call.bodyType, result: row };
    case 'update':
    case 'replace':
      if (call.byId)
        return {
          ...b,
          op: "'update'",
          shape: "'id+body'",
          vars: `{ id: ${call.idType}; body: ${call.bodyType} }`,
          result: row,
        };
      return call.hasParams && idParam !== undefined
        ? {
            ...b,
            op: "'update'",
            shape: "'params+body'",
            vars: `{ params: ${call.paramsType}; body: ${call.bodyType} }`,
            result: row,
          }
        : null;
    case 'delete':
      if (call.byId)
        return { ...b, op: "'delete'", shape: "'id'", vars: call.idType, result: 'void' };
      return call.hasParams && idParam !== undefined
        ? { ...b, op: "'delete'", shape: "'params'", vars: call.paramsType, result: 'void' }
        : null;
  }
}
