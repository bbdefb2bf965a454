/**
 * Parameterised statements of one live entity that the Swift runtime executes
 * (docs/sync-runtime-contract.md §1–§3): reads and writes through the view, the shape
 * consumer's writes to `T_synced`, txid reconciliation and rollback of `T_local`.
 * Parameters are numbered (`?1`, `?2`, …) so GRDB and sql.js bind them the same way; the runtime
 * builds the argument arrays from the column order documented on each function.
 */
import { lit, q, type LocalColumn, type TableNames } from './sql-parts.js';

const viewColumns = (t: TableNames): LocalColumn[] => [t.pk, ...t.synced_, ...t.localOnly];
const pkText = (t: TableNames): string => `CAST(${q(t.pk.sqlName)} AS TEXT) = ?1`;

/** Every row of the view (columns in `SyncTable.columns` order, then `_pending`), by key. */
export function selectAll(t: TableNames): string {
  const cols = [...viewColumns(t).map((c) => q(c.sqlName)), q('_pending')];
  return `SELECT ${cols.join(', ')}\nFROM ${t.view}\nORDER BY ${q(t.pk.sqlName)}`;
}

/** One row of the view; `?1` = key. */
export function selectByKey(t: TableNames): string {
  const cols = [...viewColumns(t).map((c) => q(c.sqlName)), q('_pending')];
  return `SELECT ${cols.join(', ')}\nFROM ${t.view}\nWHERE ${q(t.pk.sqlName)} = ?1`;
}

/** Insert through the view; `?1…?n` = the view columns in order (NULL = not given). */
export function insert(t: TableNames): string {
  const cols = viewColumns(t);
  return `INSERT INTO ${t.view} (${cols.map((c) => q(c.sqlName)).join(', ')})\nVALUES (${cols.map((_, i) => `?${i + 1}`).join(', ')})`;
}

/**
 * Update through the view; `?1` = key, then for the i-th non-key column (1-based) `?(2i)` = 1 when
 * it is set and `?(2i+1)` = its value. Unset columns keep their current value, so the trigger
 * sees no change for them.
 */
export function update(t: TableNames): string {
  const sets = [...t.synced_, ...t.localOnly].map((c, i) => `${q(c.sqlName)} = CASE WHEN ?${2 * i + 2} THEN ?${2 * i + 3} ELSE ${q(c.sqlName)} END`);
  if (sets.length === 0) return `UPDATE ${t.view} SET ${q(t.pk.sqlName)} = ${q(t.pk.sqlName)} WHERE ${q(t.pk.sqlName)} = ?1`;
  return `UPDATE ${t.view} SET\n  ${sets.join(',\n  ')}\nWHERE ${q(t.pk.sqlName)} = ?1`;
}

/** Delete through the view; `?1` = key. */
export function remove(t: TableNames): string {
  return `DELETE FROM ${t.view} WHERE ${q(t.pk.sqlName)} = ?1`;
}

/**
 * Shape consumer: insert or merge a row into `T_synced`. `?1` = key, then for the i-th synced
 * non-key column `?(2i)` = 1 when the message carries it and `?(2i+1)` = its value (update
 * messages carry only changed columns: the others keep their stored value).
 */
export function upsertSynced(t: TableNames): string {
  const cols = [t.pk, ...t.synced_];
  const values = cols.map((_, i) => (i === 0 ? '?1' : `?${2 * i + 1}`));
  const head = `INSERT INTO ${t.synced} (${cols.map((c) => q(c.sqlName)).join(', ')})\nVALUES (${values.join(', ')})`;
  if (t.synced_.length === 0) return `${head}\nON CONFLICT (${q(t.pk.sqlName)}) DO NOTHING`;
  const sets = t.synced_.map((c, i) => `${q(c.sqlName)} = CASE WHEN ?${2 * i + 2} THEN excluded.${q(c.sqlName)} ELSE ${t.synced}.${q(c.sqlName)} END`);
  return `${head}\nON CONFLICT (${q(t.pk.sqlName)}) DO UPDATE SET\n  ${sets.join(',\n  ')}`;
}

/** Shape consumer: a delete message; `?1` = key. */
export function deleteSynced(t: TableNames): string {
  return `DELETE FROM ${t.synced} WHERE ${q(t.pk.sqlName)} = ?1`;
}

/** must-refetch: forget every synced row (T_local and the outbox stay). */
export function clearSynced(t: TableNames): string {
  return `DELETE FROM ${t.synced}`;
}

/**
 * Reconciliation (§3) of a `sent` write whose txid was seen; `?1` = key as text, `?2` = write id.
 * Drops the synced overrides when the write is still the latest one of the row.
 */
export function reconcile(t: TableNames): string {
  const sets = [`${q('_changed')} = '[]'`, ...t.synced_.map((c) => `${q(c.sqlName)} = NULL`), `${q('_write_id')} = NULL`];
  return `UPDATE ${t.local} SET\n  ${sets.join(',\n  ')}\nWHERE ${pkText(t)} AND ${q('_write_id')} = ?2 AND ${q('_deleted')} = 0`;
}

/** Reconciliation of a delete: the `_deleted` row goes; `?1` = key as text, `?2` = write id. */
export function reconcileDeleted(t: TableNames): string {
  return `DELETE FROM ${t.local}\nWHERE ${pkText(t)} AND ${q('_write_id')} = ?2 AND ${q('_deleted')} = 1`;
}

/** A `T_local` row with no pending write, no override and no local-only value is dropped; `?1` = key as text. */
export function deleteEmptyLocal(t: TableNames): string {
  const empty = [`${q('_write_id')} IS NULL`, `${q('_deleted')} = 0`, `${q('_changed')} = '[]'`, ...t.localOnly.map((c) => `${q(c.sqlName)} IS NULL`)];
  return `DELETE FROM ${t.local}\nWHERE ${pkText(t)}\n  AND ${empty.join('\n  AND ')}`;
}

/**
 * Rollback (§2) after the refused outbox row was removed or marked failed: when `T_local` still
 * points at that write (`?2`), rebuild it from the remaining live outbox rows of the key (`?1`,
 * text), newest value per column; with none left it becomes empty (see {@link deleteEmptyLocal}).
 */
export function restoreLocal(t: TableNames): string {
  const live = `o.${q('table_name')} = ${lit(t.table)} AND o.${q('pk')} = ?1 AND o.${q('status')} IN ('pending', 'inflight', 'sent')`;
  const from = `FROM ${q('_sync_outbox')} AS o, json_each(o.${q('payload')}) AS j`;
  const sets = [
    ...t.synced_.map((c) => `${q(c.sqlName)} = (SELECT j.value ${from}\n    WHERE ${live} AND j.key = ${lit(c.name)}\n    ORDER BY o.${q('seq')} DESC LIMIT 1)`),
    `${q('_changed')} = (SELECT json_group_array(DISTINCT j.key) ${from}\n    WHERE ${live} AND j.key <> ${lit(t.pk.name)})`,
    `${q('_deleted')} = EXISTS (SELECT 1 FROM ${q('_sync_outbox')} AS o WHERE ${live} AND o.${q('op')} = 'delete')`,
    `${q('_write_id')} = (SELECT o.${q('write_id')} FROM ${q('_sync_outbox')} AS o\n    WHERE ${live} ORDER BY o.${q('seq')} DESC LIMIT 1)`,
  ];
  return `UPDATE ${t.local} SET\n  ${sets.join(',\n  ')}\nWHERE ${pkText(t)} AND ${q('_write_id')} = ?2`;
}
