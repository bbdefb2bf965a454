/**
 * Swift naming (SwiftUI client). Conventions (Swift API Design Guidelines):
 * - types: UpperCamelCase; `Self`, `Type`, `Protocol`, `Any` and stdlib/Foundation/SwiftUI
 *   types used by generated code (`Data`, `Date`, `Error`, `Result`, …) get the suffix `Model`;
 * - properties, locals, parameters and enum cases: lowerCamelCase (`case inProgress`);
 * - a keyword is escaped with backticks (`` `default` ``), except `self` and `init`, which keep a
 *   special meaning in member expressions even when escaped and get the suffix `Value` instead
 *   (lowerCamelCase, which swift-format's AlwaysUseLowerCamelCase accepts; `self_` it does not);
 * - a name that would start with a digit gets the prefix `_` (`case _2fa`, `case _1_5`), like
 *   swift-openapi-generator.
 */
import { camelCase, pascalCase } from './words.js';
import {
  UNSAFE_IN_LITERAL,
  codePoints,
  docLines,
  enumWords,
  hex,
  identWords,
  noLeadingDigit,
  type EnumValue,
} from './internal.js';

export { uniqueNames, type UniqueNamesOptions } from './unique.js';
export type { EnumValue } from './internal.js';

/**
 * Keywords that must be escaped with backticks to be used as identifiers (The Swift Programming
 * Language, "Lexical Structure › Keywords and Punctuation": declarations, statements,
 * expressions and types — which includes `await` — and patterns).
 */
// prettier-ignore
export const RESERVED: ReadonlySet<string> = new Set([
  'associatedtype', 'borrowing', 'class', 'consuming', 'deinit', 'enum', 'extension',
  'fileprivate', 'func', 'import', 'init', 'inout', 'internal', 'let', 'nonisolated', 'open',
  'operator', 'private', 'precedencegroup', 'protocol', 'public', 'rethrows', 'static', 'struct',
  'subscript', 'typealias', 'var',
  'break', 'case', 'catch', 'continue', 'default', 'defer', 'do', 'else', 'fallthrough', 'for',
  'guard', 'if', 'in', 'repeat', 'return', 'throw', 'switch', 'where', 'while',
  'Any', 'as', 'await', 'false', 'is', 'nil', 'self', 'Self', 'super', 'throws', 'true', 'try',
  '_',
]);

/**
 * Context-specific keywords (same chapter): legal identifiers outside their grammar position,
 * so `var required: Bool` or `case none` compile without escaping; listed for reference only.
 */
// prettier-ignore
export const CONTEXTUAL_KEYWORDS: ReadonlySet<string> = new Set([
  'associativity', 'async', 'convenience', 'didSet', 'dynamic', 'final', 'get', 'indirect',
  'infix', 'lazy', 'left', 'mutating', 'none', 'nonmutating', 'optional', 'override', 'package',
  'postfix', 'precedence', 'prefix', 'Protocol', 'required', 'right', 'set', 'some', 'any',
  'Type', 'unowned', 'weak', 'willSet', 'actor', 'macro', 'isolated', 'sending', 'each',
]);

/** Members that stay ambiguous even in backticks (`x.self` is the value itself, `.init` a call). */
const NOT_ESCAPABLE: ReadonlySet<string> = new Set([
  'self',
  'Self',
  'init',
  'Type',
  'Protocol',
  '_',
]);

/** Type names that are keywords or would shadow types generated code refers to. */
// prettier-ignore
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Self', 'Type', 'Protocol', 'Any', 'AnyObject', 'AnyHashable', 'Never', 'Void', 'Optional',
  'String', 'Substring', 'Character', 'Bool', 'Int', 'Int8', 'Int16', 'Int32', 'Int64', 'UInt',
  'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Double', 'Float', 'Decimal', 'Array', 'Dictionary',
  'Set', 'Result', 'Error', 'Sequence', 'Collection', 'Range', 'Task', 'Date', 'Data', 'URL',
  'UUID', 'Codable', 'Encodable', 'Decodable', 'Encoder', 'Decoder', 'CodingKey', 'Hashable',
  'Equatable', 'Comparable', 'Identifiable', 'Sendable', 'JSONEncoder', 'JSONDecoder',
  'Observable', 'ObservableObject', 'Published', 'View', 'Binding', 'State',
]);

/** Makes a cased name a legal member/local: digit → `_` prefix, keyword → backticks or `Value` suffix. */
export function escapeIdentifier(name: string): string {
  const safe = noLeadingDigit(name);
  if (NOT_ESCAPABLE.has(safe)) return `${safe}Value`;
  return RESERVED.has(safe) ? `\`${safe}\`` : safe;
}

/** UpperCamelCase type name; keywords and shadowed stdlib/Foundation types get `Model`. */
export function typeName(raw: string): string {
  const name = noLeadingDigit(pascalCase(identWords(raw)));
  return RESERVED_TYPE_NAMES.has(name) ? `${name}Model` : name;
}

/** lowerCamelCase property name (`first_name` → `firstName`, `default` → `` `default` ``). */
export function propertyName(raw: string): string {
  return escapeIdentifier(camelCase(identWords(raw)));
}

/** lowerCamelCase local/parameter name; same escaping as properties (backticks work for locals). */
export function identifier(raw: string): string {
  return escapeIdentifier(camelCase(identWords(raw)));
}

/** lowerCamelCase enum case (`in-progress` → `inProgress`, `2fa` → `_2fa`, `""` → `empty`). */
export function enumCaseName(value: EnumValue): string {
  return escapeIdentifier(camelCase(enumWords(value)));
}

/** Escapes with a short form in a Swift string literal ("Special Characters in String Literals"). */
// prettier-ignore
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/**
 * Double-quoted single-line literal equal to `value`: escapes `\` (so `\(` can never start an
 * interpolation), `"`, CR/LF, controls and bidi/format characters as `\u{…}`. Swift strings
 * cannot hold lone surrogates; those become U+FFFD, as when Swift decodes invalid UTF-16.
 */
export function stringLiteral(value: string): string {
  let out = '"';
  for (const { ch, cp } of codePoints(value)) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\u{FFFD}';
    else if (UNSAFE_IN_LITERAL.test(ch)) out += `\\u{${hex(cp, 1)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** Enum raw values (`case a = "…"`) are ordinary string literals. */
export const rawEnumWireValue: (value: string) => string = stringLiteral;

/**
 * `///` doc lines (Swift Markup) with a trailing newline, or '' when blank; line comments end
 * only at CR/LF, which `docLines` turns into separate `///` lines.
 */
export function docComment(text: string, indent = ''): string {
  const lines = docLines(text);
  return lines.map((l) => `${indent}///${l === '' ? '' : ` ${l}`}\n`).join('');
}
