/**
 * A `live` entity → `Stores/<Plural>Store.swift`: an `@Observable @MainActor` store whose `items`
 * follow the local view through GRDB's `ValueObservation`, with the same method names as a push
 * store. Writes go through the view (its triggers fill `T_local` and the outbox); for confirmed
 * entities (`local_first: false`) the runtime waits for the server's answer before returning.
 */
import { entityOperation, type Entity, type TypeRef } from '@sync/core';
import { docComment, fitCall, wrapProse, identifier, stringLiteral, typeOf } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { entityKey } from './push-store.js';

export interface LiveStoreModel {
  imports: string[];
  doc: string;
  name: string;
  model: string;
  record: string;
  table: string;
  sql: string;
  keyType: string;
  keyProperty: string;
  create: { bodyType: string; params: string; call: string } | null;
  update: { bodyType: string; call: string } | null;
  remove: { call: string } | null;
  saveCall: string;
  /** `save(_:)`: the entity has local-only (`x-sync-exclude`) fields, which only it can write. */
  save: boolean;
}

function bodyOf(ctx: TranslateContext, e: Entity, role: 'create' | 'update' | 'replace'): string | null {
  const t = entityOperation(ctx.ir, e, role)?.requestBody?.type;
  return t ? swiftType({ ...t, nullable: undefined } as TypeRef, ctx.names) : null;
}

/** Parent path parameters of the create route that the row carries as a column (`account_id`). */
function parentArgs(ctx: TranslateContext, e: Entity): { params: string; extra: string } {
  const op = entityOperation(ctx.ir, e, 'create');
  const parts = (op?.parameters ?? [])
    .filter((p) => p.in === 'path')
    .map((p) => ({ p, column: e.parent?.param === p.wireName && e.parent.field ? e.parent.field : p.wireName }))
    .filter(({ column }) => e.columns.some((c) => c.name === column));
  if (parts.length === 0) return { params: '', extra: '[:]' };
  const locals = parts.map(({ p }) => identifier(p.wireName));
  return {
    params: parts.map(({ p }, i) => `, ${locals[i]!}: ${swiftType({ ...p.type, nullable: undefined } as TypeRef, ctx.names)}`).join(''),
    extra: `[${parts.map(({ column }, i) => `${stringLiteral(column)}: try JSONValue(encoding: ${locals[i]!})`).join(', ')}]`,
  };
}

export function translateLiveStore(ctx: TranslateContext, e: Entity): LiveStoreModel | null {
  const n = ctx.names.entities.get(e.name)!;
  const key = entityKey(ctx, e);
  if (!key) return null;
  const createBody = bodyOf(ctx, e, 'create');
  const updateBody = bodyOf(ctx, e, 'update') ?? bodyOf(ctx, e, 'replace');
  const table = `${n.table}.table`;
  const record = n.record;
  const engineCall = (prefix: string, args: string[]) => fitCall(prefix, args, '      ');
  const create = createBody ? parentArgs(ctx, e) : null;
  const mode = e.sync.localFirst ? 'optimistic: writes return once they are in the local database' : 'confirmed: writes return once the server has accepted them (and throw `APIError` when it refuses)';
  return {
    imports: ['Foundation', 'GRDB', 'Observation', 'SyncPatternsClient', 'SyncPatternsRuntime'],
    doc: docComment(wrapProse(`The \`${e.table}\` collection (live mode, ${mode}).\n\n\`items\` follows the local view \`${e.table}\`; the sync engine keeps it in step with the server.`)),
    name: n.store,
    model: typeOf(ctx.names, e.schema),
    record: n.record,
    table: `${n.table}.table`,
    sql: n.sql,
    keyType: key.type,
    keyProperty: key.property,
    create:
      createBody && create
        ? {
            bodyType: createBody,
            params: create.params,
            call: engineCall('let record = try await self.engine.insert', ['body', ...(create.extra === '[:]' ? [] : [`extra: ${create.extra}`]), `into: ${table}`, `as: ${record}.self`]),
          }
        : null,
    update: updateBody
      ? { bodyType: updateBody, call: engineCall('let record = try await self.engine.update', ['key: try JSONValue(encoding: id)', 'with: body', `in: ${table}`, `as: ${record}.self`]) }
      : null,
    remove: e.operations.delete ? { call: engineCall('try await self.engine.delete', ['key: try JSONValue(encoding: id)', `in: ${table}`]) } : null,
    saveCall: engineCall('let record = try await self.engine.update', [`key: try JSONValue(encoding: item.${key.property})`, 'with: item', `in: ${table}`, `as: ${record}.self`]),
    save: e.columns.some((c) => !c.synced),
  };
}
