/**
 * `GET /v1/shape`: the Electric HTTP shape protocol over the change log.
 *
 * - `offset=-1`: a consistent snapshot (snapshot.ts), in chunks of 1,000 rows, streamed: chunk 0
 *   is answered as soon as it is read; the last chunk ends with snapshot-end and up-to-date, at
 *   offset `S_0`.
 * - `offset=n_0`: changes with seq > n (up to 1,000 log rows per response), then up-to-date.
 * - `live=true`: the same, but an empty answer is held until the table changes (notifier.ts) or
 *   the long-poll timeout, then answered with up-to-date alone.
 * - An unknown or rotated handle, or an evicted snapshot: 409 + must-refetch + the current handle.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { entityOperation } from '@sync/core';
import type { Database } from '../db/database.js';
import { ownerOnlyColumns, type Auth } from '../auth/auth.js';
import type { Model, TableModel } from '../schema/model.js';
import { corsHeaders, sendError, sendText } from '../http/respond.js';
import type { ShapeHandles } from './handles.js';
import {
  changeMessages,
  MUST_REFETCH,
  schemaHeader,
  UP_TO_DATE,
  type LogEntry,
  type ShapeMessage,
} from './messages.js';
import type { Notifier } from './notifier.js';
import { snapshotOffset, tailOffset } from './offsets.js';
import { parseShapeRequest, ShapeRequestError, type ShapeRequest } from './request.js';
import {
  CHUNK_ROWS,
  SnapshotCache,
  takeSnapshot,
  type Snapshot,
  type SnapshotChunk,
} from './snapshot.js';

class Unauthorized extends Error {}

export interface ShapeFeedOptions {
  longPollMs: number;
}

export class ShapeFeed {
  private readonly cache = new SnapshotCache();
  private cursor = Date.now();
  /** Snapshots still being read (their transactions end before the database closes). */
  private readonly reading = new Map<Snapshot, Promise<void>>();

  constructor(
    private readonly db: Database,
    private readonly model: Model,
    private readonly handles: ShapeHandles,
    private readonly notifier: Notifier,
    private readonly options: ShapeFeedOptions,
    private readonly auth: Auth,
  ) {}

  async rotate(table?: string): Promise<void> {
    const tables = table === undefined ? [...this.model.tables.keys()] : [table];
    if (table !== undefined && !this.model.tables.has(table))
      throw new Error(`rotateShapes: unknown table "${table}"`);
    await this.handles.rotate(tables);
    this.cache.clear();
    // Wake long-polls so that they notice their handle is gone and answer 409 at once.
    for (const t of tables) this.notifier.bump(t);
  }

  /** Stops reading unfinished snapshots and waits until their transactions have ended. */
  async close(): Promise<void> {
    for (const s of this.reading.keys()) s.abandoned = true;
    await Promise.all(this.reading.values());
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    let shape: ShapeRequest;
    try {
      const list = (t: TableModel) => entityOperation(this.model.ir, t.entity, 'list');
      shape = parseShapeRequest(this.model, url.searchParams, (t) => {
        // The same token, and the same view, as REST's list operation of the entity.
        const who = this.auth.authenticate(
          req.headers,
          url.searchParams,
          (list(t)?.security.length ?? 0) > 0,
        );
        if (who.kind === 'unauthorized') throw new Unauthorized(who.message);
        const p = who.principal;
        const known = who.token !== null;
        const ownerOnly = ownerOnlyColumns(t);
        const scoped = this.auth.enforced || known;
        return {
          readable: this.auth.readable(t, p),
          hidesOwnerOnly:
            ownerOnly.size === 0 ? null : (row) => this.auth.hidesOwnerOnly(t, p, known, row),
          ownerOnly,
          key: scoped ? JSON.stringify([p.id, [...p.roles].sort()]) : '',
        };
      });
    } catch (error) {
      if (error instanceof ShapeRequestError)
        return sendError(res, 400, 'bad_request', error.message);
      if (error instanceof Unauthorized) {
        res.setHeader('www-authenticate', 'Bearer');
        return sendError(res, 401, 'unauthorized', error.message);
      }
      throw error;
    }
    const handle = (): string =>
      this.handles.handleFor(shape.table.table, shape.table.fingerprint, shape.definition);
    const send = (
      status: number,
      messages: ShapeMessage[] | string,
      offset: string,
      upToDate: boolean,
    ): void => {
      const headers: Record<string, string> = {
        ...corsHeaders(req),
        'electric-handle': handle(),
        'electric-offset': offset,
        // A fresh cursor per response: the client echoes it, and a repeated one would make a
        // new stream for the same shape suppress its first up-to-date (client "replay mode").
        'electric-cursor': String(++this.cursor),
      };
      if (!shape.live) headers['electric-schema'] = schemaHeader(shape);
      if (upToDate) headers['electric-up-to-date'] = 'true';
      sendText(
        res,
        status,
        typeof messages === 'string' ? messages : JSON.stringify(messages),
        headers,
      );
    };
    const mustRefetch = (): void => {
      sendText(res, 409, JSON.stringify([MUST_REFETCH]), {
        ...corsHeaders(req),
        'electric-handle': handle(),
      });
    };

    const off = shape.offset;
    if (off.kind === 'initial') {
      const { snapshot, done } = await takeSnapshot(this.db, shape);
      this.reading.set(snapshot, done);
      void done.then(() => this.reading.delete(snapshot));
      const first = await snapshot.chunk(0);
      if (first === undefined) throw new Error('snapshot: no first chunk');
      if (!first.last) this.cache.put(handle(), snapshot);
      return this.sendChunk(send, snapshot, first, 0);
    }
    if (off.kind === 'now') {
      const [row] = await this.db.query<{ seq: string }>(
        `SELECT coalesce(max("seq"), 1)::text AS seq FROM "_sync_changes"`,
      );
      return send(200, [UP_TO_DATE], tailOffset(BigInt(row?.seq ?? '1')), true);
    }
    if (shape.handle !== handle()) return mustRefetch();
    if (off.kind === 'snapshot') {
      const snap = this.cache.get(shape.handle, off.snapshotSeq);
      const chunk = await snap?.chunk(off.chunk);
      // Rotated while the chunk was read: its answer would carry the new handle.
      if (snap === undefined || chunk === undefined || shape.handle !== handle())
        return mustRefetch();
      return this.sendChunk(send, snap, chunk, off.chunk);
    }
    // Tail: catch up, or long-poll until something for this shape commits.
    let after = off.seq;
    const deadline = Date.now() + this.options.longPollMs;
    for (;;) {
      const seen = this.notifier.version(shape.table.table);
      const entries = await this.readLog(shape.table.table, after);
      // Rotated while the log was read: answering would hand the client the new handle (every
      // response names the current one) with changes of the old log, and no must-refetch.
      if (shape.handle !== handle()) return mustRefetch();
      const full = entries.length === CHUNK_ROWS;
      const last = entries[entries.length - 1];
      if (last !== undefined) after = BigInt(last.seq);
      const messages: ShapeMessage[] = changeMessages(shape, entries);
      if (messages.length > 0 || full || !shape.live) {
        if (!full) messages.push(UP_TO_DATE);
        return send(200, messages, tailOffset(after), !full);
      }
      const remaining = deadline - Date.now();
      const reason =
        remaining <= 0 ? 'timeout' : await this.notifier.wait(shape.table.table, seen, remaining);
      if (req.destroyed) return;
      if (reason !== 'changed') return send(200, [UP_TO_DATE], tailOffset(after), true);
      if (shape.handle !== handle()) return mustRefetch();
    }
  }

  private sendChunk(
    send: (status: number, body: string, offset: string, upToDate: boolean) => void,
    snap: Snapshot,
    { text: chunk, last }: SnapshotChunk,
    k: number,
  ): void {
    if (!last) return send(200, `[${chunk}]`, snapshotOffset(snap.seq, k + 1), false);
    const end = JSON.stringify({
      headers: { control: 'snapshot-end', xmin: snap.xmin, xmax: snap.xmax, xip_list: snap.xip },
    });
    const body = `[${chunk}${chunk === '' ? '' : ','}${end},${JSON.stringify(UP_TO_DATE)}]`;
    send(200, body, tailOffset(snap.seq), true);
  }

  private async readLog(table: string, after: bigint): Promise<LogEntry[]> {
    return this.db.query<LogEntry>(
      // Qualified: a bare ORDER BY "seq" would sort by the text alias ('10' < '7').
      `SELECT c."seq"::text AS seq, c."op", c."pk", c."row", c."old", (c."txid"::xid)::text AS txid
         FROM "_sync_changes" AS c WHERE c."tbl" = $1 AND c."seq" > $2::int8 ORDER BY c."seq" LIMIT ${CHUNK_ROWS}`,
      [table, after.toString()],
    );
  }
}
