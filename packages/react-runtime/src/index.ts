/**
 * `@sync/react-runtime`: the runtime behind generated live-mode code. So far it holds the pure,
 * storage-independent core of the sync contract (docs/sync-runtime-contract.md), checked against
 * the shared vectors: backoff, Electric value parsing, shape bookkeeping and the outbox state
 * machine. The PGlite-backed consumer, worker and React bindings build on these (see README).
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
