import type { Column, EntityRole, Parameter, ParameterBinding } from '../ir/types.js';
import { at, isObject, type LoadContext, type Located } from '../load/context.js';
import { snakeCase } from '../naming/words.js';
import type { RawOperation } from './operations.js';

/**
 * Which row column fills each required parameter of an entity's writes. A live runtime builds
 * every write from a row (the outbox holds rows, not calls), so a required parameter it cannot
 * fill would be sent missing and the write refused, every time. The item key is filled already;
 * any other required parameter, the parent of a nested collection included, is bound by
 * `x-sync-bind: {param: column}` on the operation, or by its name matching a column's
 * (`expected_version` ↔ `expectedVersion`). Not needing a binding: parameters with one possible
 * value (a const, a one-value enum, a default), headers the app's transport sends (security
 * schemes, and `x-sync-bind: {X-Org: null}`). See docs/ir.md, "Entities".
 */

const WRITE_ROLES: readonly EntityRole[] = ['create', 'update', 'replace', 'delete'];

/** Headers the runtimes send themselves, whatever the spec says about them. */
const RUNTIME_HEADERS = new Set(['authorization', 'idempotency-key', 'content-type', 'accept']);

export interface BindingMember {
  role: EntityRole;
  raw: RawOperation;
  /** The item path's id parameter, or the collection's parent parameter. */
  pathParam: string | null;
  /** The operation is on the item path (its last path parameter is the key). */
  onItemPath: boolean;
}

/** The bindings of an entity's operations; `'invalid'` after reporting an error. */
export function readBindings(
  ctx: LoadContext,
  entity: { name: string; live: boolean; columns: Column[]; transportHeaders: Set<string> },
  members: BindingMember[],
  constant: (p: Parameter) => boolean,
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
      if (!p.required || p.in === 'cookie' || constant(p)) continue;
      const isItemKey = p.in === 'path' && p.wireName === m.pathParam && m.onItemPath;
      if (isItemKey) continue;
      const header = p.in === 'header' ? p.wireName.toLowerCase() : null;
      if (header && (RUNTIME_HEADERS.has(header) || entity.transportHeaders.has(header))) continue;
      const base = { operation: m.raw.op.name, role: m.role, param: p.wireName, in: p.in };
      const annotated = explicit.get(header ?? p.wireName);
      if (annotated === null) continue;
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
          `Add \`x-sync-bind: {${p.wireName}: <column>}\` to the operation (one of: ${entity.columns.map((c) => c.name).join(', ')})${p.in === 'header' ? ", or `null` for a header the app's transport sends itself" : ''}, or make the parameter optional.`,
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
): Map<string, string | null> | 'invalid' {
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
  // Keys: the parameter's wire name, lower-cased for headers (HTTP header names are
  // case-insensitive). `null`: a header the app's transport sends itself.
  const map = new Map<string, string | null>();
  for (const [param, column] of Object.entries(loc.value)) {
    const where = at(loc, param);
    const target = m.raw.op.parameters.find(
      (p) =>
        p.wireName === param ||
        (p.in === 'header' && p.wireName.toLowerCase() === param.toLowerCase()),
    );
    if (!target)
      return fail(
        where,
        `x-sync-bind names "${param}", which is not a parameter of ${m.raw.op.method.toUpperCase()} ${m.raw.op.path} (it has: ${m.raw.op.parameters.map((p) => p.wireName).join(', ') || 'none'}).`,
      );
    const key = target.in === 'header' ? target.wireName.toLowerCase() : target.wireName;
    if (column === null && target.in === 'header') {
      map.set(key, null);
      continue;
    }
    if (typeof column !== 'string' || !columns.some((c) => c.name === column))
      return fail(
        where,
        `x-sync-bind maps "${param}" to ${JSON.stringify(column)}, which is not a column of the entity (columns: ${columns.map((c) => c.name).join(', ')})${target.in === 'header' ? '; write null for a header the transport sends itself' : ''}.`,
      );
    map.set(key, column);
  }
  return map;
}
