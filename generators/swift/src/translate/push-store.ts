/**
 * A `push` entity → `Stores/<Plural>Store.swift`: an `@Observable @MainActor` store over the API
 * client with `items`, `isLoading`, `error`, `load()`, `refresh()` and `create`/`update`/`delete`
 * for the roles the entity has. Live stores (live-store.ts) have the same method names.
 */
import type { Entity, ObjectDecl, TypeRef } from '@sync/core';
import { docText, wrapProse, typeOf } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import { storeCalls } from './store-calls.js';
import type { PushStoreModel } from '../view-models.js';

/**
 * The entity's key as a property and type of `schema` (the item model by default, or the list's
 * row type), when that type has it as a field.
 */
export function entityKey(
  ctx: TranslateContext,
  entity: Entity,
  schema: string = entity.schema,
): { property: string; type: string } | null {
  const decl = ctx.schemas.get(schema);
  if (!entity.primaryKey || decl?.kind !== 'object') return null;
  const i = decl.fields.findIndex((f) => f.wireName === entity.primaryKey!.field);
  const field = decl.fields[i];
  if (!field) return null;
  const type = swiftType({ ...field.type, nullable: undefined } as TypeRef, ctx.names);
  return { property: ctx.fieldNamesOf(decl as ObjectDecl)[i]!, type };
}

export function translatePushStore(ctx: TranslateContext, entity: Entity): PushStoreModel {
  const names = ctx.names.entities.get(entity.name)!;
  const calls = storeCalls(ctx, entity);
  const key = entityKey(ctx, entity);
  const list = entity.list;
  let items: PushStoreModel['items'] = null;
  if (list?.shape === 'wrapped') {
    const listOp = calls.op('list');
    const wrapper = listOp?.success?.type?.kind === 'ref' ? ctx.schemas.get(listOp.success.type.name) : undefined;
    const i = wrapper?.kind === 'object' ? wrapper.fields.findIndex((f) => f.wireName === list.itemsProperty) : -1;
    const field = wrapper?.kind === 'object' ? wrapper.fields[i] : undefined;
    items = field && wrapper?.kind === 'object' ? { property: ctx.fieldNamesOf(wrapper)[i]!, orEmpty: !(field.required && !field.nullable) } : null;
  }
  const bodyType = (role: 'create' | 'update' | 'replace'): string | null => {
    const t = calls.op(role)?.requestBody?.type;
    return t ? swiftType({ ...t, nullable: undefined } as TypeRef, ctx.names) : null;
  };
  const createBody = bodyType('create');
  const updateRole = calls.op('update') ? 'update' : 'replace';
  const updateBody = bodyType(updateRole);
  const returnsModel = (role: 'create' | 'update' | 'replace'): boolean => {
    const t = calls.op(role)?.success?.type;
    return t?.kind === 'ref' && t.name === entity.schema;
  };
  const rowSchema = entity.listSchema ?? entity.schema;
  const rowsAreModels = rowSchema === entity.schema;
  return {
    ...ctx.header(['Foundation', 'Observation', 'SyncPatternsClient']),
    doc: docText(wrapProse(`The \`${entity.table}\` collection (push mode): every change is a request to the API; \`items\` holds the last list the server returned.`)),
    name: names.store,
    model: typeOf(ctx.names, entity.schema),
    rowModel: typeOf(ctx.names, rowSchema),
    rowsAreModels,
    rowKeyProperty: rowsAreModels ? (key?.property ?? null) : (entityKey(ctx, entity, rowSchema)?.property ?? null),
    contextParams: calls.contextParams,
    hasContext: calls.contextParams.length > 0,
    list: calls.call('list'),
    items,
    keyType: key?.type ?? null,
    keyProperty: key?.property ?? null,
    create: createBody && returnsModel('create') ? { bodyType: createBody, call: calls.call('create')! } : null,
    update: key && updateBody && returnsModel(updateRole) ? { bodyType: updateBody, call: calls.call(updateRole)! } : null,
    remove: key && calls.op('delete') ? { call: calls.call('delete')!, discardsResult: Boolean(calls.op('delete')!.success?.type) } : null,
    itemsDoc: docText(
      wrapProse(
        rowsAreModels
          ? 'The rows of the last successful `load()`, updated by this store\'s own writes.'
          : `The rows of the last successful \`load()\`, as the list returns them (\`${typeOf(ctx.names, rowSchema)}\`, not the full \`${typeOf(ctx.names, entity.schema)}\`); this store's own writes reload them.`,
        94,
      ),
    ),
  };
}
