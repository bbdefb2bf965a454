/**
 * Builds the `client.<operation>(…)` calls a store makes for an entity role. Required parameters
 * that are neither the item key nor the body (a parent id such as `account_id`, a required query
 * parameter) become stored properties of the store, set in its initializer.
 */
import { entityOperation, type Entity, type EntityRole, type Operation, type Parameter, type TypeRef } from '@sync/core';
import { identifier } from '../naming.js';
import { swiftType } from '../type-map.js';
import type { TranslateContext } from './context.js';
import type { ContextParam } from '../view-models.js';
import { operationParameters } from './operation.js';

export interface StoreCalls {
  op(role: EntityRole): Operation | undefined;
  /** `client.getContact(contactId: id)`; null when the role has no operation. */
  call(role: EntityRole, args: { id?: string; body?: string }): string | null;
  /** Parameters the calls need from the store itself, deduplicated by wire name. */
  contextParams: ContextParam[];
}

/** The key parameter of an item operation: the last path parameter. */
function keyParam(op: Operation): Parameter | undefined {
  return op.parameters.filter((p) => p.in === 'path').at(-1);
}

export function storeCalls(ctx: TranslateContext, entity: Entity, clientExpr: string): StoreCalls {
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
    return `self.${found.name}`;
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
    call(role, args) {
      const op = byRole(role);
      if (!op) return null;
      const key = itemRoles.includes(role) ? keyParam(op) : undefined;
      const { ordered, localOf } = operationParameters(op);
      const parts: string[] = [];
      const pathCount = op.parameters.filter((p) => p.in === 'path').length;
      ordered.forEach((p, i) => {
        if (i === pathCount && op.requestBody) parts.push(`body: ${args.body ?? 'body'}`);
        if (p === key) parts.push(`${localOf.get(p)!}: ${args.id ?? 'id'}`);
        else if (p.required || p.in === 'path') parts.push(`${localOf.get(p)!}: ${contextName(p)}`);
      });
      if (ordered.length === pathCount && op.requestBody) parts.push(`body: ${args.body ?? 'body'}`);
      return `${clientExpr}.${ctx.names.operations.get(op.name)!}(${parts.join(', ')})`;
    },
  };
}
