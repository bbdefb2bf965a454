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
import type { CallShape } from './call-shape.js';
import type { Context, EntityContext } from './context.js';
import { liveEntities } from './live.js';

/** Live mode of one hook: what it reads or writes in the local database (null = push). */
export interface LiveHook {
  /** `useLiveRows<Row>(table, filter)` / `useLiveRow<Row>(table, key)` argument text. */
  table: string;
  row: string;
  /** Item hooks: the expression holding the primary key (`id`, `params.line_item_id`). */
  key: string;
  /**
   * List hook: the filter type (the list params the local database honours: all of them, a
   * `Pick`, or '' for no filter argument) and whether it may be omitted.
   */
  filterType: string;
  filterOptional: boolean;
  /**
   * Mutations: runtime op, the TS types of variables and result, and the typed mapping
   * `(arg) => write` from the variables to the row's `{ key, values }`.
   */
  op: string;
  vars: string;
  arg: string;
  write: string;
  result: string;
}

type Role = 'list' | 'get' | 'create' | 'update' | 'replace' | 'delete';

const pathParams = (path: string): string[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

const lastPathParam = (ctx: Context, e: Entity, role: Role): string | undefined => {
  const name = e.operations[role];
  const op = name === undefined ? undefined : ctx.operation(name);
  return op ? pathParams(op.path).pop() : undefined;
};

const base = (table: string, row: string): LiveHook => ({
  table,
  row,
  key: '',
  filterType: '',
  filterOptional: true,
  op: '',
  vars: '',
  arg: '',
  write: '',
  result: '',
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

/** `{ …body, column: params.name }` for the create's path parameters that fill columns. */
function createValues(ctx: Context, e: Entity, body: string, params: string): string {
  const name = e.operations.create;
  const op = name === undefined ? undefined : ctx.operation(name);
  const columns = new Set(e.columns.map((c) => c.name));
  const mapped = pathParams(op?.path ?? '').flatMap((p) => {
    const column = e.parent?.param === p && e.parent.field ? e.parent.field : p;
    return columns.has(column) ? [`${propertyKey(column)}: ${propertyAccess(params, p)}`] : [];
  });
  return mapped.length ? `{ ...${body}, ${mapped.join(', ')} }` : body;
}

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
  const op = (o: 'insert' | 'update' | 'delete') => stringLiteral(o);
  switch (role) {
    case 'list':
      return { ...b, ...listFilter(ctx, ec, call) };
    case 'get':
      if (call.byId) return { ...b, key: 'id' };
      return paramsKey ? { ...b, key: paramsKey } : null;
    case 'create':
      return call.hasParams
        ? {
            ...b,
            op: op('insert'),
            vars: `{ params: ${call.paramsType}; body: ${call.bodyType} }`,
            arg: 'variables',
            write: `{ values: ${createValues(ctx, e, 'variables.body', 'variables.params')} }`,
            result: row,
          }
        : {
            ...b,
            op: op('insert'),
            vars: call.bodyType,
            arg: 'body',
            write: '{ values: body }',
            result: row,
          };
    case 'update':
    case 'replace':
      if (call.byId)
        return {
          ...b,
          op: op('update'),
          vars: `{ id: ${call.idType}; body: ${call.bodyType} }`,
          arg: 'variables',
          write: '{ key: variables.id, values: variables.body }',
          result: row,
        };
      return call.hasParams && idParam !== undefined
        ? {
            ...b,
            op: op('update'),
            vars: `{ params: ${call.paramsType}; body: ${call.bodyType} }`,
            arg: 'variables',
            write: `{ key: ${propertyAccess('variables.params', idParam)}, values: variables.body }`,
            result: row,
          }
        : null;
    case 'delete':
      if (call.byId)
        return {
          ...b,
          op: op('delete'),
          vars: call.idType,
          arg: 'id',
          write: '{ key: id }',
          result: 'void',
        };
      return call.hasParams && idParam !== undefined
        ? {
            ...b,
            op: op('delete'),
            vars: call.paramsType,
            arg: 'params',
            write: `{ key: ${paramsKey} }`,
            result: 'void',
          }
        : null;
  }
}
