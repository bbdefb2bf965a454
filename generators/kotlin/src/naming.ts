/**
 * Every Kotlin name the generator prints comes from here, computed once per IR, so templates and
 * translate functions never derive identifiers themselves. Casing, keyword escaping and string
 * literals are core's `naming.kotlin`; this module adds the *scoping*: which names share a
 * namespace (all generated types, one class's properties, one function's parameters) and must be
 * de-duplicated, and which library/runtime names generated files import and must not be shadowed.
 */
import { naming, type Entity, type SyncIR } from '@sync/core';

export const kt = naming.kotlin;

/** Kotlin package of the runtime (packages/kotlin-runtime). */
export const RUNTIME_PACKAGE = 'io.syncpatterns.runtime';

/**
 * Simple names generated files use unqualified (imports from the runtime, kotlinx, coroutines and
 * Room). A spec type with one of these names is renamed (`Param` → `Param2`) instead of shadowing.
 */
// prettier-ignore
const IMPORTED_NAMES = [
  'JvmInline', 'KSerializer', 'SerializationException', 'ApiCore', 'ApiRequest', 'ApiException',
  'AuthStyle', 'Param', 'RequestBody', 'HttpTransport', 'HttpURLConnectionTransport', 'WireEnum',
  'FallbackEnumSerializer', 'JsonUnionSerializer', 'IsoDateTime', 'IsoDate', 'IsoTime', 'Base64',
  'Decimal', 'Entity', 'PrimaryKey', 'ColumnInfo', 'Dao', 'Query', 'Transaction', 'Database',
  'DatabaseView', 'RoomDatabase', 'Upsert', 'Insert', 'Migration', 'MutableStateFlow', 'Companion',
  'SupportSQLiteDatabase', 'Serializer', 'RoomSqlDriver', 'LiveTable', 'ColumnSpec', 'LocalRecord',
  'LocalTableAccess', 'OutboxEntry', 'LocalWrites', 'Columns', 'SchemaUpgrade', 'SqlExecutor', 'SyncJson',
  'JsonObject', 'JsonPrimitive', 'Index', 'Flow', 'TypeConverter', 'TypeConverters', 'Synced', 'RowState',
  'LocalRows', 'ColumnText', 'JsonElement', 'JsonArray',
  'SyncConfig', 'SyncEngine', 'SyncRoute', 'SyncTable', 'RouteParam', 'ParamLocation', 'CoroutineScope', 'RoomSync',
  'SyncOutboxRow', 'SyncShapeRow', 'SyncMetaRow', 'SyncSeenTxidRow', 'SyncTablesDao',
];

/**
 * The shared sync tables' Room entities and their queries: the same in every app, so they live in
 * the runtime's Room source set (package `io.syncpatterns.runtime.room`, `SyncTables.kt` and
 * `SyncTablesDao.kt`) and generated files import them. Only the `@Dao` itself is generated (one
 * line, next to the database: `SyncDao : SyncTablesDao()`), so that Room writes its
 * implementation in the app's package.
 */
export const SHARED_ROOM = {
  outboxRow: 'SyncOutboxRow',
  shapeRow: 'SyncShapeRow',
  metaRow: 'SyncMetaRow',
  seenTxidRow: 'SyncSeenTxidRow',
  queries: 'SyncTablesDao',
} as const;

/** Kotlin package of the runtime's Room adapter (src/room: `RoomSync`, `RoomSqlDriver`, the shared tables). */
export const RUNTIME_ROOM_PACKAGE = `${RUNTIME_PACKAGE}.room`;

/** Kotlin packages of one generated client. */
export interface Packages {
  root: string;
  /** Models (`model/`): data classes, enums, unions, aliases. */
  model: string;
  /** API client (`api/`): one `…Api` class per entity / tag plus `ApiClient`. */
  api: string;
  /** Repositories and the Room database (`data/`). */
  data: string;
}

export function packagesOf(rawRoot: string): Packages {
  // A segment that is a hard keyword (`com.example.in`) must be backticked in package/import lines.
  const root = rawRoot.split('.').map((segment) => kt.escapeIdentifier(segment)).join('.');
  return { root, model: `${root}.model`, api: `${root}.api`, data: `${root}.data` };
}

/** Names of one entity's generated declarations. */
export interface EntityNames {
  repository: string;
  syncedRow: string;
  localRow: string;
  viewRow: string;
  dao: string;
  table: string;
}

/** All type-level names of one generated client (one namespace: the files of one client). */
export interface NameTable {
  packages: Packages;
  /** Model type name per IR declaration name. */
  types: Map<string, string>;
  /** `…Api` class per API group key (see {@link apiGroupKey}). */
  apiClasses: Map<string, string>;
  entities: Map<string, EntityNames>;
  apiClient: string;
  database: string;
  /** The Room `@TypeConverter`s of the view rows' typed columns (enums, decimals, JSON). */
  converters: string;
  /** The app's sync glue (live tables with their write routes, the engine factory). */
  liveSync: string;
  /**
   * Shared Room declarations of the live mode: the runtime's entities (outbox, shapes, meta, seen
   * txids) and queries, and the app's `@Dao` inheriting them (`syncDao`, generated).
   */
  shared: typeof SHARED_ROOM & { syncDao: string };
}

/** The API class an operation belongs to: its entity, else its first tag, else `default`. */
export function apiGroupKey(op: { entity: { name: string } | null; tags: string[] }): string {
  if (op.entity) return `entity:${op.entity.name}`;
  return op.tags[0] !== undefined ? `tag:${op.tags[0]}` : 'default';
}

function apiGroupRaw(key: string, ir: SyncIR): string {
  if (key.startsWith('entity:')) {
    const entity = ir.entities.find((e) => `entity:${e.name}` === key);
    return `${entity?.plural ?? key.slice(7)} api`;
  }
  return key.startsWith('tag:') ? `${key.slice(4)} api` : 'default api';
}

/** Builds the {@link NameTable}: reserved names first, then fixed names, models, APIs, entities. */
export function buildNames(ir: SyncIR, rootPackage: string): NameTable {
  const groupKeys = [...new Set(ir.operations.map(apiGroupKey))].sort();
  const entityRaw = (e: Entity): string[] => [
    `${e.plural} repository`,
    `${e.name} synced row`,
    `${e.name} local row`,
    `${e.name} row`,
    `${e.name} dao`,
    `${e.name} table`,
  ];
  const raws: string[] = [
    ...IMPORTED_NAMES,
    'api client',
    'sync database',
    'sync converters',
    'sync dao',
    'live sync',
    ...ir.schemas.map((s) => s.name),
    ...groupKeys.map((k) => apiGroupRaw(k, ir)),
    ...ir.entities.flatMap(entityRaw),
  ];
  const unique = uniqueTypeNames(raws);
  let i = IMPORTED_NAMES.length;
  const next = (): string => unique[i++]!;
  const apiClient = next();
  const database = next();
  const converters = next();
  const syncDao = next();
  const liveSync = next();
  const types = new Map(ir.schemas.map((s) => [s.name, next()] as const));
  const apiClasses = new Map(groupKeys.map((k) => [k, next()] as const));
  const entities = new Map<string, EntityNames>();
  for (const e of ir.entities) {
    entities.set(e.name, { repository: next(), syncedRow: next(), localRow: next(), viewRow: next(), dao: next(), table: next() });
  }
  return { packages: packagesOf(rootPackage), types, apiClasses, entities, apiClient, database, converters, liveSync, shared: { ...SHARED_ROOM, syncDao } };
}

/** Type names are file names too, so clashes are case-insensitive (`Type.kt` vs `type.kt`). */
function uniqueTypeNames(raws: string[]): string[] {
  const imported = new Set(IMPORTED_NAMES);
  return kt.uniqueNames(raws, (raw) => (imported.has(raw) ? raw : kt.typeName(raw)), { caseInsensitive: true });
}

/** De-duplicated member names (properties, parameters): `reserved` are taken first and dropped. */
export function memberNames(raws: readonly string[], reserved: readonly string[] = []): string[] {
  const all = kt.uniqueNames([...reserved, ...raws], (raw) => kt.propertyName(raw));
  return all.slice(reserved.length);
}

/** De-duplicated enum entry names; `UNKNOWN` is reserved for the fallback entry. */
export function enumEntryNames(values: readonly (string | number)[]): { entries: string[]; unknown: string } {
  const all = kt.uniqueNames<string | number>(['UNKNOWN', ...values], (v) => kt.enumCaseName(v));
  return { unknown: all[0]!, entries: all.slice(1) };
}

/** De-duplicated nested type names inside one declaration (union variants). */
export function nestedTypeNames(raws: readonly string[], reserved: readonly string[]): string[] {
  return kt.uniqueNames([...reserved, ...raws], (raw) => kt.typeName(raw), { caseInsensitive: true }).slice(reserved.length);
}

/** Kotlin property names of an object declaration's fields, in field order (shared by every user). */
export function fieldNames(fields: readonly { wireName: string }[]): string[] {
  return memberNames(fields.map((f) => f.wireName));
}

/**
 * The kit's banner lines (`bannerLines`) as line comments: `//` in Kotlin files, `#` in the
 * `.editorconfig`. A line break inside a line (a spec title may hold one) starts a new comment
 * line instead of ending the comment.
 */
export function bannerComment(lines: readonly string[], marker: '//' | '#'): string[] {
  return lines.flatMap((line) => line.split(/\r\n|\r|\n/)).map((line) => `${marker} ${line}`.trimEnd());
}
