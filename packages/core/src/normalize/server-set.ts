/**
 * Which columns the server sets, and how (IR `Column.serverSet`; ir.md, "Entities"). Decided
 * here once, from the column's name, storage class and whether a client may write it, for every
 * consumer: the dev server fills them, a backend contract check can expect them.
 *
 * - **key**: the primary key (uuid → a random uuid; integer → an identity; `number` → a
 *   sequence; text → a random uuid string). A client-minted uuid or text key is kept; a client
 *   value for a numeric key is not (the server's sequence owns it).
 * - **created** / **updated**: a column named `created_at`, `createdAt`, `createdDate`, `created`,
 *   `inserted_at`, `date_created` (resp. `updated_at`, `updatedAt`, `updatedDate`, `updated`,
 *   `modified_at`, `modifiedAt`, `last_modified`, `date_updated`) that the client may not write,
 *   stored as a timestamp, a number (Unix seconds), text (ISO 8601) or a date: the current time,
 *   updated ones on every update. A `created_at` / `updated_at` timestamp counts even when the
 *   client may send it.
 * - **version**: a numeric column named `version`, `row_version`, `_version` or `revision` the
 *   client may not write: 1 on create, +1 on every update.
 * - **owner**: a uuid, text or numeric column named `owner_id`, `ownerId`, `user_id`, `userId`,
 *   `owner` or `created_by` the client may not write: the authenticated caller.
 * - **other**: any other column the client may not write (readOnly, or absent from the create
 *   body): the server's to fill (its default, else any schema-valid value).
 * - **null**: the client writes it.
 */
import type { Column, ColumnStorage, ServerSetKind } from '../ir/types.js';

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

const NUMERIC: ReadonlySet<ColumnStorage> = new Set([
  'int32',
  'int64',
  'float',
  'double',
  'decimal',
]);
const TIME: ReadonlySet<ColumnStorage> = new Set([...NUMERIC, 'timestamp', 'text', 'date']);

/**
 * The server-set rule of a column. `readOnly`: the item schema's field is readOnly (a local-only
 * field may be readOnly without being server-generated).
 */
export function serverSetKind(
  c: Pick<Column, 'name' | 'storage' | 'primaryKey' | 'serverGenerated'>,
  readOnly: boolean,
): ServerSetKind | null {
  if (c.primaryKey) return 'key';
  const owned = c.serverGenerated || readOnly;
  const timestampName =
    c.storage === 'timestamp' && (c.name === 'created_at' || c.name === 'updated_at');
  if ((owned || timestampName) && TIME.has(c.storage)) {
    if (CREATED.has(c.name)) return 'created';
    if (UPDATED.has(c.name)) return 'updated';
  }
  if (!owned) return null;
  if (VERSION.has(c.name) && NUMERIC.has(c.storage)) return 'version';
  if (OWNER.has(c.name) && (c.storage === 'uuid' || c.storage === 'text' || NUMERIC.has(c.storage)))
    return 'owner';
  return 'other';
}
