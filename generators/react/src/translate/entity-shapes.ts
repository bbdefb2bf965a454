/**
 * Create / update shapes of an entity. The spec's own request bodies (`entity.createSchema`,
 * `entity.updateSchema`) are used as they are; when an operation posts or patches the item
 * schema itself, the shape is derived instead: the read model without its `readOnly` fields
 * (the server fills them in), and `Partial<…>` of that for PATCH. Derived shapes are emitted next
 * to the item schema (`models/<schema>.ts`) and named by the context (`OrderCreate`).
 */
import { entityOperation, type Entity, type SyncIR, type TypeRef } from '@sync/core';

export interface WriteShape {
  /** True when the generator derives the shape from the item schema. */
  derived: boolean;
  /** TS name of a derived shape (assigned by the context), else ''. */
  name: string;
  /** Wire names left out of a derived shape (the item schema's readOnly fields). */
  omit: string[];
  /** `Partial<…>` (PATCH semantics). */
  partial: boolean;
}

export interface EntityShapes {
  create: WriteShape;
  update: WriteShape;
}

const NONE: WriteShape = { derived: false, name: '', omit: [], partial: false };

/** The request body type of the entity operation playing `role`, if any. */
function bodyOf(ir: SyncIR, entity: Entity, role: 'create' | 'replace' | 'update'): TypeRef | null {
  const op = entityOperation(ir, entity, role);
  return op?.requestBody?.type ?? null;
}

/** The item schema's readOnly wire names, in declaration order. */
function readOnlyFields(ir: SyncIR, entity: Entity): string[] {
  const decl = ir.schemas.find((s) => s.name === entity.schema);
  return decl?.kind === 'object'
    ? decl.fields.filter((f) => f.readOnly).map((f) => f.wireName)
    : [];
}

const isItemSchema = (ref: TypeRef | null, entity: Entity): boolean =>
  ref?.kind === 'ref' && ref.name === entity.schema;

/** Decides which write shapes of `entity` are derived. */
export function entityShapes(ir: SyncIR, entity: Entity): EntityShapes {
  const omit = readOnlyFields(ir, entity);
  const createBody = bodyOf(ir, entity, 'create') ?? bodyOf(ir, entity, 'replace');
  const updateBody = bodyOf(ir, entity, 'update');
  const create =
    isItemSchema(createBody, entity) && omit.length > 0
      ? { derived: true, name: '', omit, partial: false }
      : { ...NONE };
  const update = isItemSchema(updateBody, entity)
    ? { derived: true, name: '', omit, partial: true }
    : { ...NONE };
  return { create, update };
}
