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
 *
 * The change messages of a response bypass the client's parser (`WireBodies`): `ShapeStream`
 * parses every body with a `JSON.parse` reviver called for every key and value of every
 * message, 6× the time of a plain `JSON.parse` of the same 100 bodies (5.6–6.4 s against
 * 0.8–1.0 s for a 100,000-row snapshot, measured side by side): more than storing them. So our
 * `fetchClient` parses a shape response's body itself and hands the client the same body with
 * each run of change messages replaced by one marker (`{"headers":{"control":"sync-patterns:wire",
 * "wire":n}}`); the control messages stay where they were. The client still does everything
 * else (offsets, handles, 409s, retries, live mode, cursors, up-to-date); the subscriber puts
 * the runs back in place of their markers.
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

/** The control value of a marker that stands for a run of change messages (`WireBodies`). */
export const WIRE_MARKER = 'sync-patterns:wire';

type WireMessage = Message<Row<unknown>>;

/**
 * The change messages of the responses `fetch` parsed, until the stream delivers their markers.
 * Markers are numbered in request order and the stream delivers responses in that order, so when
 * marker n arrives, a run still held with a lower number belongs to a response the stream
 * dropped (an aborted prefetch, a stale answer): it is forgotten.
 */
export class WireBodies {
  private next = 0;
  private readonly runs = new Map<number, WireMessage[]>();

  /** `fetch`, with the change messages of every JSON shape answer taken out of its body. */
  wrap(doFetch: typeof fetch): typeof fetch {
    return async (input, init) => {
      const res = await doFetch(input, init);
      const type = res.headers.get('content-type') ?? '';
      if (
        res.status !== 200 ||
        !res.headers.has('electric-offset') ||
        type.includes('event-stream')
      )
        return res;
      const text = await res.text();
      const body = this.substitute(text);
      return new Response(body ?? text, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    };
  }

  /** The body with each run of change messages as one marker; null when it is not a message array. */
  substitute(text: string): string | null {
    let messages: unknown;
    try {
      messages = JSON.parse(text || '[]');
    } catch {
      return null; // the client reports the body it cannot read
    }
    if (!Array.isArray(messages)) return null;
    const out: unknown[] = [];
    let run: WireMessage[] | null = null;
    for (const m of messages as WireMessage[]) {
      if (m !== null && typeof m === 'object' && 'key' in m) {
        if (run === null) {
          run = [];
          const n = this.next++;
          this.runs.set(n, run);
          out.push({ headers: { control: WIRE_MARKER, wire: n } });
        }
        run.push(m);
      } else {
        run = null;
        out.push(m);
      }
    }
    return JSON.stringify(out);
  }

  /** The messages the stream delivered, with every marker replaced by its run. */
  expand(messages: readonly WireMessage[]): WireMessage[] {
    const out: WireMessage[] = [];
    for (const m of messages) {
      const wire =
        m.headers.control === WIRE_MARKER ? (m.headers as { wire?: unknown }).wire : undefined;
      if (typeof wire !== 'number') {
        out.push(m);
        continue;
      }
      const run = this.runs.get(wire);
      if (run === undefined) throw new Error(`shape: the changes of marker ${wire} are gone`);
      for (const n of this.runs.keys()) if (n <= wire) this.runs.delete(n);
      for (const x of run) out.push(x);
    }
    return out;
  }

  /** Runs held (responses fetched whose markers the stream has not delivered yet). */
  get held(): number {
    return this.runs.size;
  }
}

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
  const wire = new WireBodies();
  const doFetch = wire.wrap(o.fetch);
  const stream = new ShapeStream<Row<unknown>>({
    url: o.url,
    params: { table: e.table },
    ...(position ? { handle: position.handle, offset: position.offset as Offset } : {}),
    fetchClient: async (input, init) => {
      const headers = new Headers(init?.headers);
      for (const [k, v] of Object.entries(await o.headers())) headers.set(k, v);
      return doFetch(input, { ...init, headers });
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
    (delivered: Message<Row<unknown>>[]) => {
      let messages: WireMessage[];
      try {
        messages = wire.expand(delivered);
      } catch (error) {
        // Never store past a response we cannot read: stop here. The stored position is still
        // the one after the last stored batch, so the next start resumes from there.
        abort.abort();
        o.onError(e.table, error);
        return storing;
      }
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
