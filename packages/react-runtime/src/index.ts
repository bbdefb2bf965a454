/**
 * `@sync/react-runtime`: the runtime behind generated live-mode code (docs/sync-runtime-contract.md).
 * The pure, storage-independent core (backoff, Electric value parsing, shape bookkeeping, the
 * outbox state machine — checked against the shared vectors) and, built on it, the PGlite
 * runtime: local schema migrations, shape consumers, the outbox worker, TanStack DB collections,
 * `createSyncClient`, `<SyncProvider>` and the hooks generated code calls. See ARCHITECTURE.md.
 */
export {
  backoffMs,
  retryDelayMs,
  parseRetryAfter,
  DEFAULT_BACKOFF,
  type BackoffPolicy,
} from './backoff.js';
export {
  parseValue,
  parseRow,
  parseArrayLiteral,
  type ColumnSchema,
  type ShapeSchema,
  type WireValue,
} from './shape/values.js';
export {
  applyResponse,
  applyChange,
  txidsOf,
  initialShapeState,
  type ShapeLogState,
  type ShapeResponse,
  type ShapeAction,
  type ChangeMessage,
  type Row,
} from './shape/log.js';
export * as outbox from './outbox/machine.js';
export type {
  LiveSchema,
  LiveEntity,
  LiveColumn,
  LiveOperation,
  LiveEntitySql,
  LiveStorage,
} from './schema.js';
export { createSyncClient, type SyncClient, type SyncClientOptions } from './client/create.js';
export type { Durability } from './db/open.js';
export { createStartImage } from './db/image.js';
export { SHARED_SCHEMA_SQL } from './db/shared-schema.js';
export type { SyncStatus } from './client/status.js';
export { fieldErrorsOf, type FailedWrite, type FieldError } from './client/failed.js';
export type { LiveCollection, LiveKey } from './client/collections.js';
export type { LiveRowValue } from './client/writes.js';
export { SyncApiError } from './outbox/send.js';
export { SyncProvider, useSyncClient } from './react/context.js';
export {
  useLiveRows,
  useLiveRow,
  useLiveMutation,
  useSyncStatus,
  useFailedWrites,
  type FailedWrites,
  liveMutationOptions,
  type LiveResult,
  type LiveMeta,
  type LiveWrite,
  isPendingRow,
} from './react/hooks.js';
