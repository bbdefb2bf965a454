/**
 * TypeScript naming (React client). Conventions:
 * - types: PascalCase; a name that would shadow a global used by generated code (`Date`,
 *   `Record`, `Error`, `Response`, …) gets the suffix `Model` (`DateModel`);
 * - properties/locals/parameters: camelCase; a reserved word gets the suffix `_` (`default_`);
 * - wire keys kept as-is: `propertyKey` returns a bare key when it is an IdentifierName (reserved
 *   words included: ES5 allows `{ default: 1 }`, `x.class`), otherwise a quoted literal;
 * - enum keys (`as const` objects): PascalCase (`InProgress`), like TS `enum` members;
 * - a name that would start with a digit gets the prefix `_` (`_2fa`, `_1`, `_1_5`).
 */
import { camelCase, pascalCase } from './words.js';
import {
  UNSAFE_IN_LITERAL,
  blockDoc,
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
 * Words that cannot name a variable or parameter in a module (ECMA-262 "Identifiers › Early
 * Errors"; module code is always strict): reserved words, strict-mode reserved words, `await`,
 * `arguments`, `eval`; plus `undefined`, `NaN`, `Infinity`, which compile but would shadow the
 * globals generated code uses.
 * Contextual keywords (`type`, `of`, `as`, `async`, `get`, `set`, `declare`, `namespace`,
 * `module`, `readonly`, `keyof`, `infer`, `is`, `satisfies`, `using`, `from`, …) are legal
 * bindings and are deliberately not escaped (checked with tsc 5.9).
 */
// prettier-ignore
export const RESERVED: ReadonlySet<string> = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import',
  'in', 'instanceof', 'new', 'null', 'return', 'super', 'switch', 'this', 'throw', 'true', 'try',
  'typeof', 'var', 'void', 'while', 'with',
  'implements', 'interface', 'let', 'package', 'private', 'protected', 'public', 'static',
  'yield', 'await', 'arguments', 'eval',
  'undefined', 'NaN', 'Infinity',
]);

/**
 * Globals a generated module may reference; a type declared with one of these names would shadow
 * it for the whole module (`interface Date` breaks `createdAt: Date`).
 */
// prettier-ignore
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Object', 'String', 'Number', 'Boolean', 'Symbol', 'BigInt', 'Function', 'Array',
  'ReadonlyArray', 'Date', 'RegExp', 'Error', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise',
  'PromiseLike', 'JSON', 'Math', 'Iterable', 'Iterator', 'ArrayBuffer', 'Uint8Array',
  'Record', 'Partial', 'Required', 'Readonly', 'Pick', 'Omit', 'Exclude', 'Extract',
  'NonNullable', 'ReturnType', 'Parameters', 'Awaited',
  'Response', 'Request', 'Headers', 'URL', 'URLSearchParams', 'FormData', 'Blob', 'File',
  'AbortSignal', 'AbortController', 'ReadableStream', 'Event', 'React', 'JSX',
]);

/** ASCII IdentifierName (ECMA-262 "Names and Keywords"); non-ASCII names are quoted. */
const IDENTIFIER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Makes a cased name a safe binding: digit-leading → `_` prefix, reserved → `_` suffix. */
export function escapeIdentifier(name: string): string {
  const safe = noLeadingDigit(name);
  return RESERVED.has(safe) ? `${safe}_` : safe;
}

/** PascalCase type name that neither starts with a digit nor shadows a global (`DateModel`). */
export function typeName(raw: string): string {
  const name = noLeadingDigit(pascalCase(identWords(raw)));
  return RESERVED_TYPE_NAMES.has(name) ? `${name}Model` : name;
}

/** camelCase member name that is also a legal binding (generated code destructures objects). */
export function propertyName(raw: string): string {
  return escapeIdentifier(camelCase(identWords(raw)));
}

/** camelCase variable/parameter name; reserved words get `_` (`delete` → `delete_`). */
export function identifier(raw: string): string {
  return escapeIdentifier(camelCase(identWords(raw)));
}

/**
 * Wire name as an object/interface key: bare when an IdentifierName, else a quoted literal
 * (`'first-name'`); `__proto__` becomes `['__proto__']` because a literal `__proto__:` key (even
 * quoted) sets the prototype instead of defining a property (ECMA-262 Annex B, "__proto__
 * Property Names in Object Initializers").
 */
export function propertyKey(raw: string): string {
  if (raw === '__proto__') return `['__proto__']`;
  return IDENTIFIER_NAME.test(raw) ? raw : stringLiteral(raw);
}

/** PascalCase enum key, like TS `enum` members (`in-progress` → `InProgress`, `2fa` → `_2fa`). */
export function enumCaseName(value: EnumValue): string {
  return noLeadingDigit(pascalCase(enumWords(value)));
}

/** Characters with a short escape in a JS string literal (ECMA-262 "String Literals"). */
// prettier-ignore
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/**
 * Single-quoted literal (prettier `singleQuote`) that evaluates to exactly `value` for any input:
 * escapes `\`, `'`, CR/LF, U+2028/9, controls, bidi/format characters and lone surrogates
 * (`\uXXXX`, `\u{…}` above the BMP). NUL becomes `\u0000`, never `\0` (`\0` + digit is a legacy
 * octal escape, a SyntaxError in strict code).
 */
export function stringLiteral(value: string): string {
  let out = "'";
  for (const { ch, cp } of codePoints(value)) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (UNSAFE_IN_LITERAL.test(ch))
      out += cp > 0xffff ? `\\u{${hex(cp, 1)}}` : `\\u${hex(cp, 4)}`;
    else out += ch;
  }
  return `${out}'`;
}

/** Enum wire values are ordinary string literals; the alias documents the call site's intent. */
export const rawEnumWireValue: (value: string) => string = stringLiteral;

/**
 * JSDoc block for `text` (each line prefixed by `indent`, trailing newline) or '' when blank;
 * `*` + `/` inside the text is written `*\/` so it cannot end the comment early.
 */
export function docComment(text: string, indent = ''): string {
  return blockDoc(
    docLines(text).map((l) => l.replace(/\*(?=\/)/g, '*\\')),
    indent,
  );
}
