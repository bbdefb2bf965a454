/**
 * React-target naming: the one place that decides every identifier and file name the generator
 * emits. It is a thin layer over `@sync/core`'s `naming.ts` (which owns casing, reserved words and
 * escaping) adding the choices specific to this target: hook names (`useContacts`, `useContact`,
 * `useCreateContact`), query-key factories (`contactKeys`), params types (`ListContactsParams`)
 * and kebab-case file names. Templates never compute a name.
 */
import { bannerLines } from '@sync/codegen';
import { naming, type SyncIR } from '@sync/core';
import { GENERATOR_VERSION } from './version.js';

const { ts } = naming;

/** Names the generated runtime-free client and imported libraries use; spec names yield to them. */
// prettier-ignore
export const RESERVED_EXPORTS: readonly string[] = [
  'ApiConfig', 'ApiError', 'RequestOptions', 'RequestSpec', 'ParamSpec', 'AuthSpec', 'BodySpec',
  'request', 'configureApi', 'getApiConfig', 'defaultApiConfig',
  'queryOptions', 'useQuery', 'useMutation', 'useQueryClient', 'UseQueryResult',
  'UseMutationResult', 'QueryClient',
  // live mode: the generated schema/client and the @sync/react-runtime names hooks import
  'liveSchema', 'localSchema', 'createClient', 'createSyncClient', 'LiveSchema', 'SyncClient',
  'SyncClientOptions', 'useLiveRows', 'useLiveRow', 'useLiveMutation',
];

/** PascalCase type name for a schema declaration or a derived shape (`Error` → `ErrorModel`). */
export const typeName = (raw: string): string => ts.typeName(raw);

/** camelCase function name of an operation (`list-orders` → `listOrders`, `new` → `new_`). */
export const operationFunctionName = (operationName: string): string =>
  ts.identifier(operationName);

/** `ListContactsParams`: the object holding an operation's path, query, header and cookie params. */
export const paramsTypeName = (operationName: string): string =>
  ts.typeName(`${operationName} params`);

/** `contactStatusValues`: the `as const` array listing an enum's members. */
export const enumValuesName = (declName: string): string => ts.identifier(`${declName} values`);

/** Derived write shapes when the spec has none: `OrderCreate`, `OrderUpdate`. */
export const createShapeName = (entity: string): string => ts.typeName(`${entity} create`);
export const updateShapeName = (entity: string): string => ts.typeName(`${entity} update`);

/** Whether the plural reads like the singular (`Sheep`), so list names need a `List` suffix. */
function samePlural(singular: string, plural: string): boolean {
  return naming.splitWords(singular).join(' ') === naming.splitWords(plural).join(' ');
}

/** Words naming "many" of an entity: the plural, or `<singular> list` when they coincide. */
function manyWords(singular: string, plural: string): string {
  return samePlural(singular, plural) ? `${singular} list` : plural;
}

/** Hook and helper names of one entity (see the module doc for the conventions). */
export interface EntityNames {
  keys: string;
  listHook: string;
  itemHook: string;
  listOptions: string;
  itemOptions: string;
  createHook: string;
  updateHook: string;
  replaceHook: string;
  deleteHook: string;
}

/** Raw (pre-uniqueness) names of an entity's exported values, in a fixed order. */
export function entityNames(singular: string, plural: string): EntityNames {
  const many = manyWords(singular, plural);
  return {
    keys: ts.identifier(`${singular} keys`),
    listHook: ts.identifier(`use ${many}`),
    itemHook: ts.identifier(`use ${singular}`),
    listOptions: ts.identifier(`${many} query options`),
    itemOptions: ts.identifier(`${singular} query options`),
    createHook: ts.identifier(`use create ${singular}`),
    updateHook: ts.identifier(`use update ${singular}`),
    replaceHook: ts.identifier(`use replace ${singular}`),
    deleteHook: ts.identifier(`use delete ${singular}`),
  };
}

/** Makes every name of one scope unique; `reserved` names are claimed first and never returned. */
export function uniqueInScope(
  names: readonly string[],
  reserved: readonly string[] = [],
): string[] {
  return ts.uniqueNames([...reserved, ...names], (n) => n).slice(reserved.length);
}

/**
 * Kebab-case file base names, unique case-insensitively within one folder (macOS and Windows
 * file systems): `ContactStatus` → `contact-status`, a clash → `contact-status2`.
 */
export function fileNames(raws: readonly string[]): string[] {
  const snake = raws.map((r) => naming.snakeCase(naming.splitWords(r).length ? r : 'file'));
  return ts
    .uniqueNames(snake, (s) => s, { caseInsensitive: true })
    .map((s) => s.replaceAll('_', '-'));
}

/** Object key for a wire name (`first_name`, `'first-name'`, `['__proto__']`). */
export const propertyKey = (wireName: string): string => ts.propertyKey(wireName);

/** Property access on `target` (`params.q`, `params['X-Request-ID']`). */
export function propertyAccess(target: string, wireName: string): string {
  const key = ts.propertyKey(wireName);
  if (key.startsWith('[')) return `${target}${key}`;
  return key.startsWith("'") ? `${target}[${key}]` : `${target}.${key}`;
}

/** A single-quoted string literal that evaluates to exactly `value`. */
export const stringLiteral = (value: string): string => ts.stringLiteral(value);

/** A JSDoc block (empty string for blank text). */
export const docComment = (text: string | undefined, indent = ''): string =>
  text ? ts.docComment(text, indent) : '';

/** The do-not-edit banner of every file (the kit's wording, as a JSDoc block; ends with a newline). */
export const banner = (ir: Pick<SyncIR, 'info' | 'source'>): string =>
  docComment(
    bannerLines(ir, { generator: '@sync/react', version: GENERATOR_VERSION, target: 'react' }).join(
      '\n',
    ),
  );
