import type { Entity, EntityRole, ObjectDecl, TypeRef } from '../ir/types.js';
import {
  at,
  isObject,
  locKey,
  sourceRef,
  type LoadContext,
  type Located,
} from '../load/context.js';
import { plural, singular as singularRaw } from '../naming/plural.js';
import { pascalCase, snakeCase } from '../naming/words.js';
import type { RawOperation } from './operations.js';
import {
  choosePaths,
  collectionPaths,
  subEndpointTest,
  pathShape,
  type PathShape,
} from './entity-paths.js';
import {
  bodySchema,
  columnsOf,
  itemSchema,
  listItemType,
  listShape,
  primaryKeyField,
  storageOf,
  tableName,
} from './entity-shapes.js';
import { readBindings } from './bindings.js';
import { readRbac } from './rbac.js';
import type { SchemaTranslator } from './schemas.js';
import { describe } from './sync-vocabulary.js';

/** Singular of a resource segment, never empty (pluralize turns a lone `s` into ''). */
function singular(word: string): string {
  return singularRaw(word) || word;
}

const ROLE_BY_METHOD: Record<'collection' | 'item', Partial<Record<string, EntityRole>>> = {
  collection: { get: 'list', post: 'create' },
  item: { get: 'get', patch: 'update', put: 'replace', delete: 'delete' },
};

const ROLE_ORDER: EntityRole[] = ['list', 'create', 'get', 'update', 'replace', 'delete'];

interface Member {
  raw: RawOperation;
  shape: PathShape;
  role: EntityRole;
}

interface Group {
  key: string;
  members: Member[];
}

/**
 * Recognises entities from REST paths and assigns each entity operation its role and sync mode.
 * See packages/core/docs/ir.md ("Entity detection") for the rules.
 */
export function detectEntities(
  ctx: LoadContext,
  schemas: SchemaTranslator,
  ops: RawOperation[],
  transportHeaders: ReadonlySet<string> = new Set(),
): Entity[] {
  const groups = new Map<string, Group>();
  const listing = new Set(
    ops
      .filter((r) => r.op.method === 'get' && listShape(schemas, r.op.success?.type ?? null))
      .map((r) => r.op.path),
  );
  const collections = collectionPaths(
    ops.map((r) => r.op.path),
    (p) => listing.has(p),
  );
  const isSubEndpoint = subEndpointTest(collections);
  for (const raw of ops) {
    const shape = pathShape(raw.op.path);
    if (!shape || isSubEndpoint(raw.op.path)) continue;
    const role = ROLE_BY_METHOD[shape.kind][raw.op.method];
    if (!role) continue;
    // A collection GET that does not return a list of objects is a plain call (a report, a
    // singleton); it stays in the group only when it has no response schema at all, so that a live
    // entity can say what is missing (SP0303).
    if (
      role === 'list' &&
      !listShape(schemas, raw.op.success?.type ?? null) &&
      raw.op.success?.type
    )
      continue;
    const key = snakeCase(singular(shape.resource));
    if (!key) continue;
    const g = groups.get(key) ?? { key, members: [] };
    g.members.push({ raw, shape, role });
    groups.set(key, g);
  }

  const entities: Entity[] = [];
  const tables = new Map<string, Entity>();
  // Operations of a group that failed with a reported reason draw no second (SP0215) error.
  const explained = new Set<string>();
  // Operations of an entity's resource on other paths draw SP0304, a warning, and no SP0215.
  const strays = new Set<string>();
  for (const key of [...groups.keys()].sort()) {
    const group = groups.get(key)!;
    const before = ctx.diagnostics.length;
    const entity = buildEntity(ctx, schemas, group, strays, transportHeaders);
    if (ctx.diagnostics.slice(before).some((d) => d.severity === 'error'))
      for (const m of group.members) explained.add(m.raw.op.name);
    if (!entity) continue;
    const clash = tables.get(entity.table);
    if (clash) {
      ctx.report(
        'SP0305',
        `Entities "${clash.name}" and "${entity.name}" would both use the table "${entity.table}".`,
        locOf(ctx, entity.source.pointer),
        'Set `x-sync-table` on one of the collection paths.',
      );
      continue;
    }
    tables.set(entity.table, entity);
    entities.push(entity);
  }
  // Parent links need every entity known first.
  const byResourceKey = new Map(entities.map((e) => [snakeCase(singular(e.resource)), e.name]));
  for (const e of entities) {
    if (e.parent && e.parent.entity) e.parent.entity = byResourceKey.get(e.parent.entity) ?? null;
  }
  // Live annotations on operations that did not become part of an entity are errors.
  const inEntity = new Set(entities.flatMap((e) => Object.values(e.operations)));
  // A path item's annotation covers all its operations; one that is no entity operation itself
  // (`PUT /pet` beside `POST /pet`) is not to blame while another operation there is one.
  const coveredItems = new Set(
    ops
      .filter((r) => inEntity.has(r.op.name) || explained.has(r.op.name))
      .map((r) => locKey(r.pathItem)),
  );
  for (const raw of ops)
    if (
      !inEntity.has(raw.op.name) &&
      !explained.has(raw.op.name) &&
      !strays.has(raw.op.name) &&
      isObject(raw.loc.value) &&
      'x-sync-bind' in raw.loc.value
    )
      ctx.report(
        'SP0307',
        `x-sync-bind on ${raw.op.method.toUpperCase()} ${raw.op.path} has no effect: the operation is not part of an entity, so no row fills its parameters.`,
        at(raw.loc, 'x-sync-bind'),
        'Remove it; callers pass the parameters of a plain typed call themselves.',
      );
  for (const raw of ops) {
    if (
      inEntity.has(raw.op.name) ||
      explained.has(raw.op.name) ||
      strays.has(raw.op.name) ||
      !raw.annotation ||
      raw.annotation.mode !== 'live' ||
      (onPathItem(raw) && coveredItems.has(locKey(raw.pathItem)))
    )
      continue;
    ctx.report(
      'SP0215',
      `${raw.op.method.toUpperCase()} ${raw.op.path} is annotated ${describe(raw.annotation)}, but it is not part of an entity, so it has nothing to sync.`,
      raw.annotation.at,
      'Live mode needs a collection path whose GET returns a list of objects (e.g. /contacts) and/or an item path (e.g. /contacts/{id}). Remove the annotation, or use push.',
    );
  }
  return entities;
}

/** The operation's annotation is written on its path item, not on the operation. */
function onPathItem(raw: RawOperation): boolean {
  const at = raw.annotation?.at;
  return (
    at !== undefined &&
    at.doc === raw.pathItem.doc &&
    at.pointer.slice(0, at.pointer.lastIndexOf('/')) === raw.pathItem.pointer
  );
}

/** `/store/order/{orderId}` → `/store/order`: where the list of an item path belongs. */
function collectionOf(itemPath: string): string {
  return itemPath.replace(/\/\{[^}]+\}\/?$/, '') || '/';
}

function locOf(ctx: LoadContext, pointer: string): Located {
  return { doc: ctx.root, pointer: pointer.replace(/^#/, ''), value: undefined };
}

function buildEntity(
  ctx: LoadContext,
  schemas: SchemaTranslator,
  group: Group,
  strays: Set<string>,
  transportHeaders: ReadonlySet<string>,
): Entity | null {
  // One collection path and its item path; the resource's operations on other paths stay plain
  // typed calls (SP0304).
  const chosen = choosePaths(
    group.members.map((m) => ({ path: m.raw.op.path, shape: m.shape, role: m.role, value: m })),
  );
  const byRole = new Map<EntityRole, Member>();
  for (const { value: m } of chosen.own) byRole.set(m.role, m);
  const schemaLess = byRole.get('list');
  if (schemaLess && !listShape(schemas, schemaLess.raw.op.success?.type ?? null))
    byRole.delete('list');
  const list = byRole.get('list');
  const get = byRole.get('get');
  if (!list && !get && !schemaLess) return null;

  const members = [...byRole.values(), ...(schemaLess && !list ? [schemaLess] : [])];
  const resource = (list ?? get ?? schemaLess ?? members[0]!).shape.resource;
  const name = pascalCase(singular(resource));
  const sync = entitySync(ctx, members, name);
  if (sync === 'invalid') return null;
  const live = sync.mode === 'live';
  const anchor = (list ?? get ?? schemaLess)!.raw;

  const schemaName =
    itemSchema(schemas, get?.raw.op.success?.type ?? null) ??
    itemSchema(schemas, listItemType(schemas, list?.raw.op.success?.type ?? null)) ??
    itemSchema(schemas, byRole.get('create')?.raw.op.success?.type ?? null);
  if (!schemaName) {
    if (live) {
      const ops = [schemaLess ?? list, get]
        .filter(Boolean)
        .map((m) => `${m!.raw.op.method.toUpperCase()} ${m!.raw.op.path}`);
      ctx.report(
        'SP0303',
        `Live entity "${name}" has no resolvable item schema: ${ops.join(' and ')} ${ops.length > 1 ? 'declare' : 'declares'} no object response schema.`,
        anchor.loc,
        'Give the GET item or list response a JSON schema (a $ref to the item object), e.g. `content: {application/json: {schema: {$ref: "#/components/schemas/Contact"}}}`.',
      );
      return null;
    }
    return null;
  }
  const decl = schemas.decl(schemaName) as ObjectDecl;
  if (live && !list) {
    ctx.report(
      'SP0302',
      `Live entity "${name}" has no list operation, so there is nothing to sync the local table from.`,
      get!.raw.loc,
      `Add \`GET ${chosen.collection ?? collectionOf(get!.raw.op.path)}\` returning an array of ${schemaName} (bare or wrapped in {data}).`,
    );
    return null;
  }

  const idParam =
    get?.shape.param ??
    byRole.get('update')?.shape.param ??
    byRole.get('replace')?.shape.param ??
    byRole.get('delete')?.shape.param ??
    null;
  const pkField = primaryKeyField(decl, idParam, name);
  if (!pkField && live) {
    ctx.report(
      'SP0301',
      `Live entity "${name}" has no primary key: ${idParam ? `the item path parameter "{${idParam}}" matches no property of ${schemaName}, and it has no "id" property` : `${schemaName} has no "id" property and there is no item path`}.`,
      (get ?? list)!.raw.loc,
      idParam
        ? `Name the path parameter after the key property (e.g. {id}), or add an "id" property to ${schemaName}.`
        : `Add an "id" property to ${schemaName}.`,
    );
    return null;
  }
  const pk = pkField ? decl.fields.find((f) => f.wireName === pkField)! : null;
  if (pk?.sync.exclude) {
    ctx.report(
      'SP0210',
      `"${pk.wireName}" is the primary key of ${name} and cannot be x-sync-exclude: rows could never be matched with the server.`,
      locOf(ctx, pk.source.pointer),
      'Remove `x-sync-exclude` from the key.',
    );
    return null;
  }

  const createSchema = bodySchema(schemas, byRole.get('create')?.raw.op.requestBody?.type ?? null);
  const updateSchema = bodySchema(
    schemas,
    (byRole.get('update') ?? byRole.get('replace'))?.raw.op.requestBody?.type ?? null,
  );
  const collection = list ?? byRole.get('create');
  const itemPaths = [get, byRole.get('update'), byRole.get('replace'), byRole.get('delete')].find(
    Boolean,
  );
  const pathItems = [collection?.raw.pathItem, itemPaths?.raw.pathItem].filter((x): x is Located =>
    Boolean(x),
  );
  const table = tableName(ctx, pathItems, resource);
  if (table === null) return null;
  const parentParam = collection?.shape.param ?? null;
  const columns = columnsOf(schemas, decl, pk?.wireName ?? null, createSchema);
  const bindings = readBindings(
    ctx,
    { name, live, columns, transportHeaders: new Set(transportHeaders) },
    [...byRole.values()].map((m) => ({
      role: m.role,
      raw: m.raw,
      pathParam: m.shape.param,
      onItemPath: m.shape.kind === 'item',
    })),
    (p) => oneValue(schemas, p.type),
  );
  if (bindings === 'invalid') return null;

  const operations: Partial<Record<EntityRole, string>> = {};
  for (const role of ROLE_ORDER) {
    const m = byRole.get(role);
    if (!m) continue;
    operations[role] = m.raw.op.name;
    m.raw.op.entity = { name, role };
    m.raw.op.sync = sync;
  }
  const rbac = readRbac(ctx, pathItems, decl);
  reportStrays(ctx, name, chosen);
  for (const { value: m } of chosen.others) strays.add(m.raw.op.name);
  return {
    name,
    plural: pascalCase(plural(singular(resource))),
    resource,
    table,
    schema: schemaName,
    listSchema: itemSchema(schemas, listItemType(schemas, list?.raw.op.success?.type ?? null)),
    createSchema,
    updateSchema,
    primaryKey: pk ? { field: pk.wireName, storage: storageOf(schemas, pk.type) } : null,
    sync,
    paths: { collection: collection?.raw.op.path ?? null, item: itemPaths?.raw.op.path ?? null },
    parent: parentParam
      ? {
          param: parentParam,
          field: decl.fields.some((f) => f.wireName === parentParam) ? parentParam : null,
          entity: collection?.shape.parentResource
            ? snakeCase(singular(collection.shape.parentResource))
            : null,
        }
      : null,
    operations,
    list: listShape(schemas, list?.raw.op.success?.type ?? null),
    columns,
    bindings,
    rbac: rbac === 'invalid' ? null : rbac,
    source: sourceRef(anchor.pathItem),
  };
}

/** A type with a single possible value (a const, a one-member enum): nothing to bind. */
function oneValue(schemas: SchemaTranslator, t: TypeRef): boolean {
  if (t.kind === 'literal') return true;
  const d = t.kind === 'ref' ? schemas.decl(t.name) : undefined;
  return d?.kind === 'enum' && d.members.length === 1;
}

/** Operations of the entity's resource on other paths: they stay plain typed calls (SP0304). */
function reportStrays(
  ctx: LoadContext,
  name: string,
  chosen: { collection: string | null; item: string | null; others: { value: Member }[] },
): void {
  const paths = [chosen.collection, chosen.item].filter(Boolean).join(' and ');
  for (const { value: m } of chosen.others)
    ctx.report(
      'SP0304',
      `${m.raw.op.method.toUpperCase()} ${m.raw.op.path} is not part of entity "${name}", whose paths are ${paths}; it gets a plain typed call.`,
      m.raw.loc,
      `An entity's operations are those on its collection path and the item path under it. Give this path its own resource name, or move the operation to ${paths}.`,
    );
}

/** The entity's mode: explicit annotations must agree; unannotated operations follow them. */
function entitySync(ctx: LoadContext, members: Group['members'], name: string) {
  let first: RawOperation | null = null;
  for (const m of members) {
    if (m.raw.invalidAnnotation) return 'invalid' as const;
    const a = m.raw.annotation;
    if (!a) continue;
    if (!first) {
      first = m.raw;
      continue;
    }
    const f = first.annotation!;
    if (f.mode !== a.mode || f.localFirst !== a.localFirst) {
      ctx.report(
        'SP0208',
        `Entity "${name}" is ${describe(f)} at ${first.op.method.toUpperCase()} ${first.op.path} but ${describe(a)} here; one entity has one sync mode.`,
        a.at,
        'Annotate the collection path item once, and remove the conflicting annotation.',
      );
      return 'invalid' as const;
    }
  }
  const a = first?.annotation ?? null;
  return a
    ? { mode: a.mode, localFirst: a.mode === 'live' && a.localFirst, declaredAt: sourceRef(a.at) }
    : { mode: 'push' as const, localFirst: false, declaredAt: null };
}
