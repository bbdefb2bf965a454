/**
 * Swift naming for the generator: a thin wrapper over `@sync/core`'s `naming.swift` (the only
 * place that knows Swift keywords, casing and literal escaping). This module adds what is
 * specific to generated output: the names the generator and the runtime already use (so a
 * schema can never shadow them), per-scope de-duplication, and the multi-line SQL literal.
 */
import { naming, type Entity, type SyncIR } from '@sync/core';

const swift = naming.swift;

export const { stringLiteral, propertyName, identifier, enumCaseName, typeName } = swift;

/**
 * The lines of a doc comment for `text`, without the `///` markers (the templates add them, at
 * their indentation): core's `docComment` rules (line breaks normalised, control and bidi
 * characters dropped, blank lines at either end removed). `[]` for no text.
 */
export function docText(text: string): string[] {
  return swift
    .docComment(text)
    .split('\n')
    .slice(0, -1)
    .map((line) => line.replace(/^\/\/\/ ?/, ''));
}

/**
 * Type names that generated files refer to unqualified: runtime types (SyncPatternsClient,
 * SyncPatternsRuntime), GRDB and Foundation names not already in core's RESERVED_TYPE_NAMES, and
 * nested names. A schema with one of these names gets the suffix `Model`.
 */
// prettier-ignore
export const RUNTIME_TYPE_NAMES: ReadonlySet<string> = new Set([
  'APIClient', 'APIError', 'HTTPClient', 'HTTPMethod', 'HTTPRequest', 'HTTPResponse',
  'HTTPTransport', 'URLSessionTransport', 'TokenProvider', 'SecurityRequirement', 'JSONValue',
  'Indirect', 'FlexibleDecimal', 'DynamicCodingKey', 'SyncCoding', 'ParameterEncoding',
  'MultipartFormData', 'CodingKeys', 'SyncEngine', 'SyncTable', 'SyncColumn', 'SyncStorage',
  'SyncRoute', 'SyncTableSQL', 'SyncBridge', 'SyncStatus', 'SyncSharedSchema', 'SyncDatabase',
  'Database', 'DatabaseQueue', 'DatabasePool', 'DatabaseWriter', 'DatabaseReader',
  'DatabaseMigrator', 'ValueObservation', 'FetchableRecord', 'PersistableRecord', 'TableRecord',
  'StatementArguments', 'Row', 'Foundation', 'GRDB', 'Observation', 'MainActor', 'Decimal',
  'SyncPatternsClient', 'SyncPatternsRuntime', 'Int', 'Float', 'Double', 'DecodingError',
  'EncodingError', 'Hasher', 'CaseIterable', 'RawRepresentable', 'URLSession', 'URLRequest',
  'URLComponents', 'URLQueryItem', 'JSONSerialization', 'CancellationError', 'AsyncStream',
  'ObservationIgnored', 'TimeInterval', 'ISO8601DateFormatter', 'DateFormatter', 'Locale',
  'ParameterStyle', 'SyncKey', 'OutboxWorker', 'ShapeConsumer', 'Backoff', 'SyncError',
]);

/** Enum members that generated enums declare themselves (`unknown(…)`, `rawValue`, …). */
const ENUM_MEMBERS = ['unknown', 'rawValue', 'allKnown', 'init', 'hashValue', 'encode'];

/** Members of a generated model struct besides its properties. */
const STRUCT_MEMBERS = ['init', 'encode', 'hashValue', 'hash'];

/** Base names of the per-entity artifacts; schema type names avoid them. */
export interface EntityNames {
  /** `ContactsStore` */
  store: string;
  /** `ContactRecord` (the view), `ContactSyncedRecord`, `ContactLocalRecord` */
  record: string;
  syncedRecord: string;
  localRecord: string;
  /** `ContactSQL`: SQL string constants. */
  sql: string;
  /** `ContactSyncTable`: the runtime descriptor. */
  table: string;
}

/** Every name the generator assigns, decided once per IR so that templates never compute names. */
export interface NameTable {
  /** IR schema name → Swift type name. */
  types: ReadonlyMap<string, string>;
  /** IR entity name → artifact names. */
  entities: ReadonlyMap<string, EntityNames>;
  /** IR operation name → APIClient method name. */
  operations: ReadonlyMap<string, string>;
}

/** Removes the first `reserved.length` names again after de-duplicating them together. */
function uniqueAfter(reserved: readonly string[], raws: readonly string[], fn: (raw: string) => string, caseInsensitive = false): string[] {
  const all = uniqueNames([...reserved.map((r) => `\u0000${r}`), ...raws], (raw) => (raw.startsWith('\u0000') ? raw.slice(1) : fn(raw)), { caseInsensitive });
  return all.slice(reserved.length);
}

const { uniqueNames } = swift;

/** De-duplicated property names for the fields of one object, in field order. */
export function fieldNames(wireNames: readonly string[]): string[] {
  return uniqueAfter(STRUCT_MEMBERS, wireNames, (w) => propertyName(w));
}

/** De-duplicated enum case names for wire values, in member order. */
export function caseNames(values: readonly (string | number)[]): string[] {
  const raws = values.map((v) => JSON.stringify(v));
  return uniqueAfter(ENUM_MEMBERS, raws, (r) => enumCaseName(JSON.parse(r) as string | number));
}

/** De-duplicated parameter/local names, avoiding the given names (e.g. `body`, `request`). */
export function localNames(raws: readonly string[], avoid: readonly string[]): string[] {
  return uniqueAfter(avoid, raws, (r) => identifier(r));
}

/** Artifact names of one entity. */
function entityNames(e: Entity): EntityNames {
  const single = typeName(e.name);
  return {
    store: typeName(`${e.plural} store`),
    record: `${single}Record`,
    syncedRecord: `${single}SyncedRecord`,
    localRecord: `${single}LocalRecord`,
    sql: `${single}SQL`,
    table: `${single}SyncTable`,
  };
}

/**
 * Assigns every type and method name of the output. Entity artifacts are named first; schema types
 * then avoid them and the runtime's names (suffix `Model`), and are de-duplicated
 * case-insensitively because each becomes a file name.
 */
export function buildNameTable(ir: SyncIR): NameTable {
  const entities = new Map(ir.entities.map((e) => [e.name, entityNames(e)] as const));
  const taken = new Set<string>(RUNTIME_TYPE_NAMES);
  for (const n of entities.values()) for (const v of Object.values(n)) taken.add(v);
  const typeFn = (raw: string): string => {
    const name = typeName(raw);
    return taken.has(name) ? `${name}Model` : name;
  };
  // Reserved names are matched exactly (Swift is case-sensitive); schema names among themselves
  // case-insensitively, because each becomes a file name.
  const schemaNames = uniqueNames(ir.schemas.map((s) => s.name), typeFn, { caseInsensitive: true }).map((n) =>
    taken.has(n) ? `${n}Model` : n,
  );
  const types = new Map(ir.schemas.map((s, i) => [s.name, schemaNames[i]!] as const));
  const opNames = uniqueAfter(['send', 'http', 'init', 'configuration'], ir.operations.map((o) => o.name), (r) => identifier(r));
  const operations = new Map(ir.operations.map((o, i) => [o.name, opNames[i]!] as const));
  return { types, entities, operations };
}

/** Looks up a schema's Swift type name; an unknown name is a bug in the IR. */
export function typeOf(names: NameTable, schema: string): string {
  const t = names.types.get(schema);
  if (t === undefined) throw new Error(`unknown schema ${JSON.stringify(schema)}`);
  return t;
}

/** Unsafe characters in a multi-line literal line are escaped like in `stringLiteral`. */
function escapeLine(line: string): string {
  const inner = stringLiteral(line).slice(1, -1);
  // stringLiteral escapes every `"`; inside `"""` only runs of three or more need it.
  return inner.replace(/(?:\\"){1,2}(?!\\")/g, (m) => m.replaceAll('\\"', '"'));
}

/**
 * A Swift multi-line string literal (`"""` … `"""`) holding `text`, each line indented by
 * `indent`. Backslashes and control characters are escaped, and runs of three or more quotes keep
 * their escapes, so no spec name can end the literal or start an interpolation. The SQL test
 * (src/live/sql.test.ts) decodes these literals back and runs them.
 */
export function multilineLiteral(text: string, indent: string): string {
  const lines = text.split('\n').map((l) => (l === '' ? '' : `${indent}${escapeLine(l)}`));
  return `"""\n${lines.join('\n')}\n${indent}"""`;
}

/** De-duplicated enum case names for arbitrary raw words (union variants), avoiding `unknown`. */
export function uniqueCaseNames(raws: readonly string[], fn: (raw: string) => string): string[] {
  return uniqueAfter(ENUM_MEMBERS, raws, fn);
}

/** Members of a generated GRDB record besides its column properties. */
// prettier-ignore
const RECORD_MEMBERS = [
  'init', 'encode', 'model', 'databaseTableName', 'pending', 'changed', 'deleted', 'writeId',
  // GRDB record methods (PersistableRecord, TableRecord, FetchableRecord)
  'insert', 'update', 'delete', 'save', 'upsert', 'exists', 'inserted', 'saved', 'didInsert',
  'updateChanges', 'databaseChanges', 'databaseEquals', 'persistenceConflictPolicy',
];

/** De-duplicated record property names for SQL column names, in column order. */
export function recordFieldNames(columns: readonly string[]): string[] {
  return uniqueAfter(RECORD_MEMBERS, columns, (c) => propertyName(c));
}

/**
 * Word-wraps prose the generator writes itself (not spec text, which keeps its line breaks) so
 * that doc comments stay within swift-format's 100 columns at the given indentation.
 */
export function wrapProse(text: string, width = 92): string {
  return text
    .split('\n')
    .map((paragraph) => {
      const lines: string[] = [];
      let line = '';
      for (const word of paragraph.split(' ')) {
        if (line !== '' && line.length + 1 + word.length > width) {
          lines.push(line);
          line = word;
        } else line = line === '' ? word : `${line} ${word}`;
      }
      return [...lines, line].join('\n');
    })
    .join('\n');
}

/**
 * Spec text for a doc comment: its own line breaks and indentation kept, and only lines longer
 * than `width` wrapped (continuations keep the line's indentation), so that doc comments stay
 * within swift-format's 100 columns.
 */
export function wrapSpecText(text: string, width: number): string {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const indent = /^\s*/.exec(line)![0];
      return wrapProse(line.slice(indent.length), width - indent.length)
        .split('\n')
        .map((l) => `${indent}${l}`)
        .join('\n');
    })
    .join('\n');
}

/**
 * Text for `//` comment lines: every line break (`\r\n`, `\r`, `\n`, and the Unicode line and
 * paragraph separators) starts a new line, so that spec text (a title in the banner) can never
 * end the comment and become code.
 */
export function commentLines(lines: readonly string[]): string[] {
  return lines.flatMap((line) => line.split(/\r\n|[\n\r\u0085\u2028\u2029]/));
}
