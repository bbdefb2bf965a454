/**
 * `hooks/<entity>.ts` (push mode): exported `queryOptions` for the list and the item (usable with
 * `useQuery`, `useQueries`, `prefetchQuery`, `useSuspenseQuery`), `useContacts(filter?)`,
 * `useContact(id)`, and `useCreate…/useUpdate…/useReplace…/useDelete…` mutations that invalidate
 * the entity's keys and, for a nested resource, the parent entity's lists. List hooks return rows
 * (a wrapped list is unwrapped), the same data a live collection yields.
 */
import type { Entity } from '@sync/core';
import { banner, propertyAccess } from '../naming.js';
import type { CallShape } from './call-shape.js';
import type { Context, EntityContext } from './context.js';
import { liveRead, liveWrite, type LiveRead, type LiveWrite } from './live-hooks.js';
import { roleShape } from './query-keys.js';

export interface ListView {
  options: string;
  hook: string;
  call: CallShape;
  /** `.data` for a wrapped list, '' for a bare array. */
  unwrap: string;
  unwrapFallback: boolean;
  live: LiveRead | null;
}

export interface ItemView {
  options: string;
  hook: string;
  call: CallShape;
  live: LiveRead | null;
}

export interface MutationView {
  hook: string;
  /** The entity's own keys factory. */
  keys: string;
  call: CallShape;
  /** Keys factories whose `lists()` are invalidated (own unless `invalidateAll`, then the parent's). */
  lists: string[];
  /** Invalidate every key of the entity (update/replace: details change too). */
  invalidateAll: boolean;
  /** Remove the deleted item's cached detail query. */
  removeDetail: boolean;
  live: LiveWrite | null;
}

export interface HooksFileView {
  banner: string;
  keys: string;
  reactQuery: string[];
  usesRequestOptions: boolean;
  api: { file: string; names: string[] }[];
  models: string[];
  keyImports: string[];
  runtime: string[];
  list: ListView | null;
  item: ItemView | null;
  create: MutationView | null;
  update: MutationView | null;
  replace: MutationView | null;
  remove: MutationView | null;
}

/** How the list response holds its rows. */
function unwrap(ctx: Context, e: Entity): Pick<ListView, 'unwrap' | 'unwrapFallback'> {
  if (e.list?.shape !== 'wrapped') return { unwrap: '', unwrapFallback: false };
  const op = ctx.operation(e.operations.list ?? '');
  const t = op?.success?.type;
  const decl = t?.kind === 'ref' ? ctx.decl(t.name) : undefined;
  const field =
    decl?.kind === 'object'
      ? decl.fields.find((f) => f.wireName === (e.list as { itemsProperty: string }).itemsProperty)
      : undefined;
  return {
    unwrap: propertyAccess('', e.list.itemsProperty),
    unwrapFallback: !field || !field.required || field.nullable,
  };
}

function mutation(
  ec: EntityContext,
  ctx: Context,
  role: 'create' | 'update' | 'replace' | 'delete',
  hook: string,
): MutationView | null {
  const call = roleShape(ctx, ec.entity, role);
  if (!call || (role !== 'delete' && !call.hasBody)) return null;
  const live = liveWrite(ctx, ec, role, call);
  const parent = ec.entity.parent?.entity
    ? ctx.entities.get(ec.entity.parent.entity)?.names.keys
    : undefined;
  const detail = roleShape(ctx, ec.entity, 'get');
  const invalidateAll = role === 'update' || role === 'replace';
  return {
    hook,
    call,
    keys: ec.names.keys,
    invalidateAll,
    lists: [
      ...(invalidateAll ? [] : [ec.names.keys]),
      ...(parent && parent !== ec.names.keys ? [parent] : []),
    ],
    removeDetail:
      role === 'delete' && call.byId && detail?.byId === true && detail.idType === call.idType,
    live,
  };
}

/** Imports of a hooks file, derived from the views it renders. */
function importsOf(
  view: Omit<
    HooksFileView,
    'reactQuery' | 'usesRequestOptions' | 'api' | 'models' | 'keyImports' | 'banner' | 'runtime'
  >,
  own: string,
) {
  const queries = [view.list, view.item].filter((v) => v !== null);
  const all = [view.create, view.update, view.replace, view.remove].filter((v) => v !== null);
  const mutations = all.filter((m) => m.live === null);
  const reactQuery = [
    ...(queries.length ? ['queryOptions'] : []),
    ...(queries.some((q) => q.live === null) ? ['useQuery'] : []),
    ...(mutations.length ? ['useMutation', 'useQueryClient'] : []),
  ].sort();
  const runtime = [
    ...(view.list?.live ? ['useLiveRows'] : []),
    ...(view.item?.live ? ['useLiveRow'] : []),
    ...(all.some((m) => m.live !== null) ? ['useLiveMutation'] : []),
  ].sort();
  const liveRows = [view.list, view.item, ...all].flatMap((v) => (v?.live ? [v.live.row] : []));
  const byFile = new Map<string, Set<string>>();
  const add = (c: CallShape, names: string[]) =>
    byFile.set(c.file, new Set([...(byFile.get(c.file) ?? []), ...names]));
  for (const q of queries)
    add(q.call, [
      q.call.fn,
      ...(q.call.hasParams && !q.call.byId ? [`type ${q.call.paramsType}`] : []),
    ]);
  for (const m of all) {
    const params = m.call.hasParams && !m.call.byId ? [`type ${m.call.paramsType}`] : [];
    if (m.live === null) add(m.call, [m.call.fn, ...params]);
    else if (params.length) add(m.call, params);
  }
  const api = [...byFile]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, n]) => ({
      file,
      names: [...n].sort((a, b) => a.replace('type ', '').localeCompare(b.replace('type ', ''))),
    }));
  const models = [...new Set([...all.flatMap((m) => m.call.bodyImports), ...liveRows])].sort();
  const keyImports = [...new Set([own, ...mutations.flatMap((m) => m.lists)])].sort();
  return { reactQuery, usesRequestOptions: queries.length > 0, api, models, keyImports, runtime };
}

/** View model of one entity's hooks file, or null when the entity has no hookable operation. */
export function translateHooks(ctx: Context, ec: EntityContext): HooksFileView | null {
  const n = ec.names;
  const listCall = roleShape(ctx, ec.entity, 'list');
  const itemCall = roleShape(ctx, ec.entity, 'get');
  const parts = {
    keys: n.keys,
    list: listCall
      ? {
          options: n.listOptions,
          hook: n.listHook,
          call: listCall,
          ...unwrap(ctx, ec.entity),
          live: liveRead(ctx, ec, 'list', listCall),
        }
      : null,
    item: itemCall
      ? {
          options: n.itemOptions,
          hook: n.itemHook,
          call: itemCall,
          live: liveRead(ctx, ec, 'get', itemCall),
        }
      : null,
    create: mutation(ec, ctx, 'create', n.createHook),
    update: mutation(ec, ctx, 'update', n.updateHook),
    replace: mutation(ec, ctx, 'replace', n.replaceHook),
    remove: mutation(ec, ctx, 'delete', n.deleteHook),
  };
  if (
    !parts.list &&
    !parts.item &&
    !parts.create &&
    !parts.update &&
    !parts.replace &&
    !parts.remove
  )
    return null;
  return { banner: banner(ctx.ir), ...parts, ...importsOf(parts, n.keys) };
}
