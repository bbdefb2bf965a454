/**
 * Entity reads: list (nested collections filtered by their parent, query parameters named like a
 * column filtered by equality, the declared list shape) and get-by-key.
 */
import type { JsonValue } from '@sync/core';
import type { Auth } from '../auth/auth.js';
import type { Database, SqlParam } from '../db/database.js';
import type { Model, TableModel } from '../schema/model.js';
import { compareType, ident } from '../schema/sql.js';
import type { TextRow } from '../shape/where.js';
import {
  itemKey,
  missingParent,
  notFound,
  parentValue,
  successStatus,
  type EntityRequest,
  type Reply,
} from './request.js';
import { own, put, record } from '../util/json.js';
import { exampleFor } from './example.js';
import { jsonToParam, rowToJson } from './values.js';

export async function listRows(
  db: Database,
  model: Model,
  t: TableModel,
  req: EntityRequest,
  auth: Auth,
): Promise<Reply> {
  const missing = await missingParent(model, db, t, req);
  if (missing !== null) return missing;
  const where: string[] = [];
  const args: SqlParam[] = [];
  const parentField = t.entity.parent?.field;
  const parent = parentValue(t, req);
  const filters = new Map<string, JsonValue>();
  if (parentField !== undefined && parentField !== null && parent !== undefined)
    filters.set(parentField, parent);
  // Query parameters named like a column filter by equality (e.g. ?status=active).
  for (const p of req.op.parameters)
    if (p.in === 'query' && req.params.has(p.wireName))
      filters.set(p.wireName, req.params.get(p.wireName) ?? null);
  for (const [name, value] of filters) {
    const c = t.columns.find((col) => col.name === name);
    if (c === undefined || Array.isArray(value)) continue;
    args.push(jsonToParam(c, value));
    where.push(`t.${ident(c.name)} = $${args.length}::${compareType(c.pgType)}`);
  }
  const sql = `SELECT ${ident(t.rowFn)}(t) AS r FROM ${ident(t.table)} AS t${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY t.${ident(t.pk.name)}`;
  const rows = (await db.query<{ r: TextRow }>(sql, args)).map(({ r }) =>
    auth.visible(t, req.principal, req.authenticated, rowToJson(t.columns, r)),
  );
  const shape = t.entity.list;
  const status = successStatus(req.op, 'list');
  if (shape?.shape === 'wrapped') {
    // The declared wrapper, complete: its other required fields (OpenAI's `object: "list"`,
    // `first_id`, `last_id`, `has_more`) from a schema-valid example, then what we know.
    const type = (req.op.responses.find((r) => r.status === String(status)) ?? req.op.success)
      ?.type;
    const example = type === null || type === undefined ? null : exampleFor(model.schemas, type);
    const body =
      typeof example === 'object' && example !== null && !Array.isArray(example)
        ? example
        : record<JsonValue>();
    put(body, shape.itemsProperty, rows);
    if (shape.totalProperty !== null) put(body, shape.totalProperty, rows.length);
    const keys = rows.map((r) => own(r, t.pk.name) ?? null);
    if (own(body, 'has_more') !== undefined) put(body, 'has_more', false);
    for (const [name, key] of [
      ['first_id', keys[0]],
      ['last_id', keys[keys.length - 1]],
    ] as const)
      if (own(body, name) !== undefined && key !== undefined) put(body, name, key);
    return { status, body };
  }
  return { status, body: rows };
}

export async function getRow(
  db: Database,
  t: TableModel,
  req: EntityRequest,
  auth: Auth,
): Promise<Reply> {
  const [row] = await db.query<{ r: TextRow }>(
    `SELECT ${ident(t.rowFn)}(t) AS r FROM ${ident(t.table)} AS t WHERE t.${ident(t.pk.name)} = $1::${compareType(t.pk.pgType)}`,
    [itemKey(t, req)],
  );
  if (row === undefined) return notFound(t, req);
  return {
    status: successStatus(req.op, 'get'),
    body: auth.visible(t, req.principal, req.authenticated, rowToJson(t.columns, row.r)),
  };
}
