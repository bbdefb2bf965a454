import type { BatchOperation, Operation, SchemaDecl, TypeRef } from '../ir/types.js';
import { at, isObject, sourceRef, type LoadContext } from '../load/context.js';
import type { RawOperation } from './operations.js';

/**
 * `x-sync-batch: true` on a `POST` operation declares the backend's batch write operation
 * (docs/backend-contract.md, "Batch writes"): its body is a list of outbox writes
 * `{write_id, table, op, key, payload}` and it answers one result per write. The runtimes drain
 * their outbox through it; without it they send one request per write. Checked here (SP0222):
 * a boolean, on a POST, on no entity operation, with a list body (when a body is declared), and
 * on one operation only.
 */
export function readBatchOperation(
  ctx: LoadContext,
  raw: readonly RawOperation[],
  schemas: readonly SchemaDecl[],
): BatchOperation | undefined {
  const items = new Set<string>();
  for (const r of raw) {
    const item = r.pathItem.value;
    if (!isObject(item) || !('x-sync-batch' in item) || items.has(r.pathItem.pointer)) continue;
    items.add(r.pathItem.pointer);
    ctx.report(
      'SP0222',
      `x-sync-batch is on the path item ${r.op.path}, where it has no effect; it marks one operation.`,
      at(r.pathItem, 'x-sync-batch'),
      `Move it onto the POST operation: \`paths: ${r.op.path}: post: x-sync-batch: true\`.`,
    );
  }
  let found: { op: Operation; pointer: string; loc: ReturnType<typeof at> } | undefined;
  for (const r of raw) {
    const v = r.loc.value;
    if (!isObject(v) || !('x-sync-batch' in v)) continue;
    const loc = at(r.loc, 'x-sync-batch');
    const where = `${r.op.method.toUpperCase()} ${r.op.path}`;
    const flag = v['x-sync-batch'];
    if (typeof flag !== 'boolean') {
      ctx.report(
        'SP0222',
        `x-sync-batch on ${where} must be true or false, not ${JSON.stringify(flag)}.`,
        loc,
        'Write `x-sync-batch: true` on the POST operation that accepts a list of writes.',
      );
      continue;
    }
    if (!flag) continue;
    if (r.op.method !== 'post') {
      ctx.report(
        'SP0222',
        `x-sync-batch is on ${where}; the batch write operation must be a POST (its body is a list of writes).`,
        loc,
        'Move `x-sync-batch: true` to a POST operation, e.g. `paths: /sync/batch: post:`.',
      );
      continue;
    }
    if (r.op.entity !== null) {
      ctx.report(
        'SP0222',
        `x-sync-batch is on ${where}, which is the ${r.op.entity.role} operation of entity ${r.op.entity.name}; the batch operation writes every entity and cannot also be one entity's ${r.op.entity.role}.`,
        loc,
        'Give the batch operation its own path outside every resource, e.g. `/sync/batch`.',
      );
      continue;
    }
    const body = r.op.requestBody;
    if (body !== null && !isList(body.type, schemas)) {
      ctx.report(
        'SP0222',
        `x-sync-batch is on ${where}, whose request body is not a list; the batch body is a JSON array of writes {write_id, table, op, key, payload}.`,
        at(r.loc, 'requestBody'),
        'Declare the request body as `type: array` of write objects (see docs/backend-contract.md, "Batch writes").',
      );
      continue;
    }
    if (found !== undefined) {
      ctx.report(
        'SP0222',
        `x-sync-batch is on both ${found.op.method.toUpperCase()} ${found.op.path} and ${where}; a backend has one batch write operation.`,
        loc,
        `Keep \`x-sync-batch: true\` on one of them (the other was declared at ${found.pointer}).`,
      );
      continue;
    }
    found = { op: r.op, pointer: loc.pointer, loc };
  }
  if (found === undefined) return undefined;
  return {
    operation: found.op.name,
    method: 'POST',
    path: found.op.path,
    source: sourceRef(found.loc),
  };
}

function isList(t: TypeRef, schemas: readonly SchemaDecl[]): boolean {
  if (t.kind === 'array') return true;
  if (t.kind === 'unknown') return true;
  if (t.kind !== 'ref') return false;
  const decl = schemas.find((s) => s.name === t.name);
  return decl?.kind === 'alias' ? isList(decl.type, schemas) : false;
}
