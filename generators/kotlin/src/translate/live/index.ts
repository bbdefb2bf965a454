/**
 * Live entities → Room files (one per declaration) plus the shared sync tables, their DAO and the
 * `@Database`. Each file gets exactly the imports its template uses (ktlint `no-unused-imports`).
 */
import type { GeneratedFile, SyncIR } from '@sync/core';
import { Imports } from '../../imports.js';
import { memberNames, RUNTIME_PACKAGE, type NameTable } from '../../naming.js';
import type { ResolvedOptions } from '../../options.js';
import { render } from '../../render.js';
import { header } from '../common.js';
import { translateLiveSync } from './engine.js';
import { liveEntityVM, SYNC } from './entity.js';

const ROOM = 'androidx.room';
const JSON = 'kotlinx.serialization.json';

/** Per template: the fixed imports it uses (`~` = the runtime sync package). */
const TEMPLATE_IMPORTS: Record<string, string[]> = {
  'live-synced-row': [`${ROOM}.ColumnInfo`, `${ROOM}.Entity`, `${ROOM}.PrimaryKey`],
  'live-local-row': [`${ROOM}.ColumnInfo`, `${ROOM}.Entity`, `${ROOM}.PrimaryKey`],
  'live-view-row': [`${ROOM}.ColumnInfo`, `${ROOM}.DatabaseView`],
  'live-table': [`${SYNC}.ColumnSpec`, `${SYNC}.Columns`, `${SYNC}.LiveTable`, `${SYNC}.LocalRecord`, `${JSON}.JsonElement`, `${JSON}.JsonObject`, `${JSON}.JsonPrimitive`],
  'live-dao': [
    `${ROOM}.Dao`, `${ROOM}.Insert`, `${ROOM}.Query`, `${ROOM}.Transaction`, `${ROOM}.Upsert`, 'kotlinx.coroutines.flow.Flow',
    `${SYNC}.LocalRecord`, `${SYNC}.LocalTableAccess`, `${SYNC}.LocalWrites`, `${SYNC}.OutboxEntry`, `${JSON}.JsonObject`, `${JSON}.JsonPrimitive`,
  ],
  'live-repository': ['kotlinx.coroutines.flow.Flow', `${SYNC}.LocalWrites`, 'io.syncpatterns.runtime.serial.SyncJson', `${JSON}.JsonPrimitive`, `${JSON}.encodeToJsonElement`, `${JSON}.jsonObject`],
};

function file(names: NameTable, template: string, name: string, vm: object, extra: (imports: Imports) => void = () => {}): GeneratedFile {
  const imports = new Imports(names.packages.data);
  for (const fq of TEMPLATE_IMPORTS[template] ?? []) imports.add(fq);
  extra(imports);
  return { path: `data/${name}.kt`, contents: render(template, { ...vm, ...header(names.packages.data, imports) }) };
}

function sharedFiles(ir: SyncIR, names: NameTable, options: ResolvedOptions): GeneratedFile[] {
  const live = ir.entities.filter((e) => e.sync.mode === 'live');
  const s = names.shared;
  const tables = new Imports(names.packages.data);
  for (const n of ['ColumnInfo', 'Entity', 'Index', 'PrimaryKey']) tables.add(`${ROOM}.${n}`);
  tables.add(`${SYNC}.OutboxEntry`);
  const dao = new Imports(names.packages.data);
  for (const n of ['Dao', 'Query', 'Upsert']) dao.add(`${ROOM}.${n}`);
  dao.add('kotlinx.coroutines.flow.Flow');
  const db = new Imports(names.packages.data);
  for (const fq of [`${ROOM}.Database`, `${ROOM}.RoomDatabase`, `${ROOM}.migration.Migration`, 'androidx.sqlite.db.SupportSQLiteDatabase', `${SYNC}.LiveTable`, `${SYNC}.SchemaUpgrade`, `${RUNTIME_PACKAGE}.room.RoomSqlDriver`]) db.add(fq);
  const ents = live.map((e) => names.entities.get(e.name)!);
  const daoMethods = memberNames([...ents.map((n) => n.dao), s.syncDao]);
  return [
    { path: `data/${names.syncTables}.kt`, contents: render('sync-tables', { ...header(names.packages.data, tables), ...s }) },
    { path: `data/${s.syncDao}.kt`, contents: render('sync-dao', { ...header(names.packages.data, dao), ...s }) },
    {
      path: `data/${names.database}.kt`,
      contents: render('sync-database', {
        ...header(names.packages.data, db),
        name: names.database,
        version: options.databaseVersion,
        entities: [...ents.flatMap((n) => [n.syncedRow, n.localRow]), s.outboxRow, s.shapeRow, s.metaRow, s.seenTxidRow],
        views: ents.map((n) => n.viewRow),
        daos: ents.map((n, i) => ({ method: daoMethods[i]!, type: n.dao })),
        syncDaoMethod: daoMethods[ents.length]!,
        syncDao: s.syncDao,
        tables: ents.map((n) => n.table),
      }),
    },
    { path: `data/${names.liveSync}.kt`, contents: render('live-sync', translateLiveSync(ir, names, live)) },
  ];
}

export function liveFiles(ir: SyncIR, names: NameTable, options: ResolvedOptions): GeneratedFile[] {
  const live = ir.entities.filter((e) => e.sync.mode === 'live' && e.primaryKey);
  if (live.length === 0) return [];
  return [
    ...live.flatMap((entity) => {
      const modelImports = new Imports(names.packages.data);
      const vm = liveEntityVM(entity, ir, names, modelImports);
      const n = vm.names;
      return [
        file(names, 'live-synced-row', n.syncedRow, vm),
        file(names, 'live-local-row', n.localRow, vm),
        file(names, 'live-view-row', n.viewRow, vm),
        file(names, 'live-table', n.table, vm),
        file(names, 'live-dao', n.dao, vm),
        file(names, 'live-repository', n.repository, vm, (imports) => {
          for (const fq of modelImports.list()) imports.add(fq);
        }),
      ];
    }),
    ...sharedFiles(ir, names, options),
  ];
}

