/**
 * The tables the dev server keeps, derived once from the IR: one per entity that has a primary
 * key, with every column of the item (shapes leave out `x-sync-exclude` ones).
 * REST handlers, DDL and the shape feed all read this model, so they agree on names and types.
 */
import type { Column, Entity, Field, ObjectDecl, SchemaDecl, SyncIR } from '@sync/core';
import { PG_TYPES, digest } from './sql.js';

export interface ColumnModel extends Column {
  pgType: string;
  /** The read-schema field, when the column comes from one (it always does for IR columns). */
  field: Field | undefined;
}

export interface TableModel {
  entity: Entity;
  table: string;
  columns: ColumnModel[];
  /** The columns shapes serve: all but `x-sync-exclude` ones (they live only in local tables). */
  shapeColumns: ColumnModel[];
  pk: ColumnModel;
  /** SQL function turning a row into a jsonb object of Postgres text values. */
  rowFn: string;
  captureFn: string;
  /** Changes when the table's column set changes; part of every shape handle. */
  fingerprint: string;
}

export interface Model {
  ir: SyncIR;
  tables: Map<string, TableModel>;
  byEntity: Map<string, TableModel>;
  schemas: Map<string, SchemaDecl>;
  /** Entities that cannot be stored (no primary key), with the reason, for a startup warning. */
  skipped: string[];
}

export function objectDecl(
  model: Pick<Model, 'schemas'>,
  name: string | null,
): ObjectDecl | undefined {
  if (name === null) return undefined;
  const decl = model.schemas.get(name);
  return decl?.kind === 'object' ? decl : undefined;
}

export interface ModelOptions {
  /**
   * `--shapes-only`: another backend owns the tables. It never stores `x-sync-exclude` columns
   * (they stay on the device), so the model holds the synced columns only: the dev server neither
   * requires them nor adds them to the backend's tables, and its row functions do not read them.
   */
  shapesOnly?: boolean;
}

export function buildModel(ir: SyncIR, options: ModelOptions = {}): Model {
  const schemas = new Map(ir.schemas.map((s) => [s.name, s] as const));
  const tables = new Map<string, TableModel>();
  const byEntity = new Map<string, TableModel>();
  const skipped: string[] = [];
  for (const entity of ir.entities) {
    if (entity.primaryKey === null) {
      skipped.push(
        `${entity.name}: no primary key, so no table (its operations answer with examples)`,
      );
      continue;
    }
    if (entity.table.startsWith('_sync_'))
      throw new Error(
        `entity ${entity.name}: table name "${entity.table}" is reserved (_sync_ prefix)`,
      );
    const other = tables.get(entity.table);
    if (other !== undefined)
      throw new Error(
        `entities ${other.entity.name} and ${entity.name} both map to table "${entity.table}"`,
      );
    const read = objectDecl({ schemas }, entity.schema);
    // Every column is stored and served on REST; `x-sync-exclude` columns are left off shapes
    // (and, with shapesOnly, out of the model: the backend's tables do not have them).
    const columns: ColumnModel[] = entity.columns
      .filter((c) => options.shapesOnly !== true || c.synced || c.primaryKey)
      .map((c) => ({
        ...c,
        pgType: PG_TYPES[c.storage],
        field: read?.fields.find((f) => f.wireName === c.name),
      }));
    const pk = columns.find((c) => c.name === entity.primaryKey?.field);
    if (pk === undefined)
      throw new Error(
        `entity ${entity.name}: primary key "${entity.primaryKey.field}" is not a column`,
      );
    const h = digest(entity.table);
    const fingerprint = digest(
      JSON.stringify(columns.map((c) => [c.name, c.pgType, c.nullable, c.primaryKey])),
    );
    const tm: TableModel = {
      entity,
      table: entity.table,
      columns,
      shapeColumns: columns.filter((c) => c.synced),
      pk,
      rowFn: `_sync_row_${h}`,
      captureFn: `_sync_capture_${h}`,
      fingerprint,
    };
    tables.set(entity.table, tm);
    byEntity.set(entity.name, tm);
  }
  return { ir, tables, byEntity, schemas, skipped };
}
