/**
 * Follows one live entity's Electric shape with the official `ShapeStream` (contract §5) and
 * hands every response to `applyBatch`. Values are parsed by the shared pure parser
 * (`parseValue`, vector shape-values.json) plugged in as the stream's per-type parser. The stream
 * resumes from the handle/offset stored in `_sync_shapes`; a must-refetch (409 or control
 * message) clears `T_synced` and the stored position, never `T_local` or the outbox.
 */
import { ShapeStream, type Message, type Offset, type Row } from '@electric-sql/client';
import type { SyncDb } from '../db/open.js';
import type { LiveEntity } from '../schema.js';
import { parseValue } from './values.js';
import { applyBatch, type BatchResult, type ShapeMessage } from './apply.js';

/** Types the pure parser converts (every other type stays the text Electric sent). */
const PARSED_TYPES = ['int2', 'int4', 'int8', 'float4', 'float8', 'bool', 'json', 'jsonb'];
const parser = Object.fromEntries(
  PARSED_TYPES.map((type) => [type, (text: string) => parseValue({ type }, text)]),
);

export interface ConsumerOptions {
  url: string;
  fetch: typeof fetch;
  headers: () => Promise<Record<string, string>>;
  onBatch: (table: string, result: BatchResult) => void;
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
    parser,
    signal: abort.signal,
    backoffOptions: { initialDelay: 100, maxDelay: 5_000, multiplier: 1.5 },
    onError: (error) => {
      o.onError(e.table, error);
      return {};
    },
  });
  stream.subscribe(
    async (messages: Message<Row<unknown>>[]) => {
      const pos = { handle: stream.shapeHandle, offset: stream.lastOffset };
      try {
        const result = await applyBatch(db, e, messages as unknown as ShapeMessage[], pos);
        o.onBatch(e.table, result);
      } catch (error) {
        o.onError(e.table, error);
      }
    },
    (error: unknown) => o.onError(e.table, error),
  );
  return { stop: () => abort.abort(), refresh: () => stream.forceDisconnectAndRefresh() };
}
