/**
 * Which columns the server fills in, and with what: the one place the dev server decides entity
 * facts that core's IR does not (yet) state outright.
 *
 * MEANT TO MOVE INTO CORE'S IR. Core already marks `Column.serverGenerated` (readOnly, or in the
 * item schema but absent from the create body); what it does not say is *what* the server puts
 * there. Until it does, the rules live here, in one module, so they can be lifted as a whole:
 *
 * - **key**: the primary key. uuid → `gen_random_uuid()`; integer → identity; `number` (NestJS
 *   DTOs) → a sequence; text → a random uuid string. A client-sent key is kept for uuid and text
 *   keys (local-first clients mint ids) and ignored for numeric keys (the server's sequence owns
 *   them, so a client value would collide with a later create).
 * - **created** / **updated**: a server-set column named `created_at`, `createdAt`, `createdDate`,
 *   `created`, `inserted_at`, `date_created` (resp. `updated_at`, `updatedAt`, `updatedDate`,
 *   `updated`, `modified_at`, `modifiedAt`, `last_modified`, `date_updated`): the current time in
 *   the column's type (timestamp; Unix seconds for integers and numbers; ISO 8601 for text). Updated
 *   columns are refreshed on every PATCH / PUT. (`created_at` / `updated_at` timestamps count even
 *   when the client may send them: they were always server-owned here.)
 * - **version**: a server-set integer column named `version`, `row_version`, `_version` or
 *   `revision`: 1 on create, incremented by every update.
 * - **owner**: a server-set column named `owner_id`, `ownerId`, `user_id`, `userId`, `owner` or
 *   `created_by`: the authenticated principal's id (a uuid column gets the principal's id when it
 *   is a uuid, else a name-based uuid derived from it, so the same principal always maps to the
 *   same value). Without a principal: the dev server's anonymous principal.
 * - **example**: any other server-set, non-null column without a default: a schema-valid value
 *   (the enum's first member, `"string"`, 0…) from the read schema, so responses conform.
 * - **none**: the client writes it (create / update body), subject to `readOnly`.
 */
import type { JsonValue } from '@sync/core';
import type { ColumnModel, TableModel } from './model.js';

export type ServerSetKind =
  'key' | 'created' | 'updated' | 'version' | 'owner' | 'example' | 'none';

const CREATED = new Set([
  'created_at',
  'createdAt',
  'createdDate',
  'created',
  'inserted_at',
  'date_created',
]);
const UPDATED = new Set([
  'updated_at',
  'updatedAt',
  'updatedDate',
  'updated',
  'modified_at',
  'modifiedAt',
  'last_modified',
  'date_updated',
]);
const VERSION = new Set(['version', 'row_version', '_version', 'revision']);
const OWNER = new Set(['owner_id', 'ownerId', 'user_id', 'userId', 'owner', 'created_by']);

const TIME_STORAGE = new Set([
  'timestamp',
  'int32',
  'int64',
  'float',
  'double',
  'decimal',
  'text',
  'date',
]);
const INT_STORAGE = new Set(['int32', 'int64', 'float', 'double', 'decimal']);

/** Whether the client's request may not set this column (readOnly, or absent from the create body). */
function serverOwned(c: ColumnModel): boolean {
  return c.serverGenerated || c.field?.readOnly === true;
}

export function serverSetKind(c: ColumnModel): ServerSetKind {
  if (c.primaryKey) return 'key';
  const timestampName =
    c.storage === 'timestamp' && (c.name === 'created_at' || c.name === 'updated_at');
  if ((serverOwned(c) || timestampName) && TIME_STORAGE.has(c.storage)) {
    if (CREATED.has(c.name)) return 'created';
    if (UPDATED.has(c.name)) return 'updated';
  }
  if (!serverOwned(c)) return 'none';
  if (VERSION.has(c.name) && INT_STORAGE.has(c.storage)) return 'version';
  if (
    OWNER.has(c.name) &&
    (c.storage === 'uuid' || c.storage === 'text' || INT_STORAGE.has(c.storage))
  )
    return 'owner';
  return 'example';
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
