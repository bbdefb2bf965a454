/**
 * Kotlin naming (Android client). Conventions (Kotlin coding conventions):
 * - types: PascalCase; a name that would shadow a built-in or a library type generated code uses
 *   (`String`, `List`, `Result`, `Unit`, `Any`, `Serializable`, `Instant`, …) or a class of
 *   Kotlin's default imports (`Metadata`, `Regex`, `Record`, `Thread`, …) gets `Model`;
 * - properties, locals, parameters: camelCase; a hard keyword is escaped with backticks
 *   (`` `when` ``); soft and modifier keywords (`value`, `data`, `open`, `field`, …) are legal
 *   identifiers in those positions and are left alone;
 * - enum entries: SCREAMING_SNAKE_CASE (`IN_PROGRESS`), which never collides with a keyword
 *   (all lowercase) nor with the enum's own `name`/`ordinal`/`entries` members;
 * - a name that would start with a digit gets the prefix `_` (`_2FA`, `_1_5`, `_2faCode`).
 */
import { camelCase, pascalCase, screamingSnakeCase } from './words.js';
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

/** Hard keywords: never identifiers unless backticked (kotlinlang.org/docs/keyword-reference). */
// prettier-ignore
export const RESERVED: ReadonlySet<string> = new Set([
  'as', 'break', 'class', 'continue', 'do', 'else', 'false', 'for', 'fun', 'if', 'in',
  'interface', 'is', 'null', 'object', 'package', 'return', 'super', 'this', 'throw', 'true',
  'try', 'typealias', 'typeof', 'val', 'var', 'when', 'while',
]);

/**
 * Soft and modifier keywords (same page): the grammar's `simpleIdentifier` admits them, so
 * `val value: Int`, `open: Boolean`, `data: Foo` compile bare; listed for reference only.
 */
// prettier-ignore
export const SOFT_KEYWORDS: ReadonlySet<string> = new Set([
  'by', 'catch', 'constructor', 'delegate', 'dynamic', 'field', 'file', 'finally', 'get',
  'import', 'init', 'param', 'property', 'receiver', 'set', 'setparam', 'value', 'where',
  'abstract', 'actual', 'annotation', 'companion', 'const', 'crossinline', 'data', 'enum',
  'expect', 'external', 'final', 'infix', 'inline', 'inner', 'internal', 'lateinit', 'noinline',
  'open', 'operator', 'out', 'override', 'private', 'protected', 'public', 'reified', 'sealed',
  'suspend', 'tailrec', 'vararg', 'it',
]);

/** Types a generated file may refer to unqualified; declaring one would shadow it (`StringModel`). */
// prettier-ignore
export const RESERVED_TYPE_NAMES: ReadonlySet<string> = new Set([
  'Any', 'Unit', 'Nothing', 'String', 'Char', 'CharSequence', 'Int', 'Long', 'Short', 'Byte',
  'Float', 'Double', 'Boolean', 'Number', 'UInt', 'ULong', 'Array', 'ByteArray', 'List',
  'MutableList', 'Map', 'MutableMap', 'Set', 'MutableSet', 'Collection', 'Iterable', 'Sequence',
  'Pair', 'Triple', 'Result', 'Enum', 'Comparable', 'Error', 'Exception', 'Throwable', 'Lazy',
  'Function', 'Deprecated', 'Suppress', 'Serializable', 'SerialName', 'Transient', 'Contextual',
  'Json', 'JsonElement', 'JsonObject', 'JsonArray', 'JsonPrimitive', 'Instant', 'LocalDate',
  'LocalDateTime', 'UUID', 'BigDecimal', 'Flow', 'StateFlow',
]);

/**
 * Classes every Kotlin/JVM file sees without an import (the default imports: `kotlin.*`,
 * `kotlin.annotation.*`, `kotlin.collections.*`, `kotlin.comparisons.*`, `kotlin.io.*`,
 * `kotlin.ranges.*`, `kotlin.sequences.*`, `kotlin.text.*`, `kotlin.jvm.*`, `java.lang.*`), public
 * API only. A generated type with one of these names would shadow it in every file that imports
 * the type, and where an import is missing the name silently means the library class (`Metadata`
 * became the annotation `kotlin.Metadata`); such a type gets `Model` (`MetadataModel`).
 */
// prettier-ignore
export const DEFAULT_IMPORTED_TYPE_NAMES: ReadonlySet<string> = new Set([
  // kotlin.*
  'Annotation', 'ArithmeticException', 'AssertionError', 'BooleanArray', 'CharArray', 'ShortArray',
  'IntArray', 'LongArray', 'FloatArray', 'DoubleArray', 'Cloneable', 'Comparator',
  'ConcurrentModificationException', 'DeepRecursiveFunction', 'DeepRecursiveScope', 'DeprecatedSinceKotlin',
  'DeprecationLevel', 'DslMarker', 'ExperimentalStdlibApi', 'ExperimentalUnsignedTypes',
  'ExperimentalMultiplatform', 'ExperimentalSubclassOptIn', 'ExtensionFunctionType',
  'IllegalArgumentException', 'IllegalStateException', 'IndexOutOfBoundsException',
  'KotlinNullPointerException', 'KotlinVersion', 'LazyThreadSafetyMode', 'Metadata',
  'NoSuchElementException', 'NoWhenBranchMatchedException', 'NotImplementedError',
  'NullPointerException', 'NumberFormatException', 'OptIn', 'OptionalExpectation',
  'ParameterName', 'PublishedApi', 'ReplaceWith', 'RequiresOptIn', 'RuntimeException',
  'SinceKotlin', 'SubclassOptInRequired', 'TypeCastException', 'UByte', 'UByteArray',
  'UIntArray', 'ULongArray', 'UShort', 'UShortArray', 'UninitializedPropertyAccessException',
  'UnsafeVariance', 'UnsupportedOperationException', 'ClassCastException', 'KotlinNothingValueException',
  // kotlin.annotation.*
  'AnnotationRetention', 'AnnotationTarget', 'MustBeDocumented', 'Repeatable', 'Retention', 'Target',
  // kotlin.collections.*
  'AbstractCollection', 'AbstractIterator', 'AbstractList', 'AbstractMap', 'AbstractSet',
  'AbstractMutableCollection', 'AbstractMutableList', 'AbstractMutableMap', 'AbstractMutableSet',
  'ArrayDeque', 'ArrayList', 'BooleanIterator', 'ByteIterator', 'CharIterator', 'DoubleIterator',
  'FloatIterator', 'Grouping', 'HashMap', 'HashSet', 'IndexedValue', 'IntIterator', 'Iterator',
  'LinkedHashMap', 'LinkedHashSet', 'ListIterator', 'LongIterator', 'MutableCollection',
  'MutableIterable', 'MutableIterator', 'MutableListIterator', 'RandomAccess', 'ShortIterator',
  // kotlin.io.* / kotlin.ranges.* / kotlin.sequences.* / kotlin.text.*
  'AccessDeniedException', 'FileAlreadyExistsException', 'FileSystemException', 'FileTreeWalk',
  'FileWalkDirection', 'NoSuchFileException', 'OnErrorAction', 'CharProgression', 'CharRange',
  'ClosedFloatingPointRange', 'ClosedRange', 'IntProgression', 'IntRange', 'LongProgression',
  'LongRange', 'OpenEndRange', 'UIntProgression', 'UIntRange', 'ULongProgression', 'ULongRange',
  'SequenceScope', 'Appendable', 'CharCategory', 'CharDirectionality', 'CharacterCodingException',
  'Charsets', 'HexFormat', 'MatchGroup', 'MatchGroupCollection', 'MatchNamedGroupCollection',
  'MatchResult', 'Regex', 'RegexOption', 'StringBuilder', 'Typography',
  // kotlin.jvm.*
  'JvmField', 'JvmInline', 'JvmMultifileClass', 'JvmName', 'JvmOverloads', 'JvmRecord',
  'JvmStatic', 'JvmSuppressWildcards', 'JvmSynthetic', 'JvmWildcard', 'Strictfp', 'Synchronized',
  'Throws', 'Volatile',
  // java.lang.*
  'AbstractMethodError', 'ArrayIndexOutOfBoundsException', 'ArrayStoreException', 'AutoCloseable',
  'BootstrapMethodError', 'Character', 'Class', 'ClassCircularityError', 'ClassFormatError',
  'ClassLoader', 'ClassNotFoundException', 'ClassValue', 'CloneNotSupportedException', 'Compiler',
  'EnumConstantNotPresentException', 'ExceptionInInitializerError', 'FunctionalInterface',
  'IllegalAccessError', 'IllegalAccessException', 'IllegalCallerException',
  'IllegalMonitorStateException', 'IllegalThreadStateException', 'IncompatibleClassChangeError',
  'InheritableThreadLocal', 'InstantiationError', 'InstantiationException', 'Integer',
  'InternalError', 'InterruptedException', 'LayerInstantiationException', 'LinkageError', 'Math',
  'Module', 'ModuleLayer', 'NegativeArraySizeException', 'NoClassDefFoundError', 'NoSuchFieldError',
  'NoSuchFieldException', 'NoSuchMethodError', 'NoSuchMethodException', 'Object', 'OutOfMemoryError',
  'Override', 'Package', 'Process', 'ProcessBuilder', 'ProcessHandle', 'Readable', 'Record',
  'ReflectiveOperationException', 'Runnable', 'Runtime', 'RuntimePermission', 'SafeVarargs',
  'SecurityException', 'SecurityManager', 'StackOverflowError', 'StackTraceElement', 'StackWalker',
  'StrictMath', 'StringBuffer', 'StringIndexOutOfBoundsException', 'SuppressWarnings', 'System',
  'Thread', 'ThreadDeath', 'ThreadGroup', 'ThreadLocal', 'TypeNotPresentException', 'UnknownError',
  'UnsatisfiedLinkError', 'UnsupportedClassVersionError', 'VerifyError', 'VirtualMachineError', 'Void',
]);

/** Makes a cased name a legal member/local: digit → `_` prefix, hard keyword → backticks. */
export function escapeIdentifier(name: string): string {
  const safe = noLeadingDigit(name);
  return RESERVED.has(safe) ? `\`${safe}\`` : safe;
}

/** PascalCase type name that never shadows a built-in (`Result` → `ResultModel`). */
export function typeName(raw: string): string {
  const name = noLeadingDigit(pascalCase(identWords(raw)));
  return RESERVED_TYPE_NAMES.has(name) || DEFAULT_IMPORTED_TYPE_NAMES.has(name) ? `${name}Model` : name;
}

/** camelCase property name (`first_name` → `firstName`, `when` → `` `when` ``). */
export function propertyName(raw: string): string {
  return escapeIdentifier(camelCase(identWords(raw)));
}

/** camelCase local/parameter name; same escaping as properties. */
export function identifier(raw: string): string {
  return escapeIdentifier(camelCase(identWords(raw)));
}

/** SCREAMING_SNAKE enum entry (`in-progress` → `IN_PROGRESS`, `2fa` → `_2FA`, `-1` → `MINUS_1`). */
export function enumCaseName(value: EnumValue): string {
  return noLeadingDigit(screamingSnakeCase(enumWords(value)));
}

/** Escapes with a short form in a Kotlin string (kotlinlang.org/docs/characters.html). */
// prettier-ignore
const SHORT_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\', '"': '\\"', $: '\\$', '\n': '\\n', '\r': '\\r', '\t': '\\t',
};

/** `\uXXXX` escape(s); astral code points become a surrogate pair (Kotlin has no `\u{…}`). */
function unicodeEscape(ch: string): string {
  return Array.from({ length: ch.length }, (_, i) => `\\u${hex(ch.charCodeAt(i), 4)}`).join('');
}

/**
 * Double-quoted literal equal to `value`: escapes `\`, `"`, every `$` (`\$`, so no `$x`/`${…}`
 * template can form), CR/LF, controls, bidi/format characters and lone surrogates (`\uXXXX`).
 */
export function stringLiteral(value: string): string {
  let out = '"';
  for (const { ch } of codePoints(value)) {
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (UNSAFE_IN_LITERAL.test(ch)) out += unicodeEscape(ch);
    else out += ch;
  }
  return `${out}"`;
}

/** Enum wire values (`@SerialName("…")`) are ordinary string literals. */
export const rawEnumWireValue: (value: string) => string = stringLiteral;

/**
 * KDoc block (trailing newline) or '' when blank. Kotlin block comments nest, so both `/*`
 * (would open a nested comment) and `*` + `/` are broken with a Markdown-invisible backslash.
 */
export function docComment(text: string, indent = ''): string {
  const lines = docLines(text).map((l) => l.replace(/\/(?=\*)|\*(?=\/)/g, (m) => `${m}\\`));
  return blockDoc(lines, indent);
}
