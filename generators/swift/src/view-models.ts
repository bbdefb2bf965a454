/**
 * The view models translate/ produces and render/ consumes: data only (names, types, Swift
 * literals, flags, lists), never a line of Swift. Templates loop, branch on flags and print; where
 * a line needs a decision a template cannot make (fitting a call into 100 columns), a builder in
 * render/ owns that line and is fed with these fields.
 *
 * Field conventions: `name`/`label` are Swift identifiers (escaped with backticks when needed),
 * `type` a Swift type, `literal` a Swift literal, `doc` a finished `///` comment block or ''.
 */

/** Common to every file: the do-not-edit banner (text lines, `//` added by the header template) and the imports. */
export interface FileHeader {
  banner: string[];
  imports: string[];
}

// ---------------------------------------------------------------------------------------------
// Models/<Type>.swift

export interface StructField {
  /** `///` lines (with indentation and trailing newline) or ''. */
  doc: string;
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
  doc: string;
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
  doc: string;
  name: string;
  literal: string;
}

export interface EnumModel extends FileHeader {
  doc: string;
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
  doc: string;
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
  doc: string;
  name: string;
  type: string;
}

// ---------------------------------------------------------------------------------------------
// Client/APIClient.swift, Client/APIClient+<Group>.swift

export interface ClientModel extends FileHeader {
  doc: string;
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
  doc: string;
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
// Stores/<Plural>Store.swift (finished call and signature lines are still built in translate/;
// see ARCHITECTURE.md, "Known debt")

export interface ContextParam {
  wireName: string;
  name: string;
  type: string;
}

export interface PushStoreModel extends FileHeader {
  doc: string;
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
  listCall: string | null;
  /** Where `items` come from in the list answer: the answer itself, or one of its properties. */
  items: { property: string; orEmpty: boolean } | null;
  keyType: string | null;
  keyProperty: string | null;
  create: { bodyType: string; call: string; signature: string } | null;
  update: { bodyType: string; call: string; signature: string } | null;
  /** `discardsResult`: the delete answers with a body, which the store does not need. */
  remove: { call: string; discardsResult: boolean; signature: string } | null;
  /** `items`' doc comment (indented). */
  itemsDoc: string;
  initSignature: string;
}

export interface ParentKey {
  /** The store's property and init parameter (`accountId`), as a push store names it. */
  name: string;
  type: string;
  /** The record's `Columns` member of the parent column. */
  column: string;
}

export interface LiveStoreModel extends FileHeader {
  doc: string;
  name: string;
  model: string;
  record: string;
  /** The runtime descriptor type (`ContactSyncTable`). */
  table: string;
  sql: string;
  keyType: string;
  keyProperty: string;
  create: { bodyType: string; call: string } | null;
  parents: ParentKey[];
  /** The `Columns` member of the key column (the order of `items`). */
  keyColumn: string;
  querySignature: string;
  initSignature: string;
  createSignature: string;
  updateSignature: string;
  deleteSignature: string;
  saveSignature: string;
  update: { bodyType: string; call: string } | null;
  remove: { call: string } | null;
  saveCall: string;
  /** `save(_:)`: the entity has local-only (`x-sync-exclude`) fields, which only it can write. */
  save: boolean;
}

// ---------------------------------------------------------------------------------------------
// Live/<Entity>Records.swift, <Entity>SQL.swift, <Entity>SyncTable.swift, SyncDatabase.swift

export interface ViewRecordModel {
  name: string;
  doc: string;
  model: string;
  tableLiteral: string;
  fields: { name: string; type: string }[];
  /** Lines of `init(row:)`, indented (4 spaces). */
  reads: string[];
  /** The key property (`SyncRows.keyText(self.<key>)`). */
  keyProperty: string;
  /** `public static let firstName = Column("first_name")` members of `Columns`. */
  columns: { name: string; literal: string }[];
  /** `return Contact(` … `)` lines of `model()`. */
  modelLines: string[];
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
  doc: string;
  fields: RecordField[];
}

export interface LiveRecordsModel extends FileHeader {
  view: ViewRecordModel;
  synced: StorageRecordModel;
  local: StorageRecordModel;
}

export interface LiveSqlModel extends FileHeader {
  name: string;
  doc: string;
  /** One constant per statement: its name (backticked if a keyword), its argument label, the multi-line literal. */
  statements: { name: string; label: string; literal: string }[];
}

export interface LiveTableModel extends FileHeader {
  name: string;
  doc: string;
  tableName: string;
  primaryKey: string;
  /** `SyncColumn(…),` entries. */
  columns: string[];
  confirmed: boolean;
  schemaHash: string;
  /** `create: SyncRoute(…),` entries (or `create: nil,`). */
  create: string;
  update: string;
  remove: string;
  /** The `<Entity>SQL` type. */
  sql: string;
}

export interface LiveSchemaModel extends FileHeader {
  doc: string;
  electricURL: string;
  /** Descriptor types (`ContactSyncTable`) and migration names (literals), by entity name. */
  tables: { table: string; migration: string }[];
}
