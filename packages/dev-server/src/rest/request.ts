/**
 * What the entity handlers share: the request they receive, the reply they give, the declared
 * success status of an operation, and how a request names its row (the item path parameter) and
 * its parent (a nested collection's path parameter).
 */
import type { EntityRole, JsonValue, Operation } from '@sync/core';
import type { Principal } from '../auth/principal.js';
import type { Queryable, SqlParam } from '../db/database.js';
import type { Model, TableModel } from '../schema/model.js';
import { compareType, ident } from '../schema/sql.js';
import { jsonToParam } from './values.js';
import type { Problem } from './validate.js';

export interface EntityRequest {
  op: Operation;
  role: EntityRole;
  params: Map<string, JsonValue>;
  body: JsonValue | undefined;
  idempotencyKey: string | null;
  path: string;
  /** Who is calling (fills owner columns; scopes reads and writes). */
  principal: Principal;
  /** Whether the caller sent a token (an anonymous caller of a lenient server sees all fields). */
  authenticated: boolean;
}

export interface Reply {
  status: number;
  body?: JsonValue;
  headers?: Record<string, string>;
}

export class ValidationFailed extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

/** The declared success status for this operation (create → 201 when declared, delete → 204…). */
export function successStatus(op: Operation, role: EntityRole): number {
  const declared = op.responses
    .map((r) => r.status)
    .filter((s) => /^2\d\d$/.test(s))
    .map(Number);
  if (declared.length === 0) return role === 'create' ? 201 : role === 'delete' ? 204 : 200;
  const prefer = role === 'create' ? 201 : role === 'delete' ? 204 : 200;
  return declared.includes(prefer) ? prefer : (declared[0] as number);
}

export function hasBody(op: Operation, status: number): boolean {
  const r = op.responses.find((x) => x.status === String(status)) ?? op.success;
  return status !== 204 && r !== null && r !== undefined && r.type !== null;
}

export function itemKey(t: TableModel, req: EntityRequest): SqlParam {
  // The item's own path parameter is the last one (`/accounts/{a}/line-items/{id}` → id).
  const pathParams = req.op.parameters.filter(
    (p) => p.in === 'path' && p.wireName !== t.entity.parent?.param,
  );
  const name = pathParams[pathParams.length - 1]?.wireName;
  return jsonToParam(t.pk, name === undefined ? undefined : req.params.get(name));
}

export function parentValue(t: TableModel, req: EntityRequest): JsonValue | undefined {
  const p = t.entity.parent;
  return p === null ? undefined : req.params.get(p.param);
}

/** 404 reply when a nested path's parent row does not exist, else null. */
export async function missingParent(
  model: Model,
  q: Queryable,
  t: TableModel,
  req: EntityRequest,
): Promise<Reply | null> {
  const parent = t.entity.parent;
  const value = parentValue(t, req);
  const pt =
    parent?.entity === null || parent?.entity === undefined
      ? undefined
      : model.byEntity.get(parent.entity);
  if (pt === undefined || value === undefined || value === null) return null;
  const rows = await q.query(
    `SELECT 1 FROM ${ident(pt.table)} WHERE ${ident(pt.pk.name)} = $1::${compareType(pt.pk.pgType)}`,
    [jsonToParam(pt.pk, value)],
  );
  return rows.length > 0
    ? null
    : {
        status: 404,
        body: { error: 'not_found', message: `${pt.entity.name} ${String(value)} not found` },
      };
}

export function notFound(t: TableModel, req: EntityRequest): Reply {
  return {
    status: 404,
    body: {
      error: 'not_found',
      message: `${t.entity.name} ${String(itemKey(t, req))} not found`,
    },
  };
}
