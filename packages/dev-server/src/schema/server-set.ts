/**
 * Which columns the server fills in, and with what. The decision is core's: the IR says, per
 * column, what the server sets (`Column.serverSet`: key, created / updated time, version, owner,
 * other; see packages/core/docs/ir.md, "Entities", and core's normalize/server-set.ts). This
 * module says how the dev server fills each:
 *
 * - **key**: uuid → `gen_random_uuid()`; integer → identity; `number` (NestJS DTOs) → a
 *   sequence; text → a random uuid string. A client-sent key is kept for uuid and text keys
 *   (local-first clients mint ids) and ignored for numeric keys (the server's sequence owns
 *   them, so a client value would collide with a later create).
 * - **created** / **updated**: the current time in the column's type (timestamp; Unix seconds
 *   for integers and numbers; ISO 8601 for text). Updated columns are refreshed on every
 *   PATCH / PUT.
 * - **version**: 1 on create, incremented by every update.
 * - **owner**: the authenticated principal's id (a uuid column gets the principal's id when it
 *   is a uuid, else a name-based uuid derived from it, so the same principal always maps to the
 *   same value). Without a principal: the dev server's anonymous principal.
 * - **example** (IR `other`): the column's default, else a schema-valid value (the enum's first
 *   member, `"string"`, 0…) from the read schema, so responses conform.
 * - **none** (IR null): the client writes it (create / update body).
 */
import type { JsonValue } from '@sync/core';
import type { ColumnModel, TableModel } from './model.js';

export type ServerSetKind =
  'key' | 'created' | 'updated' | 'version' | 'owner' | 'example' | 'none';

/** How the dev server fills the column, from the IR's `Column.serverSet`. */
export function serverSetKind(c: ColumnModel): ServerSetKind {
  const kind = c.serverSet;
  return kind === null ? 'none' : kind === 'other' ? 'example' : kind;
}

/** Whether a client-sent primary key is stored (uuid and text keys) or ignored (numeric keys). */
export function clientMayChooseKey(t: TableModel): boolean {
  return t.pk.storage === 'uuid' || t.pk.storage === 'text';
}

/** The current time as the column stores it. */
export function nowFor(c: ColumnModel, now: Date): JsonValue {
  switch (c.storage) {
    case 'int32':
    case 'int64':
    case 'float':
    case 'double':
      return Math.floor(now.getTime() / 1000);
    case 'decimal':
      return String(Math.floor(now.getTime() / 1000));
    case 'date':
      return now.toISOString().slice(0, 10);
    default:
      return now.toISOString();
  }
}

/** The columns an update refreshes (updated timestamps) and increments (versions). */
export function updateTouches(t: TableModel): { updated: ColumnModel[]; versions: ColumnModel[] } {
  return {
    updated: t.columns.filter((c) => serverSetKind(c) === 'updated'),
    versions: t.columns.filter((c) => serverSetKind(c) === 'version'),
  };
}
