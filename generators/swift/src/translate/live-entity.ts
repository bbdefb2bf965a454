/**
 * A `live` entity → its local-database artifacts: `Live/<E>Records.swift` (GRDB records for the
 * view, `T_synced` and `T_local`), `Live/<E>SQL.swift` (every statement as a string constant,
 * which the SQL test extracts and runs in SQLite) and `Live/<E>SyncTable.swift` (the runtime
 * descriptor: columns, routes to the API, statements).
 */
import { entityOperation, syncedSchemaHash, type Entity, type EntityRole, type Operation } from '@sync/core';
import type { LocalColumn } from '../live/sql-parts.js';
import { docText, wrapProse, multilineLiteral, recordFieldNames, stringLiteral } from '../naming.js';
import { plan, type SwiftPlan } from '../plan.js';
import type { LiveRecordsModel, RecordField, SyncRouteModel } from '../view-models.js';
import { recordType } from '../type-map.js';
import { STATEMENT_NAMES, entityStatements } from '../live/entity-sql.js';
import type { TranslateContext } from './context.js';
import { viewColumns } from './live-columns.js';
import { viewRecord } from './live-row.js';

function recordFields(columns: LocalColumn[], extra: { name: string; column: string; type: string }[]): RecordField[] {
  const names = recordFieldNames(columns.map((c) => c.name));
  const fields = columns.map((c, i) => ({
    name: names[i]!,
    type: c.primaryKey ? recordType(c.storage) : `${recordType(c.storage)}?`,
    column: c.sqlName,
  }));
  return [...fields, ...extra].map((f) => ({
    name: f.name,
    type: f.type,
    columnLiteral: f.name.replace(/`/g, '') === f.column ? null : stringLiteral(f.column),
  }));
}

function records(ctx: TranslateContext, e: Entity): LiveRecordsModel {
  const n = ctx.names.entities.get(e.name)!;
  const cols = viewColumns(e);
  const synced = cols.filter((c) => c.synced);
  const record = (name: string, table: string, doc: string, fields: RecordField[]) => ({ name, table: stringLiteral(table), doc: docText(wrapProse(doc)), fields });
  return {
    ...ctx.header(['Foundation', 'GRDB', 'SyncPatternsClient', 'SyncPatternsRuntime']),
    view: viewRecord(
      ctx,
      e,
      n.record,
      docText(
        wrapProse(
          `A row of the view \`${e.table}\` (local changes merged over synced values), typed as the model types it: read once from SQLite, without JSON in between (nested values are stored as JSON text).`,
        ),
      ),
    ),
    synced: record(n.syncedRecord, `${e.table}_synced`, `A row of \`${e.table}_synced\`, as the server sent it (written by the shape consumer only).`, recordFields(synced, [])),
    local: record(n.localRecord, `${e.table}_local`, `A row of \`${e.table}_local\`: pending local values and bookkeeping.`, recordFields(cols, [
      { name: 'changed', column: '_changed', type: 'String' },
      { name: 'deleted', column: '_deleted', type: 'Bool' },
      { name: 'writeId', column: '_write_id', type: 'String?' },
    ])),
  };
}

function route(ctx: TranslateContext, e: Entity, role: EntityRole): SyncRouteModel | null {
  const op: Operation | undefined = entityOperation(ctx.ir, e, role);
  if (!op) return null;
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const isItem = role !== 'create' && role !== 'list';
  // Every required parameter but the item key is bound to a column by core (Entity.bindings).
  const bound = new Map(e.bindings.filter((b) => b.operation === op.name).map((b) => [`${b.in}:${b.param}`, b.column]));
  const parameters: SyncRouteModel['parameters'] = pathParams.map((p, i) => ({
    nameLiteral: stringLiteral(p.wireName),
    primaryKey: isItem && i === pathParams.length - 1,
    columnLiteral: stringLiteral(bound.get(`path:${p.wireName}`) ?? p.wireName),
    location: null,
  }));
  for (const b of e.bindings)
    if (b.operation === op.name && (b.in === 'query' || b.in === 'header'))
      parameters.push({ nameLiteral: stringLiteral(b.param), primaryKey: false, columnLiteral: stringLiteral(b.column), location: b.in });
  return { method: op.method, pathLiteral: stringLiteral(op.path), parameters, bearer: op.security.length > 0 };
}

export function liveEntityPlans(ctx: TranslateContext, e: Entity): SwiftPlan[] {
  const n = ctx.names.entities.get(e.name)!;
  const statements = entityStatements(e);
  const sql = {
    ...ctx.header(['Foundation', 'SyncPatternsRuntime']),
    name: n.sql,
    doc: docText(`SQL of the local schema of \`${e.table}\` (SQLite; docs/sync-runtime-contract.md §1–§3).\n\nEvery statement is a constant so that tests can run it in SQLite without a Swift compiler.`),
    statements: STATEMENT_NAMES.map((k) => ({ name: k === 'delete' ? '`delete`' : k, label: k, literal: multilineLiteral(statements[k], '    ') })),
  };
  const table = {
    ...ctx.header(['Foundation', 'SyncPatternsRuntime']),
    name: n.table,
    doc: docText(`How the sync runtime handles \`${e.table}\`: columns, API routes and SQL.`),
    tableName: stringLiteral(e.table),
    primaryKey: stringLiteral(e.primaryKey!.field),
    columns: viewColumns(e).map((c) => ({
      nameLiteral: stringLiteral(c.name),
      storage: c.storage,
      sqlLiteral: c.sqlName === c.name ? null : stringLiteral(c.sqlName),
      nullable: c.nullable,
      synced: c.synced,
    })),
    confirmed: !e.sync.localFirst,
    schemaHash: stringLiteral(syncedSchemaHash(e)),
    create: route(ctx, e, 'create'),
    update: route(ctx, e, e.operations.update ? 'update' : 'replace'),
    remove: route(ctx, e, 'delete'),
    sql: n.sql,
  };
  return [
    plan(`Live/${n.record.replace(/Record$/, '')}Records.swift`, 'live-records', records(ctx, e)),
    plan(`Live/${n.sql}.swift`, 'live-sql', sql),
    plan(`Live/${n.table}.swift`, 'live-table', table),
  ];
}
