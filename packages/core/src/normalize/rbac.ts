import type { ObjectDecl, RbacConfig } from '../ir/types.js';
import { at, isObject, type LoadContext, type Located } from '../load/context.js';
import { closest } from './sync-vocabulary.js';

/**
 * Reads `x-rbac` on an entity's path items:
 *
 * ```yaml
 * x-rbac:
 *   field_groups: { basic: [name, domain], financial: [annual_revenue] }
 *   role_permissions:
 *     admin: { read: ["*"], write: ["*"] }
 *     sales: { read: [basic, financial], write: [basic] }
 * ```
 * Field names must exist on the item schema and groups must exist in `field_groups` (or be `*`).
 */
export function readRbac(
  ctx: LoadContext,
  pathItems: Located[],
  decl: ObjectDecl,
): RbacConfig | null | 'invalid' {
  const owner = pathItems.find((p) => isObject(p.value) && 'x-rbac' in p.value);
  if (!owner) return null;
  const loc = at(owner, 'x-rbac');
  const bad = (l: Located, message: string, hint?: string): 'invalid' => {
    ctx.report('SP0211', message, l, hint);
    return 'invalid';
  };
  if (!isObject(loc.value))
    return bad(loc, 'x-rbac must be an object with field_groups and role_permissions.');
  let ok = true;
  for (const k of Object.keys(loc.value)) {
    if (k !== 'field_groups' && k !== 'role_permissions')
      ok =
        bad(
          at(loc, k),
          `Unknown key "${k}" in x-rbac. Allowed keys: field_groups, role_permissions.`,
        ) !== 'invalid';
  }
  const fieldNames = decl.fields.map((f) => f.wireName);
  const groups: RbacConfig['fieldGroups'] = [];
  const fg = at(loc, 'field_groups');
  if (fg.value !== undefined && !isObject(fg.value))
    return bad(fg, 'x-rbac.field_groups must map group names to lists of field names.');
  for (const g of Object.keys((fg.value as Record<string, unknown>) ?? {})) {
    const list = at(fg, g);
    if (!Array.isArray(list.value) || !list.value.every((x) => typeof x === 'string')) {
      ok = bad(list, `x-rbac.field_groups.${g} must be a list of field names.`) !== 'invalid' && ok;
      continue;
    }
    (list.value as string[]).forEach((f, i) => {
      if (fieldNames.includes(f)) return;
      const near = closest(f, fieldNames);
      ok =
        bad(
          at(list, i),
          `Field group "${g}" lists "${f}", which is not a property of ${decl.name}.`,
          near ? `Did you mean "${near}"?` : `Known properties: ${fieldNames.join(', ')}.`,
        ) !== 'invalid' && ok;
    });
    groups.push({ name: g, fields: list.value as string[] });
  }
  const groupNames = groups.map((g) => g.name);
  const roles: RbacConfig['rolePermissions'] = [];
  const rp = at(loc, 'role_permissions');
  if (rp.value !== undefined && !isObject(rp.value))
    return bad(
      rp,
      'x-rbac.role_permissions must map role names to {read, write} lists of field groups.',
    );
  for (const role of Object.keys((rp.value as Record<string, unknown>) ?? {})) {
    const r = at(rp, role);
    if (!isObject(r.value)) {
      ok =
        bad(
          r,
          `x-rbac.role_permissions.${role} must be an object {read: [groups], write: [groups]}.`,
        ) !== 'invalid' && ok;
      continue;
    }
    const perm = { role, read: [] as string[], write: [] as string[] };
    for (const k of Object.keys(r.value)) {
      if (k !== 'read' && k !== 'write') {
        ok =
          bad(
            at(r, k),
            `Unknown key "${k}" in x-rbac.role_permissions.${role}. Allowed keys: read, write.`,
          ) !== 'invalid' && ok;
        continue;
      }
      const list = at(r, k);
      if (!Array.isArray(list.value) || !list.value.every((x) => typeof x === 'string')) {
        ok =
          bad(
            list,
            `x-rbac.role_permissions.${role}.${k} must be a list of field group names (or "*").`,
          ) !== 'invalid' && ok;
        continue;
      }
      (list.value as string[]).forEach((g, i) => {
        if (g === '*' || groupNames.includes(g)) return;
        const near = closest(g, groupNames);
        ok =
          bad(
            at(list, i),
            `Role "${role}" refers to field group "${g}", which is not defined in x-rbac.field_groups.`,
            near
              ? `Did you mean "${near}"?`
              : `Defined groups: ${groupNames.join(', ') || '(none)'}; "*" means all.`,
          ) !== 'invalid' && ok;
      });
      perm[k] = list.value as string[];
    }
    roles.push(perm);
  }
  return ok ? { fieldGroups: groups, rolePermissions: roles } : 'invalid';
}
