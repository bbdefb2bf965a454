/**
 * The app's sync glue (`data/LiveSync.kt`): the per-app data the runtime's `SyncEngine` needs —
 * every live table with the routes of its writes (method, path, the key and the bound parameters
 * of IR `Entity.bindings`, whether the token goes along) — and one factory that wires the engine
 * to the Room database through the runtime's `RoomSqlDriver`. No behaviour is generated: the
 * engine itself is the runtime's.
 */
import { entityOperation, type Entity, type EntityRole, type Operation, type SyncIR } from '@sync/core';
import { Imports } from '../../imports.js';
import { kt, RUNTIME_PACKAGE, type NameTable } from '../../naming.js';
import { header, type FileHeader } from '../common.js';

const ENGINE = `${RUNTIME_PACKAGE}.engine`;

/** One `RouteParam`: the wire name, where it goes, and the column it is read from (null: the row's key). */
export interface RouteParamVM {
  /** String literal. */
  wire: string;
  /** `ParamLocation` entry. */
  location: 'PATH' | 'QUERY' | 'HEADER';
  /** The column's name as a string literal, or null for the item key. */
  column: string | null;
}

export interface RouteVM {
  method: string;
  path: string;
  params: RouteParamVM[];
  secured: boolean;
}

export interface LiveSyncVM extends FileHeader {
  name: string;
  database: string;
  apiClient: string;
  tables: { table: string; create: RouteVM | null; update: RouteVM | null; delete: RouteVM | null }[];
}

function route(ir: SyncIR, e: Entity, role: EntityRole): RouteVM | null {
  const op: Operation | undefined = entityOperation(ir, e, role);
  if (!op) return null;
  const isItem = role !== 'create' && role !== 'list';
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  // Every required parameter but the item key is bound to a column by core (Entity.bindings).
  const bound = new Map(e.bindings.filter((b) => b.operation === op.name).map((b) => [`${b.in}:${b.param}`, b.column]));
  const params: RouteParamVM[] = pathParams.map((p, i) => ({
    wire: kt.stringLiteral(p.wireName),
    location: 'PATH',
    column: isItem && i === pathParams.length - 1 ? null : kt.stringLiteral(bound.get(`path:${p.wireName}`) ?? p.wireName),
  }));
  for (const b of e.bindings) {
    if (b.operation === op.name && (b.in === 'query' || b.in === 'header')) {
      params.push({ wire: kt.stringLiteral(b.param), location: b.in === 'query' ? 'QUERY' : 'HEADER', column: kt.stringLiteral(b.column) });
    }
  }
  return {
    method: kt.stringLiteral(op.method.toUpperCase()),
    path: kt.stringLiteral(op.path),
    params,
    secured: op.security.length > 0,
  };
}

export function translateLiveSync(ir: SyncIR, names: NameTable, live: readonly Entity[]): LiveSyncVM {
  const imports = new Imports(names.packages.data);
  for (const n of ['SyncConfig', 'SyncEngine', 'SyncRoute', 'SyncTable']) imports.add(`${ENGINE}.${n}`);
  imports.add(`${RUNTIME_PACKAGE}.room.RoomSync`);
  imports.add('kotlinx.coroutines.CoroutineScope');
  imports.add(`${names.packages.api}.${names.apiClient}`);
  const tables = live.map((e) => ({
    table: names.entities.get(e.name)!.table,
    create: route(ir, e, 'create'),
    update: e.operations.update ? route(ir, e, 'update') : route(ir, e, 'replace'),
    delete: route(ir, e, 'delete'),
  }));
  const routes = tables.flatMap((t) => [t.create, t.update, t.delete]).filter((r): r is RouteVM => r !== null);
  if (routes.some((r) => r.params.length > 0)) {
    imports.add(`${ENGINE}.ParamLocation`);
    imports.add(`${ENGINE}.RouteParam`);
  }
  return {
    ...header(names.packages.data, imports),
    name: names.liveSync,
    database: names.database,
    apiClient: names.apiClient,
    tables,
  };
}
