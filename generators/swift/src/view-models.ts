/**
 * The view models translate/ produces and render/ consumes: data only (names, types, Swift
 * literals, flags, lists), never a line of Swift. Templates loop, branch on flags and print; where
 * a line needs a decision a template cannot make (fitting a call into 100 columns), a builder in
 * render/ owns that line and is fed with these fields.
 *
 * Field conventions: `name`/`label` are Swift identifiers (escaped with backticks when needed),
 * `type` a Swift type, `literal` a Swift literal, `doc` the lines of a doc comment (the
 * templates add `///` at their indentation; `[]` for none).
 */

/** Common to every file: the do-not-edit banner (text lines, `//` added by the header template) and the imports. */
export interface FileHeader {
  banner: string[];
  imports: string[];
}

// ---------------------------------------------------------------------------------------------
// Models/<Type>.swift

export interface StructField {
  doc: string[];
  /** Boxed with the runtime's `@Indirect` (the struct reaches itself by value through it). */
  indirect: boolean;
  name: string;
  /** The property's type, `?` included when {@link optional}. */
  type: string;
  /** {@link type} without the `?`. */
  valueType: string;
  optional: boolean;
  /** Decoded and encoded with the runtime's decimal coding (`decodeDecimal`, `encodeDecimal`). */
  decimal: boolean;
  /** Encoded with `encodeIfPresent` (omitted when nil) rather than `encode` (written as `null`). */
  encodeIfPresent: boolean;
  /** The wire name as a literal when it differs from the property name (`case x = "wire"`). */
  wireLiteral: string | null;
  /** The init parameter's default: `nil`, the const literal, or null for none. */
  defaultValue: string | null;
  /** A const value checked after decoding: its literal, and the error text as a literal. */
  constant: { literal: string; expected: string } | null;
}

export interface StructModel extends FileHeader {
  doc: string[];
  name: string;
  identifiable: boolean;
  fields: StructField[];
  hasFields: boolean;
  /** Emit CodingKeys (some wire name differs from the property name, or custom coding). */
  codingKeys: boolean;
  /** Emit `init(from:)` / `encode(to:)` (decimals, required nullables, const checks). */
  customCoding: boolean;
  /** `public var id: T { pk }` for Identifiable entities whose key is not named `id`. */
  idAlias: { type: string; property: string } | null;
}

export interface EnumCase {
  doc: string[];
  name: string;
  literal: string;
}

export interface EnumModel extends FileHeader {
  doc: string[];
  name: string;
  rawType: string;
  cases: EnumCase[];
  hasCases: boolean;
}

export interface UnionCase {
  name: string;
  type: string;
}

export interface UnionModel extends FileHeader {
  doc: string[];
  name: string;
  cases: UnionCase[];
  /** Discriminator property as a Swift literal, or null (then variants are tried in order). */
  discriminator: string | null;
  /**
   * With a discriminator: one `case` per set of tags. Where several variants share a tag
   * (`"message"` for both an input and an output message), they are tried in spec order and the
   * first that decodes wins; a tag never silently picks the first variant alone.
   */
  branches: UnionBranch[];
  /** Literal of the union's name for error messages. */
  nameLiteral: string;
}

export interface UnionBranch {
  /** The tags as Swift string literals. */
  tags: string[];
  /** The variants this tag selects, in spec order. */
  options: { name: string; type: string }[];
  /** Exactly one variant: decode it directly. */
  single: boolean;
}

export interface AliasModel extends FileHeader {
  doc: string[];
  name: string;
  type: string;
}

// ---------------------------------------------------------------------------------------------
// Client/APIClient.swift, Client/APIClient+<Group>.swift

export interface ClientModel extends FileHeader {
  doc: string[];
  /** The default base URL as a string literal. */
  baseURL: string;
}

export interface ClientOperationsModel extends FileHeader {
  operations: OperationModel[];
}

/** One method parameter: `label: Type` (`label: Type? = nil` when optional). */
export interface ParameterModel {
  label: string;
  type: string;
  optional: boolean;
}

/** A piece of the request path: text (escaped for a string literal) or a path parameter's local name. */
export type PathSegment = { text: string; param: null } | { text: null; param: string };

/** One entry of `security: [...]`. */
export interface SecurityModel {
  bearer: boolean;
  basic: boolean;
  /** `.apiKey(name:in:)`: the parameter name as a literal and where it goes (`header`, `query`, `cookie`). */
  apiKey: { name: string; location: string } | null;
}

/** A query, header or cookie parameter put on the request. */
export interface RequestParameterModel {
  query: boolean;
  header: boolean;
  cookie: boolean;
  /** The wire name as a literal. */
  wire: string;
  local: string;
  /** Query serialisation (`form`, `deepObject`, …) and explode flag. */
  style: string;
  explode: boolean;
}

/** How the request body is put on the request, by media type. */
export interface RequestBodyModel {
  /** Optional body: the statements run inside `if let body = body { … }`. */
  optional: boolean;
  /** multipart/form-data of an object: its fields (wire literal, property name). */
  multipart: { wire: string; property: string }[] | null;
  form: boolean;
  /** Raw bytes or text with this content type (a literal); `text` converts a String to UTF-8. */
  raw: { contentType: string; text: boolean } | null;
  json: boolean;
}

export interface OperationModel {
  doc: string[];
  name: string;
  params: ParameterModel[];
  /** The success type, or null when the method returns nothing. */
  returnType: string | null;
  /** How the answer is read: decoded JSON, text, raw data, or discarded (all false). */
  returnsJson: boolean;
  returnsText: boolean;
  returnsData: boolean;
  method: string;
  path: PathSegment[];
  security: SecurityModel[];
  parameters: RequestParameterModel[];
  body: RequestBodyModel | null;
  /** `var request` (statements modify it) rather than `let request`. */
  mutableRequest: boolean;
}

// ---------------------------------------------------------------------------------------------
// Stores/<Plural>Store.swift

export interface ContextParam {
  wireName: string;
  name: string;
  type: string;
}

/** A call of an `APIClient` method by a push store: `client.<method>(label: value, …)`. */
export interface StoreCallModel {
  method: string;
  /** Each argument's label and value: a local of the store method (`id`, `body`) or, `onSelf`, a store property. */
  args: { label: string; value: string; onSelf: boolean }[];
}

export interface PushStoreModel extends FileHeader {
  doc: string[];
  name: string;
  /** The item type: what create/update answer and what `get` fetches. */
  model: string;
  /** The type of `items`: the list's row type, which may be a summary of {@link model}. */
  rowModel: string;
  /** `items` holds {@link model} itself, so writes update it in place (else they reload it). */
  rowsAreModels: boolean;
  /** The key property of a row, when the row type has the key (else a delete reloads). */
  rowKeyProperty: string | null;
  contextParams: ContextParam[];
  hasContext: boolean;
  list: StoreCallModel | null;
  /** Where `items` come from in the list answer: the answer itself (null), or one of its properties. */
  items: { property: string; orEmpty: boolean } | null;
  keyType: string | null;
  keyProperty: string | null;
  create: { bodyType: string; call: StoreCallModel } | null;
  update: { bodyType: string; call: StoreCallModel } | null;
  /** `discardsResult`: the delete answers with a body, which the store does not need. */
  remove: { call: StoreCallModel; discardsResult: boolean } | null;
  /** `items`' doc comment. */
  itemsDoc: string[];
}

export interface ParentKey {
  /** The store's property and init parameter (`accountId`), as a push store names it. */
  name: string;
  type: string;
  /** The record's `Columns` member of the parent column. */
  column: string;
  /** The parent column's wire name as a literal (the key of the insert's `extra` values). */
  columnLiteral: string;
}

export interface LiveStoreModel extends FileHeader {
  doc: string[];
  name: string;
  model: string;
  record: string;
  /** The runtime descriptor type (`ContactSyncTable`). */
  table: string;
  sql: string;
  keyType: string;
  keyProperty: string;
  parents: ParentKey[];
  /** The `Columns` member of the key column (the order of `items`). */
  keyColumn: string;
  /** Body types of the writes the entity has (null: no such write). */
  create: { bodyType: string } | null;
  update: { bodyType: string } | null;
  remove: boolean;
  /** `save(_:)`: the entity has local-only (`x-sync-exclude`) fields, which only it can write. */
  save: boolean;
}

// ---------------------------------------------------------------------------------------------
// Live/<Entity>Records.swift, <Entity>SQL.swift, <Entity>SyncTable.swift, SyncDatabase.swift

/** How `init(row:)` reads one column of the view. */
export interface ViewColumnRead {
  property: string;
  /** The column's SQLite name as a literal. */
  sqlLiteral: string;
  /** The runtime reader: `value`, `enumValue` (an enum with its unknown case) or `json` (nested values). */
  reader: string;
  /** The Swift type read (without `?`). */
  type: string;
  /** The key column: read as `key`, then required (a view row always has its key). */
  primaryKey: boolean;
  /** The column's wire name as a literal (for the missing-value error). */
  nameLiteral: string;
}

/** One argument of the `model()` call: the model's init label and where its value comes from. */
export interface ModelArgument {
  label: string;
  /** The record property holding the value, or null when the view has no such column. */
  property: string | null;
  /**
   * The spec's default, used when the column is NULL (a create not synced yet): a literal, or
   * the raw value of an enum type (`ContactStatus(rawValue: "lead")`).
   */
  fallback: { literal: string; enumType: string | null } | null;
  /** No fallback: a NULL (or missing) value is `SyncRowError.missingValue` (`SyncRows.required`). */
  required: boolean;
  /** The field's Swift type, for a column the view lacks (`Optional<T>.none`). */
  type: string;
  /** The field's wire name as a literal. */
  wireLiteral: string;
}

export interface ViewRecordModel {
  name: string;
  doc: string[];
  model: string;
  tableLiteral: string;
  fields: { name: string; type: string }[];
  reads: ViewColumnRead[];
  /** The key property (`SyncRows.keyText(self.<key>)`). */
  keyProperty: string;
  /** `public static let firstName = Column("first_name")` members of `Columns`. */
  columns: { name: string; literal: string }[];
  /** The arguments of the model's init in `model()`, in its order. */
  modelArguments: ModelArgument[];
}

export interface RecordField {
  name: string;
  type: string;
  /** The column name as a literal when it differs from the property name. */
  columnLiteral: string | null;
}

export interface StorageRecordModel {
  name: string;
  /** The table name as a literal. */
  table: string;
  doc: string[];
  fields: RecordField[];
}

export interface LiveRecordsModel extends FileHeader {
  view: ViewRecordModel;
  synced: StorageRecordModel;
  local: StorageRecordModel;
}

export interface LiveSqlModel extends FileHeader {
  name: string;
  doc: string[];
  /** One constant per statement: its name (backticked if a keyword), its argument label, the multi-line literal. */
  statements: { name: string; label: string; literal: string }[];
}

/** One `SyncColumn` of the runtime descriptor. */
export interface SyncColumnModel {
  nameLiteral: string;
  /** The runtime storage case (`text`, `uuid`, …). */
  storage: string;
  /** The SQLite name as a literal when it differs from the wire name. */
  sqlLiteral: string | null;
  nullable: boolean;
  synced: boolean;
}

/** The API route of one write (`SyncRoute`). */
export interface SyncRouteModel {
  method: string;
  pathLiteral: string;
  /** Where each parameter's value comes from: the row's key, or a payload column (literal). */
  parameters: { nameLiteral: string; primaryKey: boolean; columnLiteral: string; location: string | null }[];
  bearer: boolean;
}

export interface LiveTableModel extends FileHeader {
  name: string;
  doc: string[];
  tableName: string;
  primaryKey: string;
  columns: SyncColumnModel[];
  confirmed: boolean;
  schemaHash: string;
  create: SyncRouteModel | null;
  update: SyncRouteModel | null;
  remove: SyncRouteModel | null;
  /** The `<Entity>SQL` type. */
  sql: string;
}

export interface LiveSchemaModel extends FileHeader {
  doc: string[];
  electricURL: string;
  /** Descriptor types (`ContactSyncTable`) and migration names (literals), by entity name. */
  tables: { table: string; migration: string }[];
}
