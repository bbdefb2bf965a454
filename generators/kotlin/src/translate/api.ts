/**
 * Operations → one `…Api` class per group (an entity's operations, else the first tag, else
 * `DefaultApi`) plus the `ApiClient` facade holding one instance of each. Splitting by group keeps
 * files small and lets a repository depend on its entity's API only.
 */
import type { Operation, SecurityScheme, SyncIR } from '@sync/core';
import { Imports } from '../imports.js';
import { apiGroupKey, kt, memberNames, RUNTIME_PACKAGE, type NameTable } from '../naming.js';
import { header, kdoc, withLast, type FileHeader } from './common.js';
import { translateOperation, type OperationVM } from './operation.js';

export interface ApiClassVM extends FileHeader {
  doc: string;
  name: string;
  operations: OperationVM[];
}

export interface ApiClientVM extends FileHeader {
  doc: string;
  name: string;
  baseUrl: string;
  /** How `ApiCore` sends the token: the runtime's `AuthStyle` case, with its parameter name (a string literal) for API keys. */
  auth: AuthStyleVM;
  groups: { property: string; type: string }[];
}

export interface AuthStyleVM {
  bearer: boolean;
  basic: boolean;
  apiKeyHeader: boolean;
  apiKeyQuery: boolean;
  /** The API key's header or query parameter name as a string literal ('' otherwise). */
  param: string;
}

const HTTP = `${RUNTIME_PACKAGE}.http`;

/** Operations by API group key, in IR order (Map.groupBy needs Node 21). */
function groupOperations(ir: SyncIR): Map<string, Operation[]> {
  const out = new Map<string, Operation[]>();
  for (const op of ir.operations) {
    const key = apiGroupKey(op);
    out.set(key, [...(out.get(key) ?? []), op]);
  }
  return out;
}

/** Function names per operation, unique within each group (`core` is the class's own property). */
export function operationFunctionNames(ir: SyncIR): Map<Operation, string> {
  const out = new Map<Operation, string>();
  const groups = groupOperations(ir);
  for (const ops of groups.values()) {
    const fnNames = memberNames(ops.map((o) => o.name), ['core']);
    ops.forEach((op, i) => out.set(op, fnNames[i]!));
  }
  return out;
}

export function translateApiClasses(ir: SyncIR, names: NameTable): ApiClassVM[] {
  const fnNames = operationFunctionNames(ir);
  const groups = groupOperations(ir);
  return [...names.apiClasses].map(([key, name]) => {
    const imports = new Imports(names.packages.api);
    imports.add(`${HTTP}.ApiCore`);
    imports.add(`${HTTP}.ApiRequest`);
    imports.add(`${HTTP}.expandPath`);
    const ops = (groups.get(key) ?? []).map((op) => translateOperation(op, fnNames.get(op)!, names, imports));
    if (ops.some((o) => o.query.length + o.headers.length + o.cookies.length > 0)) {
      imports.add(`${HTTP}.Param`);
      imports.add(`${HTTP}.params`);
    }
    if (ops.some((o) => o.rawBody)) imports.add(`${HTTP}.RequestBody`);
    const what = key.startsWith('entity:') ? `the ${key.slice(7)} entity` : key.startsWith('tag:') ? `the ${key.slice(4)} tag` : 'operations without a tag';
    return { ...header(names.packages.api, imports), doc: kdoc([`API operations of ${what}.`]), name, operations: ops };
  });
}

function authStyle(schemes: SecurityScheme[]): AuthStyleVM {
  const s = schemes[0];
  const none: AuthStyleVM = { bearer: false, basic: false, apiKeyHeader: false, apiKeyQuery: false, param: '' };
  if (s?.type === 'api-key' && s.in === 'header' && s.paramName) return { ...none, apiKeyHeader: true, param: kt.stringLiteral(s.paramName) };
  if (s?.type === 'api-key' && s.in === 'query' && s.paramName) return { ...none, apiKeyQuery: true, param: kt.stringLiteral(s.paramName) };
  if (s?.type === 'http-basic') return { ...none, basic: true };
  return { ...none, bearer: true };
}

export function translateApiClient(ir: SyncIR, names: NameTable, apiBaseUrl: string | undefined): ApiClientVM {
  const imports = new Imports(names.packages.api);
  for (const n of ['ApiCore', 'AuthStyle', 'HttpTransport', 'HttpURLConnectionTransport']) imports.add(`${HTTP}.${n}`);
  const keys = [...names.apiClasses.keys()];
  const props = memberNames(
    keys.map((k) => (k.startsWith('entity:') ? (ir.entities.find((e) => `entity:${e.name}` === k)?.plural ?? k) : k.startsWith('tag:') ? k.slice(4) : 'default')),
    ['core'],
  );
  return {
    ...header(names.packages.api, imports),
    doc: kdoc([`Typed client for ${ir.info.title} ${ir.info.version}: one property per API group.`, ir.info.description]),
    name: names.apiClient,
    baseUrl: kt.stringLiteral(apiBaseUrl ?? ir.servers[0] ?? ''),
    auth: authStyle(ir.securitySchemes),
    groups: keys.map((k, i) => ({ property: props[i]!, type: names.apiClasses.get(k)! })),
  };
}
