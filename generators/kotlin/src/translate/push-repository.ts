/**
 * Push entity → `…Repository`: an in-memory `MutableStateFlow` cache in front of the entity's
 * API class. Reads are `Flow`s (`observeAll()`, `observe(id)`); `refresh()` reloads the list;
 * `create`/`update`/`delete` call the server and then patch the cache, so every collector sees the
 * server's answer. Same method names as the live (Room) repository, so switching an entity's
 * `x-sync` mode changes storage, not call sites. Each write method takes exactly the parameters of
 * the API operation it forwards to.
 */
import { entityOperation, type Entity, type ObjectDecl, type SyncIR } from '@sync/core';
import { Imports } from '../imports.js';
import { fieldNames, memberNames, RUNTIME_PACKAGE, type NameTable } from '../naming.js';
import { kotlinType } from '../type-map.js';
import { header, kdoc, type FileHeader } from './common.js';
import { operationFunctionNames } from './api.js';
import { translateOperation, type OperationVM } from './operation.js';

export interface RepoMethodVM {
  doc: string;
  name: string;
  api: OperationVM;
  /** The answer is the entity: store it in the cache. */
  upsert: boolean;
  /** Delete: the item path parameter removes this key from the cache. */
  removeKey: string | null;
  /** A plain forward of the API's answer: printed as an expression body (`= api.x(…)`, ktlint). */
  expressionBody: boolean;
  /** The repository's parameters: the API's, with the item's path parameter named `id` (as in live mode). */
  params: OperationVM['params'];
}

export interface PushRepositoryVM extends FileHeader {
  doc: string;
  name: string;
  apiClass: string;
  model: string;
  keyType: string;
  keyProperty: string;
  hasKey: boolean;
  /** The list response's property holding the rows (`data`), null when the response is the array itself. */
  listItems: { property: string; orEmpty: boolean } | null;
  refresh: RepoMethodVM | null;
  writes: RepoMethodVM[];
}

export function translatePushRepository(entity: Entity, ir: SyncIR, names: NameTable): PushRepositoryVM {
  const imports = new Imports(names.packages.data);
  for (const fq of ['kotlinx.coroutines.flow.Flow', 'kotlinx.coroutines.flow.MutableStateFlow', 'kotlinx.coroutines.flow.distinctUntilChanged', 'kotlinx.coroutines.flow.map', 'kotlinx.coroutines.flow.update']) imports.add(fq);
  for (const n of ['RowState', 'Synced']) imports.add(`${RUNTIME_PACKAGE}.sync.${n}`);
  const schema = ir.schemas.find((s): s is ObjectDecl => s.name === entity.schema && s.kind === 'object')!;
  // The cache holds what the list returns (IR listSchema), which may be a summary of the item.
  const rowDecl = ir.schemas.find((s): s is ObjectDecl => s.name === (entity.listSchema ?? entity.schema) && s.kind === 'object') ?? schema;
  const rowsAreItems = rowDecl === schema;
  const model = kotlinType({ kind: 'ref', name: rowDecl.name }, { names, imports });
  const props = fieldNames(rowDecl.fields);
  const pkIndex = entity.primaryKey ? rowDecl.fields.findIndex((f) => f.wireName === entity.primaryKey!.field) : -1;
  const pkField = rowDecl.fields[pkIndex];
  const keyType = pkField ? kotlinType(pkField.type, { names, imports }) + (pkField.required || pkField.type.nullable ? '' : '?') : 'Nothing';
  const apiClass = names.apiClasses.get(`entity:${entity.name}`)!;
  imports.add(`${names.packages.api}.${apiClass}`);
  const fnNames = operationFunctionNames(ir);
  const method = (role: 'list' | 'create' | 'update' | 'replace' | 'delete', name: string): RepoMethodVM | null => {
    const op = entityOperation(ir, entity, role);
    if (!op) return null;
    const vm = translateOperation(op, fnNames.get(op)!, names, imports);
    const returnsEntity = op.success?.type?.kind === 'ref' && op.success.type.name === schema.name && !op.success.type.nullable;
    const itemParam = op.parameters.filter((p) => p.in === 'path').at(-1);
    const itemType = itemParam ? kotlinType({ ...itemParam.type, nullable: undefined } as typeof itemParam.type, { names, imports }) : null;
    // The item's path parameter (the last one) is `id` in every repository, push or live, so a
    // screen calls `update(id = …, body = …)` the same way in both modes.
    const nPath = op.parameters.filter((x) => x.in === 'path').length;
    const isItem = itemType !== null && itemType === keyType.replace(/\?$/, '') && (role === 'update' || role === 'replace' || role === 'delete');
    const renamed = isItem && !vm.params.some((p, i) => p.name === 'id' && i !== nPath - 1);
    const params = vm.params.map((p, i) => (renamed && i === nPath - 1 ? { ...p, name: 'id' } : p));
    const removeKey = role === 'delete' && pkField && isItem ? params[nPath - 1]?.name ?? null : null;
    const upsert = role !== 'delete' && role !== 'list' && returnsEntity && rowsAreItems && pkField !== undefined;
    return {
      doc: kdoc([`Calls \`${vm.name}\`${returnsEntity ? ' and stores the answer in the cache' : ''}${removeKey ? ' and drops the row from the cache' : ''}.`], '    '),
      name,
      api: vm,
      params,
      upsert,
      removeKey,
      expressionBody: !upsert && !removeKey && vm.returnType !== null && vm.returnType !== '',
    };
  };
  const list = entity.list;
  const listSchema = list?.shape === 'wrapped' ? (ir.schemas.find((s) => s.kind === 'object' && s.name === listResponseName(entity, ir)) as ObjectDecl | undefined) : undefined;
  const itemsIdx = listSchema && list?.shape === 'wrapped' ? listSchema.fields.findIndex((f) => f.wireName === list.itemsProperty) : -1;
  const itemsField = listSchema?.fields[itemsIdx];
  const listItems = itemsField ? { property: fieldNames(listSchema!.fields)[itemsIdx]!, orEmpty: !itemsField.required || itemsField.type.nullable === true } : null;
  const writeNames = memberNames(['create', 'update', 'delete'], ['api', 'cache']);
  const writes = [method('create', writeNames[0]!), method('update', writeNames[1]!) ?? method('replace', writeNames[1]!), method('delete', writeNames[2]!)].filter((m): m is RepoMethodVM => m !== null);
  const refresh = method('list', 'refresh');
  const names_ = names.entities.get(entity.name)!;
  // Every type is mapped (and so imported) above: the header reads the finished import list.
  return {
    ...header(names.packages.data, imports),
    doc: kdoc(
      rowsAreItems
        ? [`${entity.plural} (push mode): server data cached in memory and exposed as Flows.`, 'Call [refresh] to load; writes go to the server first and update the cache with its answer.']
        : [
            `${entity.plural} (push mode): server data cached in memory and exposed as Flows.`,
            `The cache holds the rows the list returns (\`${model}\`, not the full item); writes return the server's answer, and [refresh] reloads the rows.`,
          ],
    ),
    name: names_.repository,
    apiClass,
    model,
    keyType,
    keyProperty: pkField ? props[pkIndex]! : '',
    hasKey: pkField !== undefined,
    listItems,
    refresh,
    writes: pkField ? writes : writes.filter((w) => !w.upsert && !w.removeKey),
  };
}

/** The declaration name of the list operation's response (the wrapper object). */
function listResponseName(entity: Entity, ir: SyncIR): string | null {
  const op = entityOperation(ir, entity, 'list');
  const t = op?.success?.type;
  return t?.kind === 'ref' ? t.name : null;
}

