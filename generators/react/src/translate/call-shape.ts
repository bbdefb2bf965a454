/**
 * How a hook calls an entity operation's fetch function: with the whole params object, or — when
 * the only required parameter is the item's path parameter — with just an id
 * (`useContact(id)` → `getContact({ contact_id: id })`). Shared by query keys and hooks.
 */
import type { Operation } from '@sync/core';
import { propertyKey } from '../naming.js';
import { referencedDecls } from '../type-map.js';
import type { Context } from './context.js';
import { bodyType } from './operation.js';

export interface CallShape {
  fn: string;
  /** api file base name (import specifier `../api/<file>.js`). */
  file: string;
  hasParams: boolean;
  paramsOptional: boolean;
  paramsType: string;
  /** Called with an id bound to the single required path parameter. */
  byId: boolean;
  idKey: string;
  idType: string;
  hasBody: boolean;
  bodyType: string;
  /** Model type names the body type mentions (imports of the hooks file). */
  bodyImports: string[];
  resultType: string;
}

const ITEM_ROLES: ReadonlySet<string> = new Set(['get', 'update', 'replace', 'delete']);

/** The single required path parameter of an item operation, when it is the only required one. */
function idParameter(op: Operation) {
  if (!op.entity || !ITEM_ROLES.has(op.entity.role)) return undefined;
  const required = op.parameters.filter((p) => p.required);
  const only = required.length === 1 ? required[0] : undefined;
  return only?.in === 'path' ? only : undefined;
}

/** Model names of the body: the derived write shape, or the declarations its type mentions. */
function bodyImports(ctx: Context, op: Operation, body: string): string[] {
  if (!op.requestBody) return [];
  if (body !== ctx.typeOf(op.requestBody.type)) return [body];
  return [...referencedDecls(op.requestBody.type)].map((d) => ctx.declType.get(d)!);
}

/** The call shape of `op` (entity writes use the entity's write shapes as body). */
export function callShape(ctx: Context, op: Operation): CallShape {
  const id = idParameter(op);
  const body = op.requestBody ? bodyType(ctx, op, op.requestBody.type) : '';
  return {
    fn: ctx.opFunction.get(op.name)!,
    file: ctx.opFile.get(op.name)!,
    hasParams: op.parameters.length > 0,
    paramsOptional: op.parameters.every((p) => !p.required),
    paramsType: ctx.opParams.get(op.name)!,
    byId: id !== undefined,
    idKey: id ? propertyKey(id.wireName) : '',
    idType: id ? ctx.typeOf(id.type) : '',
    hasBody: op.requestBody !== null,
    bodyType: body,
    bodyImports: bodyImports(ctx, op, body),
    resultType: op.success?.type ? ctx.typeOf(op.success.type) : 'void',
  };
}
