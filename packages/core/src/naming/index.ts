/**
 * Naming for generated code: shared word splitting and pluralisation, and one namespace per
 * target language (`ts`, `swift`, `kotlin`, `sql`) with identifiers, string literals and doc
 * comments that are safe for any spec input.
 */
export * as ts from './typescript.js';
export * as swift from './swift.js';
export * as kotlin from './kotlin.js';
export * as sql from './sql.js';
export {
  splitWords,
  toAscii,
  capitalize,
  pascalCase,
  camelCase,
  snakeCase,
  screamingSnakeCase,
  kebabCase,
  type WordsInput,
} from './words.js';
export { singular, plural, isPlural } from './plural.js';
export { uniqueNames, type UniqueNamesOptions } from './unique.js';
export type { EnumValue } from './internal.js';
