/**
 * One live entity → the view model shared by its Room files: `T_synced` / `T_local` entities, the
 * `@DatabaseView` of `T`, the table object (SQL constants, schema hash, row ↔ JSON mapping), the
 * DAO and the repository. File-specific imports are collected per file.
 */
import { entityOperation, type Entity, type SyncIR, type TypeRef } from '@sync/core';
import { Imports } from '../../imports.js';
import { kt, memberNames, RUNTIME_PACKAGE, type NameTable } from '../../naming.js';
import { kotlinType } from '../../type-map.js';
import { header, kdoc, withLast, type FileHeader } from '../common.js';
import { entityColumns, type EntityColumns } from './columns.js';
import { entitySql } from './sql.js';
import { modelMapping, type ModelColumnVM } from './model-columns.js';
import { translateOperation } from '../operation.js';

export interface LiveEntityVM extends Omit<EntityColumns, 'columns'> {
  columns: (EntityColumns['columns'][number] & ModelColumnVM)[];
  /** The entity's model (`Contact`): what both repository kinds emit. */
  model: string;
  /**
   * Path parameters the create operation binds to columns (`/accounts/{account_id}/line-items`):
   * leading parameters of `create`, named and typed as in push mode, stored in their column.
   */
  createParams: { name: string; type: string; literal: string }[];
  hasCreateParams: boolean;
  converterTypes: Map<string, 'scalar' | 'json'>;
  names: { syncedRow: string; localRow: string; viewRow: string; dao: string; table: string; repository: string; outboxRow: string; syncDao: string };
  tableLiteral: string;
  pkLiteral: string;
  pkStorageLiteral: string;
  syncedLiteral: string;
  localLiteral: string;
  confirmed: boolean;
  sql: Record<'createSynced' | 'createLocal' | 'viewSelect' | 'createView' | 'selectAll' | 'selectOne' | 'selectLocal' | 'schemaHash', string>;
  syncedColumns: EntityColumns['columns'];
  specs: { literal: string; sqlLiteral: string; storage: string; nullable: boolean; synced: boolean; last: boolean }[];
  createType: string;
  updateType: string;
  /** Repository method names (same as push mode). */
  methods: { create: string; update: string; delete: string };
  doc: string;
}

/**
 * `imports`: the repository's (model and body types); `rowImports`: the view row's (field types);
 * `converterImports`: the shared converters file's.
 */
export function liveEntityVM(entity: Entity, ir: SyncIR, names: NameTable, imports: Imports, rowImports: Imports, converterImports: Imports): LiveEntityVM {
  const base = entityColumns(entity);
  const mapping = modelMapping(entity, ir, names, rowImports, converterImports);
  const cols = { ...base, columns: base.columns.map((c, i) => ({ ...c, ...mapping.columns[i]! })) };
  const model = kotlinType({ kind: 'ref', name: entity.schema }, { names, imports });
  const createOp = entityOperation(ir, entity, 'create');
  const createParams: LiveEntityVM['createParams'] = [];
  if (createOp) {
    // Names as push mode's `create` has them; imports only for the parameters kept (ktlint).
    const vm = translateOperation(createOp, 'create', names, new Imports(names.packages.data));
    createOp.parameters
      .filter((p) => p.in === 'path')
      .forEach((p, i) => {
        const binding = entity.bindings.find((b) => b.operation === createOp.name && b.in === 'path' && b.param === p.wireName);
        const column = binding && entity.columns.find((c) => c.name === binding.column);
        if (!column || column.primaryKey) return;
        const type = kotlinType({ ...p.type, nullable: undefined } as TypeRef, { names, imports });
        createParams.push({ name: vm.params[i]!.name, type, literal: kt.stringLiteral(column.name) });
      });
  }
  const sql = entitySql(entity);
  const n = names.entities.get(entity.name)!;
  const bodyType = (decl: string | null): string => kotlinType({ kind: 'ref', name: decl ?? entity.schema }, { names, imports });
  const [create, update, del] = memberNames(['create', 'update', 'delete'], ['dao', 'syncDao', 'sync', 'clock', 'wakeOutbox']);
  return {
    ...cols,
    model,
    createParams,
    hasCreateParams: createParams.length > 0,
    converterTypes: mapping.converterTypes,
    names: { ...n, outboxRow: names.shared.outboxRow, syncDao: names.shared.syncDao },
    tableLiteral: kt.stringLiteral(entity.table),
    pkLiteral: cols.pk.literal,
    pkStorageLiteral: kt.stringLiteral(cols.pk.column.storage),
    syncedLiteral: kt.stringLiteral(`${entity.table}_synced`),
    localLiteral: kt.stringLiteral(`${entity.table}_local`),
    confirmed: !entity.sync.localFirst,
    sql: Object.fromEntries(Object.entries(sql).map(([k, v]) => [k, kt.stringLiteral(v)])) as LiveEntityVM['sql'],
    syncedColumns: cols.columns.filter((c) => c.synced),
    specs: withLast(cols.columns.map((c) => ({ literal: c.literal, sqlLiteral: c.sqlLiteral, storage: kt.stringLiteral(c.column.storage), nullable: c.column.nullable, synced: c.synced }))),
    createType: bodyType(entity.createSchema),
    updateType: bodyType(entity.updateSchema ?? entity.createSchema),
    methods: { create: create!, update: update!, delete: del! },
    doc: kdoc([`${entity.plural} (live mode, ${entity.sync.localFirst ? 'optimistic' : 'confirmed'} writes): the merged view of the Electric shape \`${entity.table}\` and local changes, in Room.`]),
  };
}

/** A per-file header for one of the entity's files in the data package. */
export function dataHeader(names: NameTable, imports: Imports): FileHeader {
  return header(names.packages.data, imports);
}

/** Imports every live file needs from the runtime's sync package. */
export const SYNC = `${RUNTIME_PACKAGE}.sync`;
