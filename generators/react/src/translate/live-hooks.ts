/**
 * Live mode of an entity's hooks: the same names and result types as push mode (so flipping
 * `x-sync` never changes a component), but reading rows from the local database through
 * `useLiveRows` / `useLiveRow` and writing through the view with `useLiveMutation`. Decides, per
 * hook, the runtime call's arguments and types: the list filter keeps only the parameters the
 * local database can honour (equality on a column; the others are reported, never ignored), and
 * each mutation gets a typed function mapping its variables to the row's key and values. A hook
 * whose call shape live mode cannot map (no way to find the primary key) stays a push hook.
 */
import type { Entity, Parameter } from '@sync/core';
import { propertyAccess, propertyKey, stringLiteral } from '../naming.js';
import type { LiveWrite } from '../plan.js';
import type { CallShape } from './call-shape.js';
import type { Context, EntityContext } from './context.js';
import { liveEntities } from './live.js';

export type { LiveWrite };

/** Live mode of a list or item hook: what it reads from the local database (null = push). */
export interface LiveRead {
  /** The table (a string literal) and the row type of `useLiveRows<Row>` / `useLiveRow<Row>`. */
  table: string;
  row: string;
  /** Item hooks: the property holding the primary key (`id`, `params.line_item_id`). */
  key: string;
  /**
   * List hook: the filter type (the list params the local database honours: all of them, a
   * `Pick`, or '' for no filter argument) and whether it may be omitted.
   */
  filterType: string;
  filterOptional: boolean;
}

type Role = 'list' | 'get' | 'create' | 'update' | 'replace' | 'delete';

const pathParams = (path: string): string[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

const lastPathParam = (ctx: Context, e: Entity, role: Role): string | undefined => {
  const name = e.operations[role];
  const op = name === undefined ? undefined : ctx.operation(name);
  return op ? pathParams(op.path).pop() : undefined;
};

const read = (table: string, row: string): LiveRead => ({
  table,
  row,
  key: '',
  filterType: '',
  filterOptional: true,
});

type WriteShape =
  | 'insertBody'
  | 'insertParamsBody'
  | 'updateById'
  | 'updateByParams'
  | 'deleteById'
  | 'deleteByParams';

const write = (
  table: string,
  row: string,
  call: CallShape,
  shape: WriteShape,
  more: Partial<Pick<LiveWrite, 'key' | 'columns'>> = {},
): LiveWrite => ({
  table,
  row,
  bodyType: call.bodyType,
  paramsType: call.paramsType,
  idType: call.idType,
  insertBody: shape === 'insertBody',
  insertParamsBody: shape === 'insertParamsBody',
  updateById: shape === 'updateById',
  updateByParams: shape === 'updateByParams',
  deleteById: shape === 'deleteById',
  deleteByParams: shape === 'deleteByParams',
  key: more.key ?? '',
  columns: more.columns ?? [],
});

/** A list parameter the local database honours with the same meaning: equality on a column. */
function honoured(e: Entity, p: Parameter): boolean {
  const scalar = p.type.kind !== 'array' && p.type.kind !== 'map' && p.type.kind !== 'unknown';
  return scalar && e.columns.some((c) => c.name === p.wireName);
}

/** The live list filter: the honoured parameters; the others are reported (SP0603). */
function listFilter(ctx: Context, ec: EntityContext, call: CallShape) {
  const e = ec.entity;
  const op = e.operations.list === undefined ? undefined : ctx.operation(e.operations.list);
  const params = op?.parameters ?? [];
  const kept = params.filter((p) => honoured(e, p));
  for (const p of params.filter((x) => !honoured(e, x)))
    ctx.diagnostics.push({
      severity: 'warning',
      code: 'SP0603',
      file: p.source.file,
      pointer: p.source.pointer,
      message: `Live list hook ${ec.names.listHook}: parameter "${p.wireName}" of ${op?.name ?? 'the list'} cannot be applied to the local database (only equality on a column of "${e.table}" can), so the live hook does not accept it.`,
      hint: `Filter the rows in the component, or ask the API: useQuery(${ec.names.listOptions}({ ${p.wireName}: … })) is generated for this list.`,
    });
  if (kept.length === 0) return { filterType: '', filterOptional: true };
  const type =
    kept.length === params.length
      ? call.paramsType
      : `Pick<${call.paramsType}, ${kept.map((p) => stringLiteral(p.wireName)).join(' | ')}>`;
  return { filterType: type, filterOptional: kept.every((p) => !p.required) };
}

/** The create's path parameters that fill columns: `column: variables.params.name`. */
function createColumns(ctx: Context, e: Entity): LiveWrite['columns'] {
  const name = e.operations.create;
  const op = name === undefined ? undefined : ctx.operation(name);
  const columns = new Set(e.columns.map((c) => c.name));
  return pathParams(op?.path ?? '').flatMap((p) => {
    const column = e.parent?.param === p && e.parent.field ? e.parent.field : p;
    return columns.has(column)
      ? [{ column: propertyKey(column), param: propertyAccess('variables.params', p) }]
      : [];
  });
}

/** The live table and row type of an entity's hooks, or null when its hooks stay push hooks. */
function liveTarget(ctx: Context, ec: EntityContext): { table: string; row: string } | null {
  const e = ec.entity;
  if (!liveEntities(ctx).includes(e)) return null;
  const row = ctx.declType.get(e.schema);
  return row === undefined ? null : { table: stringLiteral(e.table), row };
}

/** The live variant of a list or item hook, or null (push). */
export function liveRead(
  ctx: Context,
  ec: EntityContext,
  role: 'list' | 'get',
  call: CallShape | null,
): LiveRead | null {
  const target = call ? liveTarget(ctx, ec) : null;
  if (!call || !target) return null;
  const r = read(target.table, target.row);
  if (role === 'list') return { ...r, ...listFilter(ctx, ec, call) };
  if (call.byId) return { ...r, key: 'id' };
  const idParam = lastPathParam(ctx, ec.entity, role);
  return idParam === undefined ? null : { ...r, key: propertyAccess('params', idParam) };
}

/** The live variant of a mutation hook, or null (push). */
export function liveWrite(
  ctx: Context,
  ec: EntityContext,
  role: 'create' | 'update' | 'replace' | 'delete',
  call: CallShape | null,
): LiveWrite | null {
  const target = call ? liveTarget(ctx, ec) : null;
  if (!call || !target) return null;
  const { table, row } = target;
  const idParam = lastPathParam(ctx, ec.entity, role);
  switch (role) {
    case 'create':
      return call.hasParams
        ? write(table, row, call, 'insertParamsBody', { columns: createColumns(ctx, ec.entity) })
        : write(table, row, call, 'insertBody');
    case 'update':
    case 'replace':
      if (call.byId) return write(table, row, call, 'updateById');
      return call.hasParams && idParam !== undefined
        ? write(table, row, call, 'updateByParams', {
            key: propertyAccess('variables.params', idParam),
          })
        : null;
    case 'delete':
      if (call.byId) return write(table, row, call, 'deleteById');
      return call.hasParams && idParam !== undefined
        ? write(table, row, call, 'deleteByParams', { key: propertyAccess('params', idParam) })
        : null;
  }
}
