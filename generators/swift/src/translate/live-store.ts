/**
 * A `live` entity → `Stores/<Plural>Store.swift`: an `@Observable @MainActor` store whose `items`
 * follow the local view through GRDB's `ValueObservation`, with the same method names as a push
 * store. Writes go through the view (its triggers fill `T_local` and the outbox); for confirmed
 * entities (`local_first: false`) the runtime waits for the server's answer before returning.
 */
import { entityOperation, type Entity, type TypeRef } from '@sync/core';
import { docText, wrapProse, identifier, recordFieldNames, stringLiteral, typeOf } from '../naming.js';
import { viewColumns } from './live-columns.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { entityKey } from './push-store.js';
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
function parentKeys(ctx: TranslateContext, e: Entity): ParentKey[] {
  const op = entityOperation(ctx.ir, e, 'create');
  const cols = viewColumns(e);
  const fieldNames = recordFieldNames(cols.map((c) => c.name));
  return (op?.parameters ?? [])
    .filter((p) => p.in === 'path')
    .map((p) => ({ p, column: e.parent?.param === p.wireName && e.parent.field ? e.parent.field : p.wireName }))
    .filter(({ column }) => cols.some((c) => c.name === column))
    .map(({ p, column }) => ({
      name: identifier(p.wireName),
      type: swiftType({ ...p.type, nullable: undefined } as TypeRef, ctx.names),
      column: fieldNames[cols.findIndex((c) => c.name === column)]!,
      columnLiteral: stringLiteral(column),
    }));
}

export function translateLiveStore(ctx: TranslateContext, e: Entity): LiveStoreModel | null {
  const n = ctx.names.entities.get(e.name)!;
  const key = entityKey(ctx, e);
  if (!key) return null;
  const createBody = bodyOf(ctx, e, 'create');
  const updateBody = bodyOf(ctx, e, 'update') ?? bodyOf(ctx, e, 'replace');
  const cols = viewColumns(e);
  const keyColumn = recordFieldNames(cols.map((c) => c.name))[cols.findIndex((c) => c.primaryKey)]!;
  const mode = e.sync.localFirst ? 'optimistic: writes return once they are in the local database' : 'confirmed: writes return once the server has accepted them (and throw `APIError` when it refuses)';
  return {
    ...ctx.header(['Foundation', 'GRDB', 'Observation', 'SyncPatternsClient', 'SyncPatternsRuntime']),
    doc: docText(wrapProse(`The \`${e.table}\` collection (live mode, ${mode}).\n\n\`items\` follows the local view \`${e.table}\`; the sync engine keeps it in step with the server.`)),
    name: n.store,
    model: typeOf(ctx.names, e.schema),
    record: n.record,
    table: n.table,
    sql: n.sql,
    keyType: key.type,
    keyProperty: key.property,
    parents: parentKeys(ctx, e),
    keyColumn,
    create: createBody ? { bodyType: createBody } : null,
    update: updateBody ? { bodyType: updateBody } : null,
    remove: Boolean(e.operations.delete),
    save: e.columns.some((c) => !c.synced),
  };
}
