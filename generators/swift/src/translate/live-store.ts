/**
 * A `live` entity → `Stores/<Plural>Store.swift`: an `@Observable @MainActor` store whose `items`
 * follow the local view through GRDB's `ValueObservation`, with the same method names as a push
 * store. Writes go through the view (its triggers fill `T_local` and the outbox); for confirmed
 * entities (`local_first: false`) the runtime waits for the server's answer before returning.
 */
import { entityOperation, type Entity, type TypeRef } from '@sync/core';
import { docComment, fitCall, wrapProse, identifier, recordFieldNames, stringLiteral, typeOf } from '../naming.js';
import { viewColumns } from './live-columns.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { entityKey, fitSignature } from './push-store.js';
import type { LiveStoreModel, ParentKey } from '../view-models.js';

function bodyOf(ctx: TranslateContext, e: Entity, role: 'create' | 'update' | 'replace'): string | null {
  const t = entityOperation(ctx.ir, e, role)?.requestBody?.type;
  return t ? swiftType({ ...t, nullable: undefined } as TypeRef, ctx.names) : null;
}

/**
 * Parent path parameters of the create route that the row carries as a column (`account_id`):
 * a nested live store is scoped to one parent, like its push store (typed parent keys: the key
 * is an init parameter, `items` holds that parent's rows, `create` fills the column).
 */
function parentKeys(ctx: TranslateContext, e: Entity): { keys: ParentKey[]; extra: string } {
  const op = entityOperation(ctx.ir, e, 'create');
  const cols = viewColumns(e);
  const fieldNames = recordFieldNames(cols.map((c) => c.name));
  const parts = (op?.parameters ?? [])
    .filter((p) => p.in === 'path')
    .map((p) => ({ p, column: e.parent?.param === p.wireName && e.parent.field ? e.parent.field : p.wireName }))
    .filter(({ column }) => cols.some((c) => c.name === column));
  if (parts.length === 0) return { keys: [], extra: '[:]' };
  const keys = parts.map(({ p, column }) => ({
    name: identifier(p.wireName),
    type: swiftType({ ...p.type, nullable: undefined } as TypeRef, ctx.names),
    column: fieldNames[cols.findIndex((c) => c.name === column)]!,
  }));
  return {
    keys,
    extra: `[${parts.map(({ column }, i) => `${stringLiteral(column)}: try JSONValue(encoding: self.${keys[i]!.name})`).join(', ')}]`,
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
  const parents = parentKeys(ctx, e);
  const cols = viewColumns(e);
  const keyColumn = recordFieldNames(cols.map((c) => c.name))[cols.findIndex((c) => c.primaryKey)]!;
  const mode = e.sync.localFirst ? 'optimistic: writes return once they are in the local database' : 'confirmed: writes return once the server has accepted them (and throw `APIError` when it refuses)';
  return {
    ...ctx.header(['Foundation', 'GRDB', 'Observation', 'SyncPatternsClient', 'SyncPatternsRuntime']),
    doc: docComment(wrapProse(`The \`${e.table}\` collection (live mode, ${mode}).\n\n\`items\` follows the local view \`${e.table}\`; the sync engine keeps it in step with the server.`)),
    name: n.store,
    model: typeOf(ctx.names, e.schema),
    record: n.record,
    table: n.table,
    sql: n.sql,
    keyType: key.type,
    keyProperty: key.property,
    create:
      createBody
        ? {
            bodyType: createBody,
            call: engineCall('let record = try await self.engine.insert', ['body', ...(parents.extra === '[:]' ? [] : [`extra: ${parents.extra}`]), `into: ${table}`, `as: ${record}.self`]),
          }
        : null,
    initSignature: fitCall('public init', ['engine: SyncEngine', ...parents.keys.map((k) => `${k.name}: ${k.type}`)], '  ', ' {'),
    createSignature: fitSignature('create', [`_ body: ${createBody ?? ''}`], `async throws -> ${typeOf(ctx.names, e.schema)}`),
    updateSignature: fitSignature('update', [`id: ${key.type}`, `_ body: ${updateBody ?? ''}`], `async throws -> ${typeOf(ctx.names, e.schema)}`),
    deleteSignature: fitSignature('delete', [`id: ${key.type}`], 'async throws'),
    saveSignature: fitSignature('save', [`_ item: ${typeOf(ctx.names, e.schema)}`], `async throws -> ${typeOf(ctx.names, e.schema)}`),
    querySignature: fitCall('public func query', [`_ request: QueryInterfaceRequest<${record}>`], '  ', ` -> SyncQuery<${record}> {`),
    parents: parents.keys,
    keyColumn,
    update: updateBody
      ? { bodyType: updateBody, call: engineCall('let record = try await self.engine.update', ['key: try JSONValue(encoding: id)', 'with: body', `in: ${table}`, `as: ${record}.self`]) }
      : null,
    remove: e.operations.delete ? { call: engineCall('try await self.engine.delete', ['key: try JSONValue(encoding: id)', `in: ${table}`]) } : null,
    saveCall: engineCall('let record = try await self.engine.update', [`key: try JSONValue(encoding: item.${key.property})`, 'with: item', `in: ${table}`, `as: ${record}.self`]),
    save: e.columns.some((c) => !c.synced),
  };
}
