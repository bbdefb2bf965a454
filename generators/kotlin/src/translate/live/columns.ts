/**
 * Column view models of one live entity, shared by its three row classes, its table object and
 * its SQL: one Kotlin property name per column (plus the contract's `_changed`, `_deleted`,
 * `_write_id`, `_pending`), the Room column type, and the `Columns` helper that converts it.
 */
import type { Column, ColumnStorage, Entity } from '@sync/core';
import { kt, memberNames } from '../../naming.js';
import { storageKotlinType } from '../../type-map.js';

export interface ColumnVM {
  /** Wire name as a Kotlin string literal (JSON keys in row mappings, ColumnSpec). */
  literal: string;
  /** Local SQLite column name as a Kotlin string literal (`@ColumnInfo(name = …)`). */
  sqlLiteral: string;
  prop: string;
  /**
   * Kotlin type in `T_synced`, `T_local` and the view: nullable except the key, as core's SQLite
   * DDL (packages/core/docs/sql.md), so the tables Room creates are the ones the DDL describes.
   */
  syncedType: string;
  nullableType: string;
  /** `Columns.<reader>` converting a JSON value to this column (`text`, `json`, `long`, …). */
  reader: string;
  isJson: boolean;
  /** Non-null in `T_synced`: the mapping asserts presence. */
  required: boolean;
  synced: boolean;
  primaryKey: boolean;
  column: Column;
}

export interface EntityColumns {
  columns: ColumnVM[];
  pk: ColumnVM;
  changed: string;
  deleted: string;
  writeId: string;
  pending: string;
  /** Kotlin type of the key, and the `String` conversion reading it from a JsonPrimitive's content (`toLong`; null for a String key). */
  keyType: string;
  keyFromText: string | null;
}

const READERS: Record<string, string> = { String: 'text', Int: 'int', Long: 'long', Float: 'float', Double: 'double', Boolean: 'bool' };
const FROM_TEXT: Record<string, string | null> = { String: null, Int: 'toInt', Long: 'toLong', Float: 'toFloat', Double: 'toDouble', Boolean: 'toBooleanStrict' };

export function entityColumns(entity: Entity): EntityColumns {
  const sqlNames = entity.columns.map((c) => c.localName);
  const system = ['_changed', '_deleted', '_write_id', '_pending'];
  const props = memberNames([...entity.columns.map((c) => c.name), ...system]);
  const columns = entity.columns.map((column, i): ColumnVM => {
    const base = storageKotlinType(column.storage as ColumnStorage);
    const isJson = column.storage === 'json';
    return {
      literal: kt.stringLiteral(column.name),
      sqlLiteral: kt.stringLiteral(sqlNames[i]!),
      prop: props[i]!,
      syncedType: column.primaryKey ? base : `${base}?`,
      nullableType: column.primaryKey ? base : `${base}?`,
      reader: isJson ? 'json' : READERS[base]!,
      isJson,
      required: !column.nullable || column.primaryKey,
      synced: column.synced,
      primaryKey: column.primaryKey,
      column,
    };
  });
  const pk = columns.find((c) => c.primaryKey) ?? columns[0]!;
  const n = entity.columns.length;
  const keyBase = storageKotlinType(pk.column.storage);
  return { columns, pk, changed: props[n]!, deleted: props[n + 1]!, writeId: props[n + 2]!, pending: props[n + 3]!, keyType: keyBase, keyFromText: FROM_TEXT[keyBase] ?? null };
}
