/**
 * The sync-patterns intermediate representation (IR).
 *
 * The IR is the only thing generators and the dev server read: no consumer looks at the raw
 * OpenAPI document. It is plain, JSON-serialisable data (no classes, no `undefined` values that
 * matter, no cycles), with every `$ref` resolved to a named declaration and every piece of sync
 * metadata normalised. Arrays are sorted so that the same spec always yields the same bytes.
 *
 * Reference: packages/core/docs/ir.md. Bump {@link IR_VERSION} on any breaking change.
 */

export const IR_VERSION = 2 as const;

/** A JSON value, as it appears in `default`, `example` and `const`. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Where something came from: the file (relative to the root spec's folder) and a JSON pointer. */
export interface SourceRef {
  file: string;
  pointer: string;
}

/* ------------------------------------------------------------------------------------------------
 * Types
 * ---------------------------------------------------------------------------------------------- */

/**
 * Scalar kinds after normalisation of `type` + `format`.
 * - `decimal`: `format: decimal` on a string or number, or pydantic's Decimal (`anyOf: [number, string]`).
 * - `date` / `date-time`: ISO-8601 strings on the wire.
 * - `byte`: base64 string; `binary`: raw bytes (only meaningful in multipart/octet-stream bodies).
 * - `integer` is `int64` with `format: int64` (or uint32/uint64) or declared bounds beyond 32 bits,
 *   otherwise `int32`; without a format the type carries `noFormat: true` (see {@link TypeRef}).
 */
export type ScalarKind =
  | 'string'
  | 'uuid'
  | 'date'
  | 'date-time'
  | 'time'
  | 'email'
  | 'uri'
  | 'decimal'
  | 'byte'
  | 'binary'
  | 'int32'
  | 'int64'
  | 'float'
  | 'double'
  | 'boolean';

/**
 * A type reference. `nullable` is set (to `true`) only when `null` is an allowed value at this
 * position; it is absent otherwise. Optionality (a property that may be missing) is not a type
 * property: see {@link Field.required}.
 */
export type TypeRef =
  /**
   * `noFormat` (present only as `true`, only on `int32`): `type: integer` declared without an
   * integer format and without bounds beyond 32 bits. Its values are not limited to 32 bits by
   * the spec (a FastAPI `int`, `?skip=3000000000`): consumers that validate values accept 64-bit
   * integers; the scalar stays `int32` so that targets that size integers keep their types (and
   * column storage stays `int32`). See ir.md, "Types".
   */
  | { kind: 'scalar'; scalar: ScalarKind; noFormat?: true; nullable?: true }
  /** A named declaration in {@link SyncIR.schemas} (by {@link SchemaDecl.name}). */
  | { kind: 'ref'; name: string; nullable?: true }
  | { kind: 'array'; items: TypeRef; nullable?: true }
  /** `additionalProperties` / free-form objects: string keys, values of one type. */
  | { kind: 'map'; values: TypeRef; nullable?: true }
  /** `const` (or a one-value enum used as a discriminator tag). */
  | { kind: 'literal'; value: string | number | boolean; nullable?: true }
  /** Any JSON value (`{}`, `true` schemas, or a schema with no usable type). */
  | { kind: 'unknown'; nullable?: true };

/** One enum member. `value` is the wire value; naming modules derive identifiers from it. */
export interface EnumMember {
  value: string | number;
  description?: string;
}

/** One property of an object declaration. */
export interface Field {
  /** The property name on the wire, exactly as in the spec. */
  wireName: string;
  type: TypeRef;
  /** The property must be present (`required` list). */
  required: boolean;
  /** `null` is an allowed value (also reflected in `type.nullable`). */
  nullable: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  deprecated: boolean;
  default?: JsonValue;
  description?: string;
  /** Sync metadata from `x-sync-exclude` and `x-owner-only` on the property schema. */
  sync: { exclude: boolean; ownerOnly: boolean };
  source: SourceRef;
}

interface DeclBase {
  /** Unique PascalCase-ish base name (ASCII letters and digits, starts with a letter). */
  name: string;
  /** The key under `components/schemas`, or null for a schema hoisted from an inline position. */
  componentName: string | null;
  description?: string;
  deprecated: boolean;
  source: SourceRef;
}

export interface ObjectDecl extends DeclBase {
  kind: 'object';
  /** In spec order (allOf parts merged in order). */
  fields: Field[];
  /** Type of extra properties, or null when `additionalProperties` is false or absent. */
  additionalProperties: TypeRef | null;
}

export interface EnumDecl extends DeclBase {
  kind: 'enum';
  base: 'string' | 'integer' | 'number';
  /** In spec order, `null` removed (it makes the using position nullable instead). */
  members: EnumMember[];
}

/** oneOf / anyOf with more than one non-null variant. */
export interface UnionDecl extends DeclBase {
  kind: 'union';
  /** `oneOf` (exactly one matches) or `anyOf`. */
  combinator: 'oneOf' | 'anyOf';
  variants: UnionVariant[];
  /** Present when the union has an OpenAPI `discriminator` or every object variant carries a distinct const tag. */
  discriminator: { property: string } | null;
}

export interface UnionVariant {
  type: TypeRef;
  /** Discriminator values that select this variant (empty without a discriminator). */
  tags: string[];
}

/** A named schema that is not an object, enum or union (e.g. `Tags: {type: array, items: …}`). */
export interface AliasDecl extends DeclBase {
  kind: 'alias';
  type: TypeRef;
}

export type SchemaDecl = ObjectDecl | EnumDecl | UnionDecl | AliasDecl;

/* ------------------------------------------------------------------------------------------------
 * Operations
 * ---------------------------------------------------------------------------------------------- */

export type HttpMethod = 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';

export interface Parameter {
  wireName: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  type: TypeRef;
  /** Serialisation (OpenAPI defaults applied: `simple` for path/header, `form` + explode for query). */
  style: string;
  explode: boolean;
  deprecated: boolean;
  description?: string;
  source: SourceRef;
}

export interface RequestBody {
  /** The chosen media type: JSON first, then form, multipart, octet-stream, text. */
  contentType: string;
  required: boolean;
  type: TypeRef;
}

export interface Response {
  /** `200`, `201`, `204`, `2XX`, `default`… as written. */
  status: string;
  description: string;
  /** Null when the response has no body (e.g. 204) or no usable media type. */
  contentType: string | null;
  type: TypeRef | null;
}

export type EntityRole = 'list' | 'create' | 'get' | 'update' | 'replace' | 'delete';

export interface Operation {
  /**
   * A unique camelCase-ready base name: the `operationId` cleaned of FastAPI's decorations
   * (`list_contacts_api_v1_contacts_get` → `list_contacts`, `items-read_items` → `read_items`),
   * or `<method>_<path words>` when there is no operationId.
   */
  name: string;
  /** The operationId as written, or null. */
  operationId: string | null;
  method: HttpMethod;
  /** The path template exactly as in the spec (trailing slash kept: the server expects it). */
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  tags: string[];
  /** Path-item and operation parameters merged (operation wins), path params first, then spec order. */
  parameters: Parameter[];
  requestBody: RequestBody | null;
  /** Sorted by status. */
  responses: Response[];
  /** The first 2xx response with a body type, else the first 2xx, else null. */
  success: Response | null;
  /** The operation's role in an entity, or null for a non-entity operation (health check, report…). */
  entity: { name: string; role: EntityRole } | null;
  /** Effective sync mode of this operation (entity operations share their entity's mode). */
  sync: SyncConfig;
  /** Non-empty when the operation requires auth (names of the security schemes that apply). */
  security: string[];
  source: SourceRef;
}

/* ------------------------------------------------------------------------------------------------
 * Sync metadata and entities
 * ---------------------------------------------------------------------------------------------- */

export type SyncMode = 'push' | 'live';

export interface SyncConfig {
  mode: SyncMode;
  /** `live` only: true = optimistic writes, false = confirmed writes. Always false for push. */
  localFirst: boolean;
  /** Where the effective annotation was written; null when the default (push) applied. */
  declaredAt: SourceRef | null;
}

/**
 * Storage class of a column, shared by every local database and the dev server so that they agree.
 * Each target maps it to its own SQL type (Postgres, SQLite/GRDB, Room).
 */
export type ColumnStorage =
  | 'text'
  | 'uuid'
  | 'int32'
  | 'int64'
  | 'float'
  | 'double'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'json'
  | 'bytes';

export interface Column {
  /** Column name = the field's wire name (Electric sends Postgres column names). */
  name: string;
  /**
   * The column's name in the local SQLite database (GRDB, Room). SQLite compares identifiers
   * case-insensitively, Postgres (quoted) does not: `self` and `Self` are two server columns but
   * one SQLite name, so later clashes, and names taken by the runtime's bookkeeping columns
   * (`_changed`, `_deleted`, `_write_id`, `_pending`), get `_2`, `_3`… locally. JSON payloads,
   * `_changed` entries and shape messages keep {@link name}.
   */
  localName: string;
  storage: ColumnStorage;
  nullable: boolean;
  primaryKey: boolean;
  /** False for `x-sync-exclude` fields: they exist only in the local table. */
  synced: boolean;
  /** The server fills it in (readOnly, or absent from the create body). */
  serverGenerated: boolean;
  /**
   * What the server puts in it, decided once in core (normalize/server-set.ts): the `key`; the
   * `created` / `updated` time; a `version` (1, then +1 per update); the `owner` (the
   * authenticated caller); `other` (server-set by no known rule: its default, else any valid
   * value); null when the client writes it. Additive in IR version 2.
   */
  serverSet: ServerSetKind | null;
}

/** See {@link Column.serverSet}. */
export type ServerSetKind = 'key' | 'created' | 'updated' | 'version' | 'owner' | 'other';

export interface ParameterBinding {
  /** The operation's name (see {@link Operation.name}) and its role in the entity. */
  operation: string;
  role: EntityRole;
  /** The parameter as the operation declares it. */
  param: string;
  in: Parameter['in'];
  /** The column (wire name) whose value the runtime sends. */
  column: string;
  /** `x-sync-bind` on the operation, or the parameter's name matching the column's. */
  via: 'annotation' | 'name';
}

export interface RbacConfig {
  /** Group name → field wire names. */
  fieldGroups: { name: string; fields: string[] }[];
  /** Role → readable and writable field groups (`*` = every group). */
  rolePermissions: { role: string; read: string[]; write: string[] }[];
}

export interface Entity {
  /** Singular PascalCase-ready name from the resource path segment (`line-items` → `LineItem`). */
  name: string;
  /** Plural of {@link name} (`LineItems`, `People`). */
  plural: string;
  /** The resource path segment as written (`line-items`). */
  resource: string;
  /** Postgres / Electric table name: `x-sync-table`, else the snake_case plural (`line_items`). */
  table: string;
  /**
   * The object declaration of the item (read model): the item GET's response, else the list's
   * rows, else the create response. A live entity stores and syncs this full type.
   */
  schema: string;
  /**
   * The object declaration of the list's rows, which may be a summary type
   * (`[QuoteSummary]`, `{data: [WorkOrderSummary], count}`) rather than {@link schema}. Push-mode
   * stores and repositories hold this type; null without a list operation.
   */
  listSchema: string | null;
  /** Request body declaration for create / update, when they are named objects. */
  createSchema: string | null;
  updateSchema: string | null;
  primaryKey: { field: string; storage: ColumnStorage } | null;
  sync: SyncConfig;
  /** The collection and item path templates, when present. */
  paths: { collection: string | null; item: string | null };
  /** Nested resources: the parent path parameter and, when the item has it, the matching field. */
  parent: { param: string; field: string | null; entity: string | null } | null;
  /** Operation names by role. */
  operations: Partial<Record<EntityRole, string>>;
  /** How the list operation returns rows. */
  list:
    | { shape: 'array' }
    | { shape: 'wrapped'; itemsProperty: string; totalProperty: string | null }
    | null;
  /** Local-database columns: primary key first, then fields in declaration order. */
  columns: Column[];
  /**
   * Required parameters of the entity's operations that a runtime fills from the row the write is
   * based on: beyond the key and the parent, e.g. `PUT /vendors/{id}?expectedVersion=` bound to
   * the `version` column. From `x-sync-bind` on the operation, else by name.
   */
  bindings: ParameterBinding[];
  rbac: RbacConfig | null;
  source: SourceRef;
}

export interface SecurityScheme {
  name: string;
  type: 'http-bearer' | 'http-basic' | 'api-key' | 'oauth2' | 'openid' | 'other';
  /** For api-key: where the key goes and its name. */
  in?: 'header' | 'query' | 'cookie';
  paramName?: string;
}

export interface SyncIR {
  irVersion: typeof IR_VERSION;
  /** The root spec file, relative to the working folder in POSIX form (`../` included), never absolute: generated banners must not depend on where the checkout lives. */
  source: { file: string; openapi: string };
  info: { title: string; version: string; description?: string };
  /** Server URLs as written (may be relative, e.g. `/api`). */
  servers: string[];
  securitySchemes: SecurityScheme[];
  /** Sorted by name. */
  schemas: SchemaDecl[];
  /** Sorted by name. */
  entities: Entity[];
  /** Sorted by path, then method. */
  operations: Operation[];
  /**
   * The backend's batch write operation (`x-sync-batch: true` on a POST), present only when the
   * spec declares one. The runtimes drain their outbox through it (docs/backend-contract.md,
   * "Batch writes"); without it they send one request per write.
   */
  batch?: BatchOperation;
}

/** `x-sync-batch`: where the outbox sends a list of writes and gets one result per write. */
export interface BatchOperation {
  /** `Operation.name` of the declaring operation (also in `operations`). */
  operation: string;
  method: 'POST';
  /** The path template as written (no parameters: the batch path is fixed). */
  path: string;
  /** Where `x-sync-batch` was written. */
  source: SourceRef;
}

/* ------------------------------------------------------------------------------------------------
 * Diagnostics
 * ---------------------------------------------------------------------------------------------- */

export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** Stable code, documented in packages/core/docs/diagnostics.md (e.g. `SP1001`). */
  code: string;
  message: string;
  /** What to write instead, when we can tell. */
  hint?: string;
  /** The file (as given or relative to the root spec) and the JSON pointer inside it. */
  file: string;
  pointer: string;
  /** 1-based line and column in the user's own file, when known. */
  line?: number;
  column?: number;
}
