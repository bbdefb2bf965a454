/**
 * Follows one live entity's Electric shape with the official `ShapeStream` (contract §5) and
 * hands every response to `applyBatch`. Values stay the text Electric sent (`wireParser`): they
 * only go into PGlite, which parses each one with its column's own type, so the client neither
 * parses them in JS (bigint, JSON.parse) nor serialises them back. Rows read from PGlite are
 * typed by PGlite; the pure parser (`parseValue`, vector shape-values.json) stays the reference
 * for what each wire type means. The stream resumes from the handle/offset stored in
 * `_sync_shapes`; a must-refetch (409 or control message) clears `T_synced` and the stored
 * position, never `T_local` or the outbox.
 *
 * Batches are applied strictly one after another, in order, but the stream fetches and parses
 * the next response while the current one is being stored (one batch ahead).
 */
import { ShapeStream, type Message, type Offset, type Row } from '@electric-sql/client';
import type { SyncDb } from '../db/open.js';
import type { LiveEntity } from '../schema.js';
import { applyBatch, type BatchResult, type ShapeMessage } from './apply.js';

/** Types the Electric client parses by default; kept as wire text here (see above). */
const CLIENT_PARSED_TYPES = ['int2', 'int4', 'int8', 'float4', 'float8', 'bool', 'json', 'jsonb'];
const asText = (text: string): string => text;
/** The `ShapeStream` parser that leaves every value as the text Electric sent. */
export const wireParser: Record<string, (text: string) => string> = Object.fromEntries(
  CLIENT_PARSED_TYPES.map((type) => [type, asText]),
);

export interface ConsumerOptions {
  url: string;
  fetch: typeof fetch;
  headers: () => Promise<Record<string, string>>;
  onBatch: (table: string, result: BatchResult) => void;
  /** Read the changed view rows back in the batch's transaction (something shows them). */
  readBack?: () => boolean;
  onError: (table: string, error: unknown) => void;
}

export interface ShapeConsumer {
  stop(): void;
  /** Asks the server for fresh data now (ends a long poll and requests again). */
  refresh(): Promise<void>;
}

async function storedPosition(db: SyncDb, table: string) {
  const r = await db.query<{ handle: string | null; offset: string | null }>(
    `SELECT "handle", "offset" FROM "_sync_shapes" WHERE "shape_key" = $1`,
    [table],
  );
  const row = r.rows[0];
  return row?.handle && row.offset ? { handle: row.handle, offset: row.offset } : null;
}

/** Starts following `e`'s shape; batches are applied strictly one after another. */
export async function startConsumer(
  db: SyncDb,
  e: LiveEntity,
  o: ConsumerOptions,
): Promise<ShapeConsumer> {
  const abort = new AbortController();
  const position = await storedPosition(db, e.table);
  const stream = new ShapeStream<Row<unknown>>({
    url: o.url,
    params: { table: e.table },
    ...(position ? { handle: position.handle, offset: position.offset as Offset } : {}),
    fetchClient: async (input, init) => {
      const headers = new Headers(init?.headers);
      for (const [k, v] of Object.entries(await o.headers())) headers.set(k, v);
      return o.fetch(input, { ...init, headers });
    },
    parser: wireParser,
    signal: abort.signal,
    backoffOptions: { initialDelay: 100, maxDelay: 5_000, multiplier: 1.5 },
    onError: (error) => {
      o.onError(e.table, error);
      return {};
    },
  });
  // The batch being stored; the stream waits for it only when the next one is already parsed.
  let storing: Promise<void> = Promise.resolve();
  stream.subscribe(
    (messages: Message<Row<unknown>>[]) => {
      const pos = { handle: stream.shapeHandle, offset: stream.lastOffset };
      const before = storing;
      storing = before.then(async () => {
        if (abort.signal.aborted) return;
        try {
          const result = await applyBatch(
            db,
            e,
            messages as unknown as ShapeMessage[],
            pos,
            o.readBack?.() ?? false,
          );
          o.onBatch(e.table, result);
        } catch (error) {
          o.onError(e.table, error);
        }
      });
      return before;
    },
    (error: unknown) => o.onError(e.table, error),
  );
  return { stop: () => abort.abort(), refresh: () => stream.forceDisconnectAndRefresh() };
}
