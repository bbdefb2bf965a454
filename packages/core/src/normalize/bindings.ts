import type { Column, EntityRole, ParameterBinding } from '../ir/types.js';
import { at, isObject, type LoadContext, type Located } from '../load/context.js';
import { snakeCase } from '../naming/words.js';
import type { RawOperation } from './operations.js';

/**
 * Which row column fills each required parameter of an entity's writes. A live runtime builds
 * every write from a row (the outbox holds rows, not calls), so a required parameter it cannot
 * fill would be sent missing and the write refused, every time. The key and the parent parameter
 * are filled already; any other required parameter is bound by `x-sync-bind: {param: column}` on
 * the operation, or by its name matching a column's (`expected_version` ↔ `expectedVersion`).
 * See docs/ir.md, "Entities".
 */

const WRITE_ROLES: readonly EntityRole[] = ['create', 'update', 'replace', 'delete'];

/** Headers the runtimes send themselves, whatever the spec says about them. */
const RUNTIME_HEADERS = new Set(['authorization', 'idempotency-key', 'content-type', 'accept']);

export interface BindingMember {
  role: EntityRole;
  raw: RawOperation;
  /** The item path's id parameter, or the collection's parent parameter. */
  pathParam: string | null;
}

/** The bindings of an entity's operations; `'invalid'` after reporting an error. */
export function readBindings(
  ctx: LoadContext,
  entity: { name: string; live: boolean; parentParam: string | null; columns: Column[] },
  members: BindingMember[],
): ParameterBinding[] | 'invalid' {
  const out: ParameterBinding[] = [];
  let ok = true;
  for (const m of members) {
    const explicit = readAnnotation(ctx, m, entity.columns);
    if (explicit === 'invalid') {
      ok = false;
      continue;
    }
    if (!WRITE_ROLES.includes(m.role)) continue;
    for (const p of m.raw.op.parameters) {
      if (!p.required || p.in === 'cookie') continue;
      if (p.in === 'path' && (p.wireName === m.pathParam || p.wireName === entity.parentParam))
        continue;
      if (p.in === 'header' && RUNTIME_HEADERS.has(p.wireName.toLowerCase())) continue;
      const base = { operation: m.raw.op.name, role: m.role, param: p.wireName, in: p.in };
      const annotated = explicit.get(p.wireName);
      const named = entity.columns.find(
        (c) => c.name === p.wireName || snakeCase(c.name) === snakeCase(p.wireName),
      );
      if (annotated) out.push({ ...base, column: annotated, via: 'annotation' });
      else if (named) out.push({ ...base, column: named.name, via: 'name' });
      else if (entity.live) {
        ok = false;
        ctx.report(
          'SP0306',
          `${m.raw.op.method.toUpperCase()} ${m.raw.op.path} requires the ${p.in} parameter "${p.wireName}", which live entity "${entity.name}" cannot fill from a row: no column is named like it and no x-sync-bind maps it.`,
          m.raw.loc,
          `Add \`x-sync-bind: {${p.wireName}: <column>}\` to the operation (one of: ${entity.columns.map((c) => c.name).join(', ')}), or make the parameter optional.`,
        );
      }
    }
  }
  return ok ? out : 'invalid';
}

/** `x-sync-bind` on the operation: parameter → column, both checked. */
function readAnnotation(
  ctx: LoadContext,
  m: BindingMember,
  columns: Column[],
): Map<string, string> | 'invalid' {
  const op = m.raw.loc.value;
  if (!isObject(op) || !('x-sync-bind' in op)) return new Map();
  const loc = at(m.raw.loc, 'x-sync-bind');
  const fail = (where: Located, message: string) => {
    ctx.report(
      'SP0307',
      message,
      where,
      'Write `x-sync-bind: {<parameter>: <column>}` on a write operation, naming one of its parameters and a property of the item schema.',
    );
    return 'invalid' as const;
  };
  if (!WRITE_ROLES.includes(m.role))
    return fail(
      loc,
      `x-sync-bind on ${m.raw.op.method.toUpperCase()} ${m.raw.op.path} has no effect: only an entity's writes (create, update, replace, delete) are sent from a row.`,
    );
  if (!isObject(loc.value))
    return fail(
      loc,
      `x-sync-bind must map parameter names to columns, not ${JSON.stringify(loc.value)}.`,
    );
  const map = new Map<string, string>();
  for (const [param, column] of Object.entries(loc.value)) {
    const where = at(loc, param);
    if (!m.raw.op.parameters.some((p) => p.wireName === param))
      return fail(
        where,
        `x-sync-bind names "${param}", which is not a parameter of ${m.raw.op.method.toUpperCase()} ${m.raw.op.path} (it has: ${m.raw.op.parameters.map((p) => p.wireName).join(', ') || 'none'}).`,
      );
    if (typeof column !== 'string' || !columns.some((c) => c.name === column))
      return fail(
        where,
        `x-sync-bind maps "${param}" to ${JSON.stringify(column)}, which is not a column of the entity (columns: ${columns.map((c) => c.name).join(', ')}).`,
      );
    map.set(param, column);
  }
  return map;
}
