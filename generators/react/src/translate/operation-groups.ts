/**
 * Which `api/<group>.ts` file each operation goes to: an entity's operations go to the entity's
 * file; any other operation joins the entity whose operations carry the same first tag (a
 * `GET /categories/tree` tagged `categories` sits with `Category`), else a file named after its
 * first tag, else `other`. Groups are sorted by name; operations keep the IR's order.
 */
import type { Operation, SyncIR } from '@sync/core';

export interface OperationGroup {
  /** Raw group name (entity name or tag); the context turns it into a file name. */
  name: string;
  /** Operation names, in IR order. */
  operations: string[];
}

/** First tag → entity name, from the entity operations that carry that tag. */
function entityByTag(ir: SyncIR): Map<string, string> {
  const map = new Map<string, string>();
  for (const op of ir.operations) {
    const tag = op.tags[0];
    if (op.entity && tag !== undefined && !map.has(tag)) map.set(tag, op.entity.name);
  }
  return map;
}

function groupOf(op: Operation, byTag: Map<string, string>): string {
  if (op.entity) return op.entity.name;
  const tag = op.tags[0];
  if (tag === undefined) return 'other';
  return byTag.get(tag) ?? tag;
}

/** Groups every operation of the IR (each exactly once). */
export function operationGroups(ir: SyncIR): OperationGroup[] {
  const byTag = entityByTag(ir);
  const groups = new Map<string, string[]>();
  for (const op of ir.operations) {
    const g = groupOf(op, byTag);
    groups.set(g, [...(groups.get(g) ?? []), op.name]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, operations]) => ({ name, operations }));
}
