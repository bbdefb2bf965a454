/**
 * Lookups into an IR that every consumer needs, so that none of them scans `ir.operations` to
 * re-derive what core already decided (tools/architecture.test.ts forbids those scans in
 * generators' translate code).
 */
import type { Entity, EntityRole, Operation, SyncIR } from './types.js';

const cache = new WeakMap<SyncIR, Map<string, Operation>>();

/** The operation named `name` (an {@link Operation.name}), if the IR has it. */
export function operationNamed(ir: SyncIR, name: string | undefined): Operation | undefined {
  if (name === undefined) return undefined;
  let byName = cache.get(ir);
  if (byName === undefined) {
    byName = new Map(ir.operations.map((o) => [o.name, o]));
    cache.set(ir, byName);
  }
  return byName.get(name);
}

/** The operation playing `role` for `entity` (its list, create, get, update, replace or delete). */
export function entityOperation(
  ir: SyncIR,
  entity: Entity,
  role: EntityRole,
): Operation | undefined {
  return operationNamed(ir, entity.operations[role]);
}
