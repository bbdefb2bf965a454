/**
 * Builds the `client.<operation>(…)` calls a store makes for an entity role. Required parameters
 * that are neither the item key nor the body (a parent id such as `account_id`, a required query
 * parameter) become stored properties of the store, set in its initializer.
 */
import { entityOperation, type Entity, type EntityRole, type Operation, type Parameter, type TypeRef } from '@sync/core';
import { identifier } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import type { ContextParam, StoreCallModel } from '../view-models.js';
import { operationParameters } from './operation.js';

export interface StoreCalls {
  op(role: EntityRole): Operation | undefined;
  /** The call `client.getContact(contactId: id)` as data; null when the role has no operation. */
  call(role: EntityRole): StoreCallModel | null;
  /** Parameters the calls need from the store itself, deduplicated by wire name. */
  contextParams: ContextParam[];
}

/** The key parameter of an item operation: the last path parameter. */
function keyParam(op: Operation): Parameter | undefined {
  return op.parameters.filter((p) => p.in === 'path').at(-1);
}

export function storeCalls(ctx: TranslateContext, entity: Entity): StoreCalls {
  const byRole = (role: EntityRole): Operation | undefined => {
    return entityOperation(ctx.ir, entity, role);
  };
  const contextParams: ContextParam[] = [];
  const contextName = (p: Parameter): string => {
    let found = contextParams.find((c) => c.wireName === p.wireName);
    if (!found) {
      found = { wireName: p.wireName, name: identifier(p.wireName), type: swiftType({ ...p.type, nullable: undefined } as TypeRef, ctx.names) };
      contextParams.push(found);
    }
    return found.name;
  };
  const itemRoles: EntityRole[] = ['get', 'update', 'replace', 'delete'];
  // Register context parameters eagerly so the initializer knows all of them.
  for (const role of ['list', 'create', ...itemRoles] as EntityRole[]) {
    const op = byRole(role);
    if (!op) continue;
    const key = itemRoles.includes(role) ? keyParam(op) : undefined;
    for (const p of op.parameters) if (p !== key && (p.required || p.in === 'path')) contextName(p);
  }
  return {
    op: byRole,
    contextParams,
    call(role) {
      const op = byRole(role);
      if (!op) return null;
      const key = itemRoles.includes(role) ? keyParam(op) : undefined;
      const { ordered, localOf } = operationParameters(op);
      const args: StoreCallModel['args'] = [];
      const body = { label: 'body', value: 'body', onSelf: false };
      const pathCount = op.parameters.filter((p) => p.in === 'path').length;
      ordered.forEach((p, i) => {
        if (i === pathCount && op.requestBody) args.push(body);
        if (p === key) args.push({ label: localOf.get(p)!, value: 'id', onSelf: false });
        else if (p.required || p.in === 'path') args.push({ label: localOf.get(p)!, value: contextName(p), onSelf: true });
      });
      if (ordered.length === pathCount && op.requestBody) args.push(body);
      return { method: ctx.names.operations.get(op.name)!, args };
    },
  };
}
