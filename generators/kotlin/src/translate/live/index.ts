/**
 * Live entities → Room files (one per declaration) plus the app's `@Database` (with its `SyncDao`),
 * its converters and `LiveSync`. The shared sync tables and their queries are the runtime's
 * (`io.syncpatterns.runtime.room`: the same in every app), imported where used. Each file gets exactly the imports its template uses
 * (ktlint `no-unused-imports`).
 */
import type { SyncIR } from '@sync/core';
import { Imports } from '../../imports.js';
import { memberNames, RUNTIME_PACKAGE, RUNTIME_ROOM_PACKAGE, SHARED_ROOM, type NameTable } from '../../naming.js';
import type { ResolvedOptions } from '../../options.js';
import type { KotlinPlan, KotlinTemplate } from '../../plan.js';
import { header } from '../common.js';
import { translateLiveSync } from './engine.js';
import { liveEntityVM, SYNC } from './entity.js';
import { converterFunctions, type ConverterVM } from './model-columns.js';

const ROOM = 'androidx.room';
const JSON = 'kotlinx.serialization.json';

/** Per template: the fixed imports it uses. */
const TEMPLATE_IMPORTS: Partial<Record<KotlinTemplate, string[]>> = {
  'live-synced-row': [`${ROOM}.ColumnInfo`, `${ROOM}.Entity`, `${ROOM}.PrimaryKey`],
  'live-local-row': [`${ROOM}.ColumnInfo`, `${ROOM}.Entity`, `${ROOM}.PrimaryKey`],
  'live-view-row': [`${ROOM}.ColumnInfo`, `${ROOM}.DatabaseView`],
  'live-table': [`${SYNC}.ColumnSpec`, `${SYNC}.Columns`, `${SYNC}.LiveTable`, `${SYNC}.LocalRecord`, `${JSON}.JsonElement`, `${JSON}.JsonObject`, `${JSON}.JsonPrimitive`],
  'live-dao': [
    `${RUNTIME_ROOM_PACKAGE}.SyncOutboxRow`,
    `${ROOM}.Dao`, `${ROOM}.Insert`, `${ROOM}.Query`, `${ROOM}.Transaction`, `${ROOM}.Upsert`, 'kotlinx.coroutines.flow.Flow',
    `${SYNC}.LocalRecord`, `${SYNC}.LocalTableAccess`, `${SYNC}.LocalWrites`, `${SYNC}.OutboxEntry`, `${JSON}.JsonObject`, `${JSON}.JsonPrimitive`,
  ],
  'live-repository': [
    'kotlinx.coroutines.flow.Flow', 'kotlinx.coroutines.flow.combine', 'kotlinx.coroutines.flow.map', `${SYNC}.LocalWrites`, `${SYNC}.Synced`,
    'io.syncpatterns.runtime.serial.SyncJson', `${JSON}.JsonPrimitive`, `${JSON}.encodeToJsonElement`, `${JSON}.jsonObject`,
  ],
  'sync-converters': [`${ROOM}.TypeConverter`, 'io.syncpatterns.runtime.serial.ColumnText'],
};

function file(names: NameTable, template: KotlinTemplate, name: string, vm: object, extra: (imports: Imports) => void = () => {}): KotlinPlan {
  const imports = new Imports(names.packages.data);
  for (const fq of TEMPLATE_IMPORTS[template] ?? []) imports.add(fq);
  extra(imports);
  return { path: `data/${name}.kt`, template, view: { ...vm, ...header(names.packages.data, imports) } };
}

function sharedFiles(ir: SyncIR, names: NameTable, options: ResolvedOptions, converters: ConverterVM[], converterImports: Imports): KotlinPlan[] {
  const live = ir.entities.filter((e) => e.sync.mode === 'live');
  const s = names.shared;
  const db = new Imports(names.packages.data);
  for (const fq of [`${ROOM}.Database`, `${ROOM}.RoomDatabase`, `${ROOM}.migration.Migration`, 'androidx.sqlite.db.SupportSQLiteDatabase', `${SYNC}.LiveTable`, `${SYNC}.SchemaUpgrade`, `${RUNTIME_ROOM_PACKAGE}.RoomSqlDriver`]) db.add(fq);
  for (const n of Object.values(SHARED_ROOM)) db.add(`${RUNTIME_ROOM_PACKAGE}.${n}`);
  db.add(`${ROOM}.Dao`);
  if (converters.length > 0) db.add(`${ROOM}.TypeConverters`);
  const ents = live.map((e) => names.entities.get(e.name)!);
  const daoMethods = memberNames([...ents.map((n) => n.dao), s.syncDao]);
  return [
    {
      path: `data/${names.database}.kt`,
      template: 'sync-database',
      view: {
        ...header(names.packages.data, db),
        name: names.database,
        version: options.databaseVersion,
        entities: [...ents.flatMap((n) => [n.syncedRow, n.localRow]), s.outboxRow, s.shapeRow, s.metaRow, s.seenTxidRow],
        views: ents.map((n) => n.viewRow),
        daos: ents.map((n, i) => ({ method: daoMethods[i]!, type: n.dao })),
        syncDaoMethod: daoMethods[ents.length]!,
        syncDao: s.syncDao,
        syncQueries: s.queries,
        tables: ents.map((n) => n.table),
        converters: converters.length > 0 ? names.converters : null,
      },
    },
    ...(converters.length > 0
      ? [{ path: `data/${names.converters}.kt`, template: 'sync-converters' as const, view: { ...header(names.packages.data, withFixed(converterImports, 'sync-converters')), name: names.converters, converters } }]
      : []),
    { path: `data/${names.liveSync}.kt`, template: 'live-sync', view: translateLiveSync(ir, names, live) },
  ];
}

function withFixed(imports: Imports, template: KotlinTemplate): Imports {
  for (const fq of TEMPLATE_IMPORTS[template] ?? []) imports.add(fq);
  return imports;
}

export function liveFiles(ir: SyncIR, names: NameTable, options: ResolvedOptions): KotlinPlan[] {
  const live = ir.entities.filter((e) => e.sync.mode === 'live' && e.primaryKey);
  if (live.length === 0) return [];
  const converterImports = new Imports(names.packages.data);
  const converterTypes = new Map<string, 'scalar' | 'json'>();
  const entityFiles = live.flatMap((entity) => {
    const modelImports = new Imports(names.packages.data);
    const rowImports = new Imports(names.packages.data);
    const vm = liveEntityVM(entity, ir, names, modelImports, rowImports, converterImports);
    for (const [type, reader] of vm.converterTypes) converterTypes.set(type, reader);
    const n = vm.names;
    const add = (list: Iterable<string>) => (imports: Imports) => {
      for (const fq of list) imports.add(fq);
    };
    const typed = vm.columns.some((c) => c.typed);
    const required = vm.columns.some((c) => c.modelRequired);
    return [
      file(names, 'live-synced-row', n.syncedRow, vm),
      file(names, 'live-local-row', n.localRow, vm),
      file(names, 'live-view-row', n.viewRow, vm, add([...rowImports.list(), ...(required ? [`${SYNC}.LocalRows`] : [])])),
      file(names, 'live-table', n.table, vm, add(typed ? ['io.syncpatterns.runtime.serial.ColumnText'] : [])),
      file(names, 'live-dao', n.dao, vm),
      file(
        names,
        'live-repository',
        n.repository,
        vm,
        add([
          ...modelImports.list(),
          ...(vm.hasCreateParams ? [`${JSON}.JsonObject`] : []),
          ...(vm.confirmed ? [`${RUNTIME_PACKAGE}.engine.SyncEngine`, `${JSON}.decodeFromJsonElement`] : []),
        ]),
      ),
    ];
  });
  return [...entityFiles, ...sharedFiles(ir, names, options, converterFunctions(converterTypes), converterImports)];
}

