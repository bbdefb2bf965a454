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

/**
 * Whether field `wireName` of schema `schema` gets its value from the server only, so a row created
 * on a device has none until the server has stored it: `schema` is an entity's item schema and the
 * field's column is server-set (`Column.serverSet`: created, updated, version, owner or
 * other), except the key (a client may mint it) and the parent key a nested create passes. Targets
 * make such a field optional in the model, in push and live mode alike, instead of inventing a
 * value for a row the server has not stored yet.
 */
export function awaitsServerValue(ir: SyncIR, schema: string, wireName: string): boolean {
  return ir.entities.some((e) => {
    if (e.schema !== schema) return false;
    const column = e.columns.find((c) => c.name === wireName);
    if (!column || column.serverSet === null || column.serverSet === 'key') return false;
    return e.parent?.field !== column.name;
  });
}
