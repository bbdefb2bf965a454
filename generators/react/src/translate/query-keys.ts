/**
 * `query-keys.ts`: one TanStack Query key factory per entity (`contactKeys.all / lists() /
 * list(filter) / details() / detail(id)`), rooted at the entity name, so that mutations can
 * invalidate exactly the entity's queries (and a parent entity's lists for nested resources).
 */
import type { Entity } from '@sync/core';
import { banner, stringLiteral } from '../naming.js';
import { callShape, type CallShape } from './call-shape.js';
import type { Context } from './context.js';

export interface KeysView {
  name: string;
  root: string;
  list: CallShape | null;
  detail: CallShape | null;
}

export interface QueryKeysView {
  banner: string;
  imports: { file: string; names: string[] }[];
  entities: KeysView[];
}

/** The operation behind an entity role, as a call shape. */
export function roleShape(
  ctx: Context,
  e: Entity,
  role: keyof Entity['operations'],
): CallShape | null {
  const name = e.operations[role];
  const op = name === undefined ? undefined : ctx.operation(name);
  return op ? callShape(ctx, op) : null;
}

function keysView(ctx: Context, e: Entity): KeysView {
  return {
    name: ctx.entities.get(e.name)!.names.keys,
    root: stringLiteral(e.name),
    list: roleShape(ctx, e, 'list'),
    detail: roleShape(ctx, e, 'get'),
  };
}

/** Params types the key factories mention, grouped by api file. */
function imports(views: KeysView[]): QueryKeysView['imports'] {
  const byFile = new Map<string, Set<string>>();
  for (const s of views.flatMap((v) => [v.list, v.detail])) {
    if (!s || !s.hasParams || s.byId) continue;
    byFile.set(s.file, (byFile.get(s.file) ?? new Set()).add(s.paramsType));
  }
  return [...byFile.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, names]) => ({ file, names: [...names].sort() }));
}

/** View model of `query-keys.ts`. */
export function translateQueryKeys(ctx: Context): QueryKeysView {
  const entities = ctx.ir.entities.map((e) => keysView(ctx, e));
  return { banner: banner(ctx.ir), imports: imports(entities), entities };
}
