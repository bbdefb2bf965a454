/**
 * Dispatches one REST request: route → parameter and body validation → entity handler, or a
 * deterministic example for non-entity GET operations. Maps failures to the dev server's error
 * bodies: 422 (or 400 when that is what the spec declares) for validation, 409 for a duplicate
 * key, 404 for missing rows and 501 for operations it cannot simulate.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { JsonValue, Operation, TypeRef } from '@sync/core';
import { own, put } from '../util/json.js';
import type { Auth } from '../auth/auth.js';
import type { Model, TableModel } from '../schema/model.js';
import {
  EntityHandlers,
  Forbidden,
  ValidationFailed,
  type EntityRequest,
  type Reply,
} from './entity.js';
import { WriteGroups } from './group.js';
import { itemKey } from './request.js';
import { exampleFor } from './example.js';
import { parseParams } from './params.js';
import type { Router, RouteMatch } from './router.js';
import { DuplicateKey, IdempotencyMismatch } from './write.js';
import type { Database } from '../db/database.js';
import {
  parseBatch,
  runBatchWrites,
  subRequest,
  type BatchResult,
  type WriteItem,
} from './batch.js';
import { validate, type Problem } from './validate.js';

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: JsonValue | undefined;
}

/** Longest Idempotency-Key accepted (keys are stored in an indexed column). */
export const MAX_IDEMPOTENCY_KEY = 255;

function validationStatus(op: Operation): number {
  const declared = new Set(op.responses.map((r) => r.status));
  return declared.has('400') && !declared.has('422') ? 400 : 422;
}

function validationReply(op: Operation, problems: Problem[]): Reply {
  const message = `${problems.length} problem${problems.length === 1 ? '' : 's'}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`;
  return {
    status: validationStatus(op),
    body: {
      error: 'validation_failed',
      message,
      fields: problems.map((p) => ({ field: p.field, message: p.message })),
    },
  };
}

/** The declared response for a status: exact, then `4XX`-style ranges, then `default`. */
function declaredResponse(op: Operation, status: number) {
  return (
    op.responses.find((r) => r.status === String(status)) ??
    op.responses.find((r) => r.status.toUpperCase() === `${String(status)[0]}XX`) ??
    op.responses.find((r) => r.status === 'default')
  );
}

const MESSAGE_FIELDS = new Set(['message', 'msg', 'detail', 'error', 'description', 'title']);

/**
 * An error reply in the shape the operation declares for its status, when it declares one and
 * the dev server's `{error, message, fields}` does not fit it (FastAPI's `{detail: [{loc, msg,
 * type}]}`, OpenAI's `{error: {message, type, …}}`…): a schema-valid body with the message (and
 * each problem) in the fields whose names say so. The dev server's own body is kept otherwise.
 */
function conformError(schemas: Model['schemas'], op: Operation, reply: Reply): Reply {
  const type = declaredResponse(op, reply.status)?.type;
  if (type === null || type === undefined || reply.body === undefined) return reply;
  const ctx = { schemas, direction: 'response' as const };
  const probe: Problem[] = [];
  validate(ctx, type, reply.body, '$', probe);
  if (probe.length === 0) return reply;
  const ours = reply.body as { message?: string; fields?: { field: string; message: string }[] };
  const message = ours.message ?? 'request refused';
  const fill = (t: TypeRef, v: JsonValue, depth: number): JsonValue => {
    if (depth > 4 || typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const decl = t.kind === 'ref' ? schemas.get(t.name) : undefined;
    if (decl?.kind !== 'object') return v;
    for (const f of decl.fields) {
      const cur = own(v, f.wireName);
      if (cur === undefined) continue;
      const isString = typeof cur === 'string';
      if (isString && MESSAGE_FIELDS.has(f.wireName)) put(v, f.wireName, message);
      else if (isString && f.wireName === 'type') put(v, f.wireName, 'invalid_request_error');
      else if (Array.isArray(cur) && f.type.kind === 'array' && (ours.fields?.length ?? 0) > 0) {
        const items = f.type.items;
        put(
          v,
          f.wireName,
          (ours.fields ?? []).map((p) => {
            const item = fill(items, exampleFor(schemas, items), depth + 1);
            if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
            if (own(item, 'loc') !== undefined)
              put<JsonValue>(item, 'loc', p.field.split(/[.[\]]/).filter(Boolean));
            if (own(item, 'msg') !== undefined) put<JsonValue>(item, 'msg', p.message);
            if (own(item, 'message') !== undefined) put<JsonValue>(item, 'message', p.message);
            return item;
          }),
        );
      } else if (typeof cur === 'object' && cur !== null)
        put(v, f.wireName, fill(f.type, cur, depth + 1));
    }
    return v;
  };
  const body = fill(type, exampleFor(schemas, type), 0);
  const check: Problem[] = [];
  validate(ctx, type, body, '$', check);
  return check.length === 0 ? { ...reply, body } : reply;
}

/** The batch write operation (`x-sync-batch`) and what it needs to run writes in one transaction. */
export interface BatchConfig {
  /** `Operation.name` of the batch operation (the IR's `batch.operation`). */
  operation: string;
  db: Database;
  /** Called per written table after the batch committed (wakes the shape feed). */
  onCommit: (table: string) => void;
}

/** Group commit of single writes (rest/group.ts): the database and the commit callback. */
export interface WriteConfig {
  db: Database;
  /** Called per written table after a group committed (wakes the shape feed). */
  onCommit: (table: string) => void;
}

export class Api {
  constructor(
    private readonly model: Model,
    private readonly router: Router,
    private readonly entities: EntityHandlers,
    private readonly auth: Auth,
    private readonly batch: BatchConfig | null = null,
    writes: WriteConfig | null = null,
  ) {
    this.groups =
      writes === null ? null : new WriteGroups<GroupedWrite>((take) => this.runGroup(writes, take));
  }

  /** Single entity writes run in groups (rest/group.ts); null: one transaction each. */
  private readonly groups: WriteGroups<GroupedWrite> | null;

  async handle(req: ApiRequest): Promise<Reply> {
    const m = this.router.match(req.method, req.path);
    const reply = await this.dispatch(req, m);
    return m.kind === 'found' && reply.status >= 400
      ? conformError(this.model.schemas, m.op, reply)
      : reply;
  }

  /**
   * `x-sync-batch` (rest/batch.ts): every write as its entity request, in order, in one
   * transaction; stops after the first retryable answer (5xx, 429).
   */
  private async runBatch(batch: BatchConfig, req: ApiRequest): Promise<Reply> {
    const writes = parseBatch(req.body);
    if (!Array.isArray(writes)) return writes;
    const touched = new Set<string>();
    const touch = (t: string) => void touched.add(t);
    const replies = await runBatchWrites(
      batch.db,
      writes,
      async (w, q) => {
        const inner = new Api(
          this.model,
          this.router,
          new EntityHandlers(q, this.model, touch, this.auth),
          this.auth,
        );
        const sub = await subRequest(this.model, q, w, req.headers);
        return 'status' in sub ? sub : inner.handle(sub);
      },
      { bulk: (w) => this.bulkInsertable(w.table) },
    );
    for (const t of touched) batch.onCommit(t);
    const results: BatchResult[] = replies.map((reply, i) => {
      const txid = reply.headers?.['x-sync-txid'];
      return {
        write_id: writes[i]!.write_id,
        status: reply.status,
        ...(txid !== undefined ? { txid } : {}),
        ...(reply.body !== undefined ? { body: reply.body } : {}),
      };
    });
    return { status: 200, body: { results } as unknown as JsonValue };
  }

  /**
   * Whether a batch may store the creates of `table` together (rest/batch.ts): not when the
   * entity is nested under itself (a create's parent check could read a row still waiting).
   */
  private bulkInsertable(table: string): boolean {
    const t = this.model.tables.get(table);
    const parent = t?.entity.parent?.entity;
    return (
      t !== undefined &&
      (parent === null || parent === undefined || this.model.byEntity.get(parent) !== t)
    );
  }

  private async dispatch(req: ApiRequest, m: RouteMatch): Promise<Reply> {
    if (m.kind === 'none')
      return {
        status: 404,
        body: { error: 'not_found', message: `no operation for ${req.method} ${req.path}` },
      };
    if (m.kind === 'method')
      return {
        status: 405,
        body: {
          error: 'method_not_allowed',
          message: `${req.method} is not declared for ${req.path}`,
        },
        headers: { allow: m.allow.join(', ') },
      };
    const op = m.op;
    const who = this.auth.authenticate(req.headers, req.query, op.security.length > 0);
    if (who.kind === 'unauthorized')
      return {
        status: 401,
        body: { error: 'unauthorized', message: who.message },
        headers: { 'www-authenticate': 'Bearer' },
      };
    const parsed = parseParams(this.model.schemas, op, m.params, req.query, req.headers);
    if (parsed.problems.length > 0) return validationReply(op, parsed.problems);
    if (this.batch !== null && op.name === this.batch.operation)
      return this.runBatch(this.batch, req);
    const entity = op.entity === null ? undefined : this.model.byEntity.get(op.entity.name);
    if (op.entity === null || entity === undefined) {
      if (op.method === 'get' || op.method === 'head') {
        const type = op.success?.type ?? null;
        const status = Number(/^2\d\d$/.test(op.success?.status ?? '') ? op.success?.status : 200);
        return type === null
          ? { status: status === 200 ? 204 : status }
          : { status, body: exampleFor(this.model.schemas, type) };
      }
      return {
        status: 501,
        body: {
          error: 'not_implemented',
          message: `the dev server does not simulate ${op.method.toUpperCase()} ${op.path} (not an entity operation)`,
        },
      };
    }
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string' && key.length > MAX_IDEMPOTENCY_KEY)
      return {
        status: 400,
        body: {
          error: 'bad_request',
          message: `Idempotency-Key is ${key.length} characters long; at most ${MAX_IDEMPOTENCY_KEY} are accepted (a uuid is 36)`,
          fields: [
            {
              field: 'header.Idempotency-Key',
              message: `longer than ${MAX_IDEMPOTENCY_KEY} characters`,
            },
          ],
        },
      };
    const request: EntityRequest = {
      op,
      role: op.entity.role,
      params: parsed.values,
      body: req.body,
      idempotencyKey: typeof key === 'string' && key !== '' ? key : null,
      path: req.path,
      principal: who.principal,
      authenticated: who.token !== null,
    };
    if (this.groups !== null && request.role !== 'list' && request.role !== 'get')
      return this.groups.submit(this.groupItem(entity, request));
    try {
      return await this.entities.handle(entity, request);
    } catch (error) {
      return this.entityError(op, entity, error);
    }
  }

  /** A single write as an item of a write group (rest/group.ts). */
  private groupItem(t: TableModel, req: EntityRequest): GroupedWrite {
    const body = req.body;
    const key =
      req.role === 'create'
        ? typeof body === 'object' && body !== null && !Array.isArray(body)
          ? (own(body, t.pk.name) ?? null)
          : null
        : itemKey(t, req);
    return {
      write_id: req.idempotencyKey,
      table: t.table,
      op: req.role === 'create' ? 'insert' : req.role === 'delete' ? 'delete' : 'update',
      key: typeof key === 'object' ? null : key,
      t,
      req,
    };
  }

  /** Runs a group of single writes in one transaction (rest/group.ts). */
  private async runGroup(config: WriteConfig, take: () => GroupedWrite[]): Promise<Reply[]> {
    const touched = new Set<string>();
    const touch = (t: string) => void touched.add(t);
    const replies = await runBatchWrites(
      config.db,
      take,
      async (w, q) => {
        try {
          return await new EntityHandlers(q, this.model, touch, this.auth).handle(w.t, w.req);
        } catch (error) {
          return this.entityError(w.req.op, w.t, error);
        }
      },
      { bulk: (w) => this.bulkInsertable(w.table), independent: true },
    );
    for (const t of touched) config.onCommit(t);
    return replies;
  }

  /** The answer to an error an entity handler threw (rethrows one that is not the request's fault). */
  private entityError(op: Operation, entity: TableModel, error: unknown): Reply {
    if (error instanceof ValidationFailed) return validationReply(op, error.problems);
    if (error instanceof Forbidden)
      return {
        status: 403,
        body: {
          error: 'forbidden',
          message: error.message,
          fields: error.fields.map((f) => ({
            field: `$.${f}`,
            message: 'your roles may not write this field',
          })),
        },
      };
    if (error instanceof IdempotencyMismatch)
      return validationReply(op, [{ field: 'header.Idempotency-Key', message: error.message }]);
    if (error instanceof DuplicateKey)
      return {
        status: 409,
        body: {
          error: 'conflict',
          message: `a ${entity.entity.name} with this key already exists`,
        },
      };
    const state =
      typeof error === 'object' && error !== null && 'code' in error
        ? String((error as { code: unknown }).code)
        : '';
    // Data errors Postgres raises after our validation (NOT NULL without a value, overflow):
    // the client's request is at fault, and retrying will not help.
    if (state === '23502' || state.startsWith('22'))
      return validationReply(op, [
        { field: '$', message: error instanceof Error ? error.message : String(error) },
      ]);
    throw error;
  }
}

/** A single write waiting in a write group. */
interface GroupedWrite extends WriteItem {
  t: TableModel;
  req: EntityRequest;
}
