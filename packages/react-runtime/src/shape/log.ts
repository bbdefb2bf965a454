/**
 * The bookkeeping of one shape, independent of storage (vector shape-log.json): which handle and
 * offset to resume from, whether the shape is up to date, and how a response's messages change
 * the rows. The PGlite consumer applies the same decisions inside one transaction per batch.
 */
import { parseRow, type ShapeSchema, type WireValue } from './values.js';

export type Row = Record<string, WireValue>;

export interface ShapeResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export interface ChangeMessage {
  key: string;
  value: Record<string, string | null>;
  headers: { operation: 'insert' | 'update' | 'delete'; txids?: (number | string)[] };
}

export type ShapeAction = 'apply' | 'refetch' | 'none';

export interface ShapeLogState {
  handle: string | null;
  offset: string;
  upToDate: boolean;
  schema: ShapeSchema | null;
  rows: Map<string, Row>;
}

export const initialShapeState = (): ShapeLogState => ({
  handle: null,
  offset: '-1',
  upToDate: false,
  schema: null,
  rows: new Map(),
});

function messagesOf(body: unknown): Record<string, unknown>[] {
  return Array.isArray(body)
    ? body.filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null)
    : [];
}

const controlOf = (m: Record<string, unknown>): unknown =>
  (m.headers as Record<string, unknown> | undefined)?.control;

/** Clears rows and position (must-refetch); T_local and the outbox are not the shape's concern. */
function refetch(state: ShapeLogState, handle: string | null): ShapeAction {
  state.rows.clear();
  Object.assign(state, { handle, offset: '-1', upToDate: false });
  return 'refetch';
}

/** Applies one change message to the rows (updates merge their changed columns). */
export function applyChange(rows: Map<string, Row>, schema: ShapeSchema, m: ChangeMessage): void {
  const parsed = parseRow(schema, m.value);
  if (m.headers.operation === 'delete') rows.delete(m.key);
  else if (m.headers.operation === 'update')
    rows.set(m.key, { ...(rows.get(m.key) ?? {}), ...parsed });
  else rows.set(m.key, parsed);
}

/** The txids a batch carries (recorded in `_sync_seen_txids` with the batch). */
export function txidsOf(body: unknown): string[] {
  return messagesOf(body).flatMap((m) =>
    ((m.headers as ChangeMessage['headers'] | undefined)?.txids ?? []).map(String),
  );
}

/** Feeds one HTTP response; mutates `state` and says what happened. */
export function applyResponse(state: ShapeLogState, response: ShapeResponse): ShapeAction {
  const h = response.headers;
  if (response.status === 409) return refetch(state, h['electric-handle'] ?? null);
  const messages = messagesOf(response.body);
  if (messages.some((m) => controlOf(m) === 'must-refetch')) return refetch(state, null);
  if (h['electric-schema']) state.schema = JSON.parse(h['electric-schema']) as ShapeSchema;
  const changes = messages.filter((m) => typeof m.key === 'string') as unknown as ChangeMessage[];
  for (const m of changes) applyChange(state.rows, state.schema ?? {}, m);
  state.handle = h['electric-handle'] ?? state.handle;
  state.offset = h['electric-offset'] ?? state.offset;
  state.upToDate = messages.some((m) => controlOf(m) === 'up-to-date');
  return changes.length > 0 ? 'apply' : 'none';
}
