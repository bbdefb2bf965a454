/**
 * DDL of one live entity (docs/sync-runtime-contract.md §1, SQLite): `T_synced`, `T_local`, the
 * view `T` and its INSTEAD OF triggers. The view is written as a UNION ALL of two joins rather
 * than a FULL OUTER JOIN, which SQLite only has since 3.39 (older than some supported iOS
 * releases ship).
 */
import { sqliteType } from '../type-map.js';
import {
  LAST_WRITE_ID,
  OUTBOX_INSERT_COLUMNS,
  anyChanged,
  jsonObject,
  lit,
  outboxValues,
  q,
  toJson,
  type LocalColumn,
  type TableNames,
} from './sql-parts.js';

const col = (c: LocalColumn, notNull = false): string => `${q(c.sqlName)} ${sqliteType(c.storage)}${notNull ? ' NOT NULL' : ''}`;

/** `T_synced`: synced columns only; written by the shape consumer (server values, no constraints). */
export function createSynced(t: TableNames): string {
  const cols = [`${col(t.pk, true)} PRIMARY KEY`, ...t.synced_.map((c) => col(c))];
  return `CREATE TABLE ${t.synced} (\n  ${cols.join(',\n  ')}\n)`;
}

/** `T_local`: every column nullable, plus `_changed` (JSON array), `_deleted`, `_write_id`. */
export function createLocal(t: TableNames): string {
  const cols = [
    `${col(t.pk, true)} PRIMARY KEY`,
    ...[...t.synced_, ...t.localOnly].map((c) => col(c)),
    `${q('_changed')} TEXT NOT NULL DEFAULT '[]'`,
    `${q('_deleted')} INTEGER NOT NULL DEFAULT 0`,
    `${q('_write_id')} TEXT`,
  ];
  return `CREATE TABLE ${t.local} (\n  ${cols.join(',\n  ')}\n)`;
}

/** `c ∈ l._changed` */
const inChanged = (c: LocalColumn): string => `EXISTS (SELECT 1 FROM json_each(l.${q('_changed')}) WHERE json_each.value = ${lit(c.name)})`;

/**
 * The view: rows of `T_local` (not `_deleted`) joined to their synced row, then synced rows with
 * no local row. A synced column reads the local value only when it is in `_changed`.
 */
export function createView(t: TableNames): string {
  const pk = q(t.pk.sqlName);
  const localSide = [
    `l.${pk} AS ${pk}`,
    ...t.synced_.map((c) => `CASE WHEN ${inChanged(c)} THEN l.${q(c.sqlName)} ELSE s.${q(c.sqlName)} END AS ${q(c.sqlName)}`),
    ...t.localOnly.map((c) => `l.${q(c.sqlName)} AS ${q(c.sqlName)}`),
    `(l.${q('_write_id')} IS NOT NULL) AS ${q('_pending')}`,
  ];
  const syncedSide = [`s.${pk}`, ...t.synced_.map((c) => `s.${q(c.sqlName)}`), ...t.localOnly.map(() => 'NULL'), '0'];
  return [
    `CREATE VIEW ${t.view} AS`,
    `SELECT\n  ${localSide.join(',\n  ')}`,
    `FROM ${t.local} AS l LEFT JOIN ${t.synced} AS s ON s.${pk} = l.${pk}`,
    `WHERE l.${q('_deleted')} = 0`,
    'UNION ALL',
    `SELECT\n  ${syncedSide.join(',\n  ')}`,
    `FROM ${t.synced} AS s`,
    `WHERE NOT EXISTS (SELECT 1 FROM ${t.local} AS l WHERE l.${pk} = s.${pk})`,
  ].join('\n');
}

const trigger = (t: TableNames, op: 'insert' | 'update' | 'delete'): string => q(`${t.table}_${op}`);

/**
 * INSTEAD OF INSERT: outbox row `insert` with `{P, …given S}` (given = not NULL: SQLite cannot
 * tell an omitted column from NULL), then upsert `T_local` with every given value, `_changed` =
 * the given synced columns, `_deleted = 0` and the new write id.
 */
export function insertTrigger(t: TableNames): string {
  const pk = q(t.pk.sqlName);
  const payload = jsonObject([
    `SELECT ${lit(t.pk.name)} AS ${q('k')}, ${toJson(`NEW.${pk}`, t.pk)} AS ${q('v')}`,
    ...t.synced_.map((c) => `SELECT ${lit(c.name)}, ${toJson(`NEW.${q(c.sqlName)}`, c)} WHERE NEW.${q(c.sqlName)} IS NOT NULL`),
  ]);
  const changed = t.synced_.length === 0
    ? "'[]'"
    : `(SELECT json_group_array(${q('k')}) FROM (\n      ${t.synced_.map((c) => `SELECT ${lit(c.name)} AS ${q('k')} WHERE NEW.${q(c.sqlName)} IS NOT NULL`).join('\n      UNION ALL ')}\n    ))`;
  const cols = [t.pk, ...t.synced_, ...t.localOnly];
  const names = [...cols.map((c) => q(c.sqlName)), q('_changed'), q('_deleted'), q('_write_id')];
  const values = [...cols.map((c) => `NEW.${q(c.sqlName)}`), changed, '0', LAST_WRITE_ID];
  const sets = names.slice(1).map((n) => `${n} = excluded.${n}`);
  return [
    `CREATE TRIGGER ${trigger(t, 'insert')} INSTEAD OF INSERT ON ${t.view}`,
    'BEGIN',
    `  INSERT INTO ${q('_sync_outbox')} (${OUTBOX_INSERT_COLUMNS})`,
    `  VALUES (\n    ${outboxValues(t, 'insert', `NEW.${pk}`, payload)}\n  );`,
    `  INSERT INTO ${t.local} (${names.join(', ')})`,
    `  VALUES (\n    ${values.join(',\n    ')}\n  )`,
    `  ON CONFLICT (${pk}) DO UPDATE SET\n    ${sets.join(',\n    ')};`,
    'END',
  ].join('\n');
}

/**
 * INSTEAD OF UPDATE: synced columns whose value changed go into `_changed` (set union) and into an
 * outbox row `update` with `{P, …changed S}`; local-only columns are stored in `T_local` only. No
 * synced column changed → no outbox row and `_write_id` untouched.
 */
export function updateTrigger(t: TableNames): string {
  const pk = q(t.pk.sqlName);
  const changedAny = anyChanged(t.synced_);
  const changedCol = (c: LocalColumn): string => `NEW.${q(c.sqlName)} IS NOT OLD.${q(c.sqlName)}`;
  const payload = jsonObject([
    `SELECT ${lit(t.pk.name)} AS ${q('k')}, ${toJson(`OLD.${pk}`, t.pk)} AS ${q('v')}`,
    ...t.synced_.map((c) => `SELECT ${lit(c.name)}, ${toJson(`NEW.${q(c.sqlName)}`, c)} WHERE ${changedCol(c)}`),
  ]);
  const union = [
    `SELECT json_each.value AS ${q('k')} FROM json_each(${t.local}.${q('_changed')})`,
    ...t.synced_.map((c) => `SELECT ${lit(c.name)} WHERE ${changedCol(c)}`),
  ];
  const sets = [
    ...t.synced_.map((c) => `${q(c.sqlName)} = CASE WHEN ${changedCol(c)} THEN NEW.${q(c.sqlName)} ELSE ${q(c.sqlName)} END`),
    ...t.localOnly.map((c) => `${q(c.sqlName)} = NEW.${q(c.sqlName)}`),
    `${q('_changed')} = (SELECT json_group_array(${q('k')}) FROM (\n      ${union.join('\n      UNION ')}\n    ))`,
    `${q('_write_id')} = CASE WHEN ${changedAny} THEN ${LAST_WRITE_ID} ELSE ${q('_write_id')} END`,
  ];
  return [
    `CREATE TRIGGER ${trigger(t, 'update')} INSTEAD OF UPDATE ON ${t.view}`,
    'BEGIN',
    `  INSERT INTO ${q('_sync_outbox')} (${OUTBOX_INSERT_COLUMNS})`,
    `  SELECT\n    ${outboxValues(t, 'update', `OLD.${pk}`, payload)}`,
    `  WHERE ${changedAny};`,
    `  INSERT INTO ${t.local} (${pk}) VALUES (OLD.${pk}) ON CONFLICT (${pk}) DO NOTHING;`,
    `  UPDATE ${t.local} SET\n    ${sets.join(',\n    ')}`,
    `  WHERE ${pk} = OLD.${pk};`,
    'END',
  ].join('\n');
}

/** INSTEAD OF DELETE: outbox row `delete` with `{P}`; `T_local._deleted = 1` and the new write id. */
export function deleteTrigger(t: TableNames): string {
  const pk = q(t.pk.sqlName);
  const payload = `json_object(${lit(t.pk.name)}, json(${toJson(`OLD.${pk}`, t.pk)}))`;
  return [
    `CREATE TRIGGER ${trigger(t, 'delete')} INSTEAD OF DELETE ON ${t.view}`,
    'BEGIN',
    `  INSERT INTO ${q('_sync_outbox')} (${OUTBOX_INSERT_COLUMNS})`,
    `  VALUES (\n    ${outboxValues(t, 'delete', `OLD.${pk}`, payload)}\n  );`,
    `  INSERT INTO ${t.local} (${pk}, ${q('_deleted')}, ${q('_write_id')})`,
    `  VALUES (OLD.${pk}, 1, ${LAST_WRITE_ID})`,
    `  ON CONFLICT (${pk}) DO UPDATE SET ${q('_deleted')} = 1, ${q('_write_id')} = excluded.${q('_write_id')};`,
    'END',
  ].join('\n');
}

/** Statements that drop the view (and with it its triggers) and `T_synced`: schema upgrades (§6). */
export function dropViewAndSynced(t: TableNames): string[] {
  return [`DROP VIEW IF EXISTS ${t.view}`, `DROP TABLE IF EXISTS ${t.synced}`];
}
