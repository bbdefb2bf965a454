import type {
  Column,
  ColumnStorage,
  Entity,
  ObjectDecl,
  SchemaDecl,
  TypeRef,
} from '../ir/types.js';
import { at, isObject, type LoadContext, type Located } from '../load/context.js';
import { snakeCase } from '../naming/words.js';
import type { SchemaTranslator } from './schemas.js';
import { serverSetKind } from './server-set.js';

/**
 * What an entity is made of, read off the IR types: the item schema behind a response, the shape
 * of a list response, the primary key, the table name, and the local-database columns.
 * See docs/ir.md, "Entities".
 */

/** Preferred property names for the rows of a wrapped list response. */
const ITEM_PROPS = ['data', 'items', 'results', 'records', 'rows', 'entries', 'content', 'values'];
const TOTAL_PROPS = [
  'count',
  'total',
  'total_count',
  'totalCount',
  'total_items',
  'totalItems',
  'size',
];

export function resolveDecl(schemas: SchemaTranslator, t: TypeRef | null): SchemaDecl | null {
  let d = t?.kind === 'ref' ? schemas.decl(t.name) : undefined;
  for (let i = 0; d?.kind === 'alias' && i < 10; i++)
    d = d.type.kind === 'ref' ? schemas.decl(d.type.name) : undefined;
  return d ?? null;
}

export function itemSchema(schemas: SchemaTranslator, t: TypeRef | null): string | null {
  const d = resolveDecl(schemas, t);
  return d?.kind === 'object' ? d.name : null;
}

export function bodySchema(schemas: SchemaTranslator, t: TypeRef | null): string | null {
  return itemSchema(schemas, t);
}

export function arrayOf(schemas: SchemaTranslator, t: TypeRef | null): TypeRef | null {
  if (t?.kind === 'array') return t.items;
  const d = t?.kind === 'ref' ? resolveDecl(schemas, t) : null;
  return d?.kind === 'alias' && d.type.kind === 'array' ? d.type.items : null;
}

/** `array of X` or `{data: X[], count}` → how the list is shaped; null when it is not a list of objects. */
export function listShape(schemas: SchemaTranslator, t: TypeRef | null): Entity['list'] {
  const direct = arrayOf(schemas, t);
  if (direct) return itemSchema(schemas, direct) ? { shape: 'array' } : null;
  const d = resolveDecl(schemas, t);
  if (d?.kind !== 'object') return null;
  const arrays = d.fields.filter((f) => itemSchema(schemas, arrayOf(schemas, f.type)));
  // A conventional rows property, or the only array of objects beside scalar paging metadata
  // (`{results: [...], next: "…"}`); a tree node's `children` of its own type is not a page.
  const lone = arrays.length === 1 && arrays[0] ? arrays[0] : undefined;
  const pagingOnly = d.fields.every(
    (f) => f === lone || f.type.kind === 'scalar' || f.type.kind === 'literal',
  );
  const items =
    arrays.find((f) => ITEM_PROPS.includes(f.wireName)) ??
    (lone && pagingOnly && itemSchema(schemas, arrayOf(schemas, lone.type)) !== d.name
      ? lone
      : undefined);
  if (!items) return null;
  const total = d.fields.find(
    (f) =>
      TOTAL_PROPS.includes(f.wireName) &&
      f.type.kind === 'scalar' &&
      (f.type.scalar === 'int32' || f.type.scalar === 'int64'),
  );
  return {
    shape: 'wrapped',
    itemsProperty: items.wireName,
    totalProperty: total?.wireName ?? null,
  };
}

export function listItemType(schemas: SchemaTranslator, t: TypeRef | null): TypeRef | null {
  const shape = listShape(schemas, t);
  if (!shape) return null;
  if (shape.shape === 'array') return arrayOf(schemas, t);
  const d = resolveDecl(schemas, t) as ObjectDecl;
  return arrayOf(schemas, d.fields.find((f) => f.wireName === shape.itemsProperty)!.type);
}

export function primaryKeyField(
  decl: ObjectDecl,
  idParam: string | null,
  entityName: string,
): string | null {
  const has = (n: string) => decl.fields.some((f) => f.wireName === n);
  if (idParam && has(idParam)) return idParam;
  if (has('id')) {
    if (!idParam) return 'id';
    // `{id}`, `{uuid}`, `{contact_id}`, `{contactId}`, `{attempt_id}` for ExamAttempt,
    // `{fine_tuning_job_id}` for Job and `{org_id}` for Organization all name the entity's own
    // id; `{githubId}` on a Solution names another identifier, which the item does not carry.
    const words = snakeCase(idParam);
    const m = /^(?:(.+)_)?(id|uuid|pk|key)$/.exec(words);
    const entityWords = snakeCase(entityName);
    const owner = m?.[1];
    if (m && (!owner || namesEntity(owner, entityWords))) return 'id';
  }
  return null;
}

/**
 * `owner` (the words before `_id`) names the entity: equal, one of its trailing words
 * (`attempt` for `exam_attempt`), ending in it (`fine_tuning_job` for `job`), or an
 * abbreviation of a word of it (`org` for `organization`, `todo` for `todo_item`).
 */
function namesEntity(owner: string, entity: string): boolean {
  if (owner === entity || entity.endsWith(`_${owner}`) || owner.endsWith(`_${entity}`)) return true;
  const ownerWords = owner.split('_');
  const entityWords = entity.split('_');
  return (
    ownerWords.length <= entityWords.length &&
    ownerWords.every((w, i) => w.length >= 2 && entityWords[i]!.startsWith(w))
  );
}

const TABLE_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}(\.[A-Za-z_][A-Za-z0-9_]{0,62})?$/;

export function tableName(ctx: LoadContext, pathItems: Located[], resource: string): string | null {
  for (const item of pathItems) {
    if (!isObject(item.value) || !('x-sync-table' in item.value)) continue;
    const v = item.value['x-sync-table'];
    if (typeof v !== 'string' || !TABLE_RE.test(v)) {
      ctx.report(
        'SP0212',
        `x-sync-table must be a Postgres table name (letters, digits and _, optionally schema-qualified), not ${JSON.stringify(v)}.`,
        at(item, 'x-sync-table'),
        `For example \`x-sync-table: ${snakeCase(resource) || 'my_table'}\`.`,
      );
      return null;
    }
    return v;
  }
  // The collection segment as written, snake_cased (`line-items` → `line_items`): the name the
  // backend most likely gave its table, and predictable (no re-pluralisation).
  return snakeCase(resource);
}

const SCALAR_STORAGE: Record<string, ColumnStorage> = {
  string: 'text',
  email: 'text',
  uri: 'text',
  uuid: 'uuid',
  date: 'date',
  'date-time': 'timestamp',
  time: 'time',
  decimal: 'decimal',
  byte: 'bytes',
  binary: 'bytes',
  int32: 'int32',
  int64: 'int64',
  float: 'float',
  double: 'double',
  boolean: 'boolean',
};

/** The local-database storage class of a field type. */
export function storageOf(schemas: SchemaTranslator, t: TypeRef): ColumnStorage {
  if (t.kind === 'scalar') return SCALAR_STORAGE[t.scalar] ?? 'text';
  if (t.kind === 'literal')
    return typeof t.value === 'number'
      ? Number.isInteger(t.value)
        ? 'int64'
        : 'double'
      : typeof t.value === 'boolean'
        ? 'boolean'
        : 'text';
  if (t.kind === 'ref') {
    const d = schemas.decl(t.name);
    if (d?.kind === 'enum')
      return d.base === 'string' ? 'text' : d.base === 'integer' ? 'int64' : 'double';
    if (d?.kind === 'alias') return storageOf(schemas, d.type);
  }
  return 'json';
}

export function columnsOf(
  schemas: SchemaTranslator,
  decl: ObjectDecl,
  pk: string | null,
  createSchema: string | null,
): Column[] {
  const create = createSchema ? (schemas.decl(createSchema) as ObjectDecl) : null;
  const createFields = new Set(create?.fields.map((f) => f.wireName) ?? []);
  const cols = decl.fields.map((f): Column => {
    const c = {
      name: f.wireName,
      localName: f.wireName,
      storage: storageOf(schemas, f.type),
      nullable: f.wireName === pk ? false : f.nullable || !f.required,
      primaryKey: f.wireName === pk,
      synced: !f.sync.exclude,
      serverGenerated:
        !f.sync.exclude && (f.readOnly || (create !== null && !createFields.has(f.wireName))),
    };
    return { ...c, serverSet: serverSetKind(c, f.readOnly) };
  });
  const ordered = [...cols.filter((c) => c.primaryKey), ...cols.filter((c) => !c.primaryKey)];
  const used = new Set<string>(LOCAL_BOOKKEEPING_COLUMNS);
  for (const c of ordered) {
    let local = c.name;
    for (let k = 2; used.has(local.toLowerCase()); k++) local = `${c.name}_${k}`;
    used.add(local.toLowerCase());
    c.localName = local;
  }
  return ordered;
}

/** Columns the sync runtimes add to `T_local` and the view (sync-runtime-contract §1). */
export const LOCAL_BOOKKEEPING_COLUMNS = ['_changed', '_deleted', '_write_id', '_pending'] as const;
