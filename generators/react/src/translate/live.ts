/**
 * Live mode (`x-sync: live`): the view models of `live/local-schema.ts` (the generated SQL, §1)
 * and `live/schema.ts` (the `LiveSchema` value the runtime consumes, plus `createClient`), and
 * the per-entity facts the hooks template needs to switch an entity's hooks to the local
 * database while keeping the push signatures. Every fact is decided here from the IR.
 */
import { sql, syncedSchemaHash, type Entity, type Operation } from '@sync/core';
import { banner, stringLiteral } from '../naming.js';
import type { Context } from './context.js';

/** A JS template literal holding `text` verbatim. */
export function templateLiteral(text: string): string {
  return `\`${text.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${')}\``;
}

/** Live entities that the runtime can drive (a primary key is required). */
export function liveEntities(ctx: Context): Entity[] {
  return ctx.ir.entities.filter(
    (e) => e.sync.mode === 'live' && e.primaryKey !== null && e.columns.some((c) => c.primaryKey),
  );
}

const pathParams = (path: string): string[] =>
  [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');

/** A `LiveOperation` of the live schema: the write's method, path and bound parameters. */
export interface LiveOperationView {
  method: string;
  path: string;
  /** Path parameters, then the query/header parameters core bound to a column (`in` set). */
  params: { name: string; column: string; in: string }[];
}

/** The `LiveOperation` of a write, or null when a path parameter maps to no column. */
function operationView(
  e: Entity,
  op: Operation | undefined,
  item: boolean,
): LiveOperationView | null {
  if (!op) return null;
  const names = pathParams(op.path);
  const columns = new Set(e.columns.map((c) => c.name));
  const pk = e.primaryKey!.field;
  // Core binds every other required parameter of the write to a column (Entity.bindings).
  const bound = e.bindings.filter((b) => b.operation === op.name);
  const params = names.map((p, i) => {
    if (item && i === names.length - 1) return { name: p, column: pk };
    if (e.parent?.param === p && e.parent.field) return { name: p, column: e.parent.field };
    const b = bound.find((x) => x.in === 'path' && x.param === p);
    if (b) return { name: p, column: b.column };
    return columns.has(p) ? { name: p, column: p } : null;
  });
  if (params.some((p) => p === null)) return null;
  const others = bound.filter((b) => b.in === 'query' || b.in === 'header');
  return {
    method: stringLiteral(op.method.toUpperCase()),
    path: stringLiteral(op.path),
    params: [
      ...params.map((p) => ({
        name: stringLiteral(p!.name),
        column: stringLiteral(p!.column),
        in: '',
      })),
      ...others.map((b) => ({
        name: stringLiteral(b.param),
        column: stringLiteral(b.column),
        in: stringLiteral(b.in),
      })),
    ],
  };
}

export interface LiveEntityView {
  name: string;
  table: string;
  primaryKey: string;
  confirmed: boolean;
  columns: {
    name: string;
    storage: string;
    nullable: boolean;
    primaryKey: boolean;
    synced: boolean;
  }[];
  create: LiveOperationView | null;
  update: LiveOperationView | null;
  remove: LiveOperationView | null;
  schemaHash: string;
  sqlKey: string;
}

function entityView(ctx: Context, e: Entity): LiveEntityView {
  const op = (role: keyof Entity['operations']) => {
    const n = e.operations[role];
    return n === undefined ? undefined : ctx.operation(n);
  };
  return {
    name: stringLiteral(e.name),
    table: stringLiteral(e.table),
    primaryKey: stringLiteral(e.primaryKey!.field),
    confirmed: !e.sync.localFirst,
    columns: e.columns.map((c) => ({
      name: stringLiteral(c.name),
      storage: stringLiteral(c.storage),
      nullable: c.nullable,
      primaryKey: c.primaryKey,
      synced: c.synced,
    })),
    create: operationView(e, op('create'), false),
    update: operationView(e, op('update') ?? op('replace'), true),
    remove: operationView(e, op('delete'), true),
    schemaHash: stringLiteral(syncedSchemaHash(e)),
    sqlKey: stringLiteral(e.table),
  };
}

/** View of `live/schema.ts`. */
export function translateLiveSchema(ctx: Context) {
  const entities = liveEntities(ctx).map((e) => entityView(ctx, e));
  // the backend's batch write operation (x-sync-batch): the outbox drains through it
  const batch =
    ctx.ir.batch !== undefined && entities.length > 0
      ? { path: stringLiteral(ctx.ir.batch.path) }
      : null;
  return { banner: banner(ctx.ir), entities, batch };
}

/**
 * The SQL of `live/local-schema.ts`, from core's Postgres builder unchanged: `synced`, `local`,
 * and `view` (the view, then each trigger function with its trigger, a blank line between).
 */
export function localSchemaSql(e: Entity): { synced: string; local: string; view: string } {
  const stmts = sql.postgresEntitySchema(e);
  const text = (...names: string[]) => names.map((n) => `${sql.statement(stmts, n)};\n`).join('');
  return {
    synced: text('createSynced'),
    local: text('createLocal'),
    view:
      text('createView') +
      (['insert', 'update', 'delete'] as const)
        .map((op) => text(`${op}Function`, `${op}Trigger`))
        .join('\n'),
  };
}

/** View of `live/local-schema.ts`: the SQL as template literals. */
export function translateLocalSchema(ctx: Context) {
  return {
    banner: banner(ctx.ir),
    entities: liveEntities(ctx).map((e) => {
      const s = localSchemaSql(e);
      return {
        key: stringLiteral(e.table),
        synced: templateLiteral(s.synced),
        local: templateLiteral(s.local),
        view: templateLiteral(s.view),
      };
    }),
  };
}
