/**
 * `sync-patterns check-backend`: runs the backend contract (docs/backend-contract.md) against a
 * running API and, with `--shapes`, its Electric shape feed. For every live entity it creates,
 * updates and deletes a row with idempotency keys, replays each write, follows the shape to see
 * the answered txid arrive with the change, and checks 404, 422, method override and the headers
 * the outbox sends. One PASS / FAIL / WARN / SKIP line per check.
 *
 * It writes rows (and deletes them again): run it against a development or staging backend.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Entity, EntityRole, Operation, SyncIR } from '@sync/core';
import { ShapeError, ShapeFollower, type ChangeSeen } from './shape.js';
import {
  changedValue,
  newMarker,
  objectDecl,
  requiredObject,
  sendable,
  type Json,
} from './values.js';

export interface CheckBackendOptions {
  ir: SyncIR;
  /** Base URL of the API (the spec's paths are appended). */
  apiUrl: string;
  /** The shape endpoint (`…/v1/shape`), or null to skip the shape checks. */
  shapesUrl: string | null;
  token: string | null;
  /** How long to wait for a change on the shape, and for an HTTP answer (ms). */
  timeoutMs: number;
  /** Quiet window after a replay in which no further change may arrive (ms). */
  settleMs: number;
  out: (line: string) => void;
}

export interface CheckSummary {
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
  txid: string | null;
}

const ORIGIN = 'http://localhost:5173';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function txidOf(headers: Headers, body: unknown): string | null {
  const h = headers.get('x-sync-txid');
  if (h !== null && h.trim() !== '') return h.trim();
  if (isRecord(body) && (typeof body.txid === 'number' || typeof body.txid === 'string'))
    return String(body.txid);
  return null;
}

function brief(text: string): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > 160 ? `${one.slice(0, 157)}...` : one;
}

/** A fresh primary key value that no row has. */
function missingKey(e: Entity): string {
  const storage = e.primaryKey?.storage;
  return storage === 'int32' || storage === 'int64' ? '2147480001' : randomUUID();
}

export class BackendChecker {
  private readonly summary: CheckSummary = { passed: 0, failed: 0, warnings: 0, skipped: 0 };
  private readonly cleanup: (() => Promise<unknown>)[] = [];

  constructor(private readonly o: CheckBackendOptions) {}

  async run(): Promise<CheckSummary> {
    const live = this.o.ir.entities.filter((e) => e.sync.mode === 'live');
    if (live.length === 0) {
      this.line('FAIL', 'spec', 'declares no live entity (x-sync: live): nothing to check');
      return this.summary;
    }
    const health = await this.reachable();
    if (!health) return this.summary;
    await checkPreflight(this.o, (kind, text) => this.line(kind, 'api', text));
    for (const e of live) {
      try {
        await this.entity(e);
      } catch (error) {
        this.line('FAIL', e.table, `stopped: ${(error as Error).message}`);
      }
    }
    for (const undo of this.cleanup.reverse()) await undo().catch(() => undefined);
    return this.summary;
  }

  // ----- output -----

  private line(kind: 'PASS' | 'FAIL' | 'WARN' | 'SKIP', subject: string, text: string): void {
    if (kind === 'PASS') this.summary.passed += 1;
    else if (kind === 'FAIL') this.summary.failed += 1;
    else if (kind === 'WARN') this.summary.warnings += 1;
    else this.summary.skipped += 1;
    this.o.out(`${kind} ${subject}: ${text}`);
  }

  private check(subject: string, ok: boolean, what: string, why: string): boolean {
    this.line(ok ? 'PASS' : 'FAIL', subject, ok ? what : `${what} — ${why}`);
    return ok;
  }

  // ----- HTTP -----

  private op(name: string | undefined): Operation | null {
    if (name === undefined) return null;
    return this.o.ir.operations.find((op) => op.name === name) ?? null;
  }

  private url(op: Operation, params: Record<string, string>): string {
    const path = op.path.replace(/\{([^}]+)\}/g, (_, p: string) =>
      encodeURIComponent(params[p] ?? `missing-${p}`),
    );
    return `${this.o.apiUrl.replace(/\/+$/, '')}${path}`;
  }

  private async send(
    op: Operation,
    params: Record<string, string>,
    body: Json | undefined,
    key: string | null,
    extra: Record<string, string> = {},
    method: string = op.method.toUpperCase(),
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra };
    if (key !== null) headers['idempotency-key'] = key;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.o.token !== null) headers.authorization = `Bearer ${this.o.token}`;
    const res = await fetch(this.url(op, params), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(this.o.timeoutMs),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    return {
      status: res.status,
      headers: res.headers,
      text,
      json,
      txid: txidOf(res.headers, json),
    };
  }

  private async reachable(): Promise<boolean> {
    try {
      await fetch(this.o.apiUrl, { signal: AbortSignal.timeout(this.o.timeoutMs) });
      return true;
    } catch (error) {
      const cause = (error as { cause?: { message?: string } }).cause?.message;
      this.line(
        'FAIL',
        'api',
        `${this.o.apiUrl} is not reachable (${cause ?? (error as Error).message}); start the backend or fix --url`,
      );
      return false;
    }
  }

  // ----- rows and parents -----

  /** Path parameter values for `e`'s collection: creates the parent row of a nested resource. */
  private async parentParams(e: Entity, depth = 0): Promise<Record<string, string> | null> {
    if (e.parent === null) return {};
    const parent = this.o.ir.entities.find((p) => p.name === e.parent?.entity);
    if (parent === undefined || depth > 3) {
      this.line('SKIP', e.table, `cannot create a parent row for ${e.parent.param}`);
      return null;
    }
    const created = await this.createRow(parent, depth + 1);
    if (created === null) {
      this.line('SKIP', e.table, `the parent ${parent.table} row could not be created`);
      return null;
    }
    return { [e.parent.param]: created };
  }

  /** Creates a helper row (not itself checked) and schedules its deletion. Returns its key. */
  private async createRow(e: Entity, depth: number): Promise<string | null> {
    const create = this.op(e.operations.create);
    const d = objectDecl(this.o.ir, create?.requestBody?.type);
    const pk = e.primaryKey?.field;
    if (!create || !d || !pk) return null;
    const params = await this.parentParams(e, depth);
    if (params === null) return null;
    const r = await this.send(
      create,
      params,
      requiredObject(this.o.ir, d, newMarker()),
      randomUUID(),
    );
    const id = isRecord(r.json) ? r.json[pk] : undefined;
    if (r.status >= 300 || id === undefined || id === null) return null;
    const del = this.op(e.operations.delete);
    if (del) {
      const itemParams = { ...params, ...this.itemParam(del, String(id)) };
      this.cleanup.push(() => this.send(del, itemParams, undefined, randomUUID()));
    }
    return String(id);
  }

  /** The path parameter naming the item: the last one in the item path. */
  private itemParam(op: Operation, id: string): Record<string, string> {
    const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
    const last = names[names.length - 1];
    return last === undefined ? {} : { [last]: id };
  }

  // ----- the checks of one entity -----

  private async entity(e: Entity): Promise<void> {
    const T = e.table;
    const pk = e.primaryKey?.field;
    const create = this.op(e.operations.create);
    const createDecl = objectDecl(this.o.ir, create?.requestBody?.type);
    if (!pk || !create || !createDecl) {
      this.line('SKIP', T, 'no create operation with a JSON object body: nothing to check');
      return;
    }
    const shape = await this.startShape(e, pk);
    const params = await this.parentParams(e);
    if (params === null) return;
    const marker = newMarker();
    const body = requiredObject(this.o.ir, createDecl, marker);

    // --- create, with the outbox's headers (and an Origin, as a browser sends) ---
    const k1 = randomUUID();
    const c1 = await this.send(create, params, body, k1, { origin: ORIGIN });
    const id = isRecord(c1.json) ? c1.json[pk] : undefined;
    const created = c1.status >= 200 && c1.status < 300 && id !== undefined && id !== null;
    this.check(
      T,
      created && c1.txid !== null,
      `create (${create.method.toUpperCase()} ${create.path}) answers 2xx with the row and an x-sync-txid`,
      !created
        ? `answered ${c1.status}: ${brief(c1.text)}`
        : 'no x-sync-txid header (nor a top-level txid in the body): live clients cannot reconcile',
    );
    if (!created) return;
    const rowId = String(id);
    const item = (op: Operation): Record<string, string> => ({
      ...params,
      ...this.itemParam(op, rowId),
    });
    this.cleanup.push(async () => {
      const del = this.op(e.operations.delete);
      if (del) await this.send(del, item(del), undefined, randomUUID());
    });
    this.corsExposes(T, c1);
    const afterCreate = await this.txidOnShape(T, shape, 'create', 'insert', rowId, c1.txid);

    // --- replay of the create ---
    const c2 = await this.send(create, params, body, k1);
    this.sameAnswer(T, 'create', c1, c2);
    await this.writesOnce(T, shape, 'create', afterCreate);
    if (shape === null) await this.countByList(e, params, createDecl.fields, marker);

    // --- a key reused for another operation ---
    const update = this.op(e.operations.update) ?? this.op(e.operations.replace);
    if (update) {
      const r = await this.send(update, item(update), {}, k1);
      this.check(
        T,
        r.status === 422,
        `the create's Idempotency-Key reused for ${update.method.toUpperCase()} ${update.path} is answered 422`,
        `answered ${r.status}: ${brief(r.text)}`,
      );
    }

    // --- 422 on an invalid body ---
    await this.invalidCreate(
      T,
      create,
      params,
      createDecl.fields.some((f) => f.required && sendable(f)),
    );

    // --- update, replay, method override ---
    if (update) await this.updates(e, update, item(update), rowId, body, shape);
    else this.line('SKIP', T, 'no update operation');

    // --- 404 on a missing row ---
    await this.missing(e, params);

    // --- delete and its replay ---
    const del = this.op(e.operations.delete);
    if (!del) {
      this.line('SKIP', T, 'no delete operation');
      return;
    }
    const k4 = randomUUID();
    const d1 = await this.send(del, item(del), undefined, k4);
    this.check(
      T,
      d1.status >= 200 && d1.status < 300 && d1.txid !== null,
      `delete (${del.method.toUpperCase()} ${del.path}) answers 2xx with an x-sync-txid`,
      d1.status >= 300 ? `answered ${d1.status}: ${brief(d1.text)}` : 'no x-sync-txid',
    );
    const afterDelete = await this.txidOnShape(T, shape, 'delete', 'delete', rowId, d1.txid);
    const d2 = await this.send(del, item(del), undefined, k4);
    this.sameAnswer(T, 'delete', d1, d2);
    await this.writesOnce(T, shape, 'delete', afterDelete);
    const get = this.op(e.operations.get);
    if (get) {
      const g = await this.send(get, item(get), undefined, null);
      this.check(T, g.status === 404, 'the deleted row answers 404', `GET answered ${g.status}`);
    }
  }

  private async startShape(e: Entity, pk: string): Promise<ShapeFollower | null> {
    if (this.o.shapesUrl === null) {
      this.line('SKIP', e.table, 'txid on the shape feed (no --shapes given)');
      return null;
    }
    const headers: Record<string, string> = {};
    if (this.o.token !== null) headers.authorization = `Bearer ${this.o.token}`;
    const f = new ShapeFollower(this.o.shapesUrl, e.table, pk, headers);
    try {
      await f.start(this.o.timeoutMs);
      return f;
    } catch (error) {
      const why = error instanceof ShapeError ? error.message : String(error);
      this.line('FAIL', e.table, `the shape feed (table=${e.table}) cannot be followed — ${why}`);
      return null;
    }
  }

  /** Waits for `operation` of `rowId` on the shape; checks its txids hold `txid`. Returns the
   * index after the change (for {@link writesOnce}), or null without a shape. */
  private async txidOnShape(
    T: string,
    shape: ShapeFollower | null,
    what: string,
    operation: string,
    rowId: string,
    txid: string | null,
  ): Promise<number | null> {
    if (shape === null || txid === null) return null;
    const isIt = (c: ChangeSeen) => c.pk === rowId && c.operation === operation;
    const seen = await shape.waitFor(isIt, this.o.timeoutMs);
    const ok = seen !== null && seen.txids.includes(txid);
    this.check(
      T,
      ok,
      `the ${what}'s txid ${txid} arrives on the shape with the ${operation} of ${rowId}`,
      seen === null
        ? `no ${operation} of ${rowId} on the shape within ${this.o.timeoutMs} ms`
        : `the ${operation} arrived with txids [${seen.txids.join(', ')}]: the txid was not read in the writing transaction (SELECT pg_current_xact_id()::xid::text after the write, before COMMIT)`,
    );
    return seen === null ? shape.changes.length : shape.changes.indexOf(seen) + 1;
  }

  private sameAnswer(T: string, what: string, first: Answer, again: Answer): void {
    const problems: string[] = [];
    if (again.status !== first.status)
      problems.push(`status ${again.status}, first ${first.status}`);
    if (!isDeepStrictEqual(again.json, first.json))
      problems.push(`body ${brief(again.text)}, first ${brief(first.text)}`);
    if (again.txid !== first.txid) problems.push(`txid ${again.txid}, first ${first.txid}`);
    this.check(
      T,
      problems.length === 0,
      `a replayed ${what} (same Idempotency-Key) answers the first result: status, body and txid`,
      `the replay answered ${problems.join('; ')}`,
    );
  }

  /** After a replay, no further change may arrive on the shape within the quiet window. */
  private async writesOnce(
    T: string,
    shape: ShapeFollower | null,
    what: string,
    mark: number | null,
  ): Promise<void> {
    if (shape === null || mark === null) return;
    const extra = await shape.settle(mark, this.o.settleMs);
    this.check(
      T,
      extra.length === 0,
      `a replayed ${what} writes nothing (no change on the shape within ${this.o.settleMs} ms)`,
      `the replay wrote again: ${extra
        .slice(0, 3)
        .map((c) => `${c.operation} of ${c.pk ?? '?'} (txids [${c.txids.join(', ')}])`)
        .join(', ')}`,
    );
  }

  /** Without a shape feed: the list must hold exactly one row carrying this run's marker. */
  private async countByList(
    e: Entity,
    params: Record<string, string>,
    fields: { wireName: string }[],
    marker: string,
  ): Promise<void> {
    const list = this.op(e.operations.list);
    if (!list) return;
    const r = await this.send(list, params, undefined, null);
    const rows = Array.isArray(r.json)
      ? r.json
      : e.list?.shape === 'wrapped' && isRecord(r.json)
        ? r.json[e.list.itemsProperty]
        : null;
    if (!Array.isArray(rows)) {
      this.line(
        'SKIP',
        e.table,
        'a replayed create writes once (the list answer has no rows array)',
      );
      return;
    }
    const mine = rows.filter(
      (row) =>
        isRecord(row) &&
        fields.some(
          (f) => typeof row[f.wireName] === 'string' && String(row[f.wireName]).includes(marker),
        ),
    );
    this.check(
      e.table,
      mine.length === 1,
      "a replayed create writes once (one row with this run's values in the list)",
      `the list holds ${mine.length} such rows`,
    );
  }

  private async invalidCreate(
    T: string,
    create: Operation,
    params: Record<string, string>,
    hasRequired: boolean,
  ): Promise<void> {
    // Missing every required field, or (without required fields) not an object at all.
    const r = await this.send(create, params, hasRequired ? {} : [], randomUUID());
    const refused = r.status === 422 || r.status === 400;
    this.check(
      T,
      refused,
      `an invalid create body is answered 422 (or 400)`,
      `answered ${r.status}: ${brief(r.text)}`,
    );
    if (!refused) return;
    const fields = isRecord(r.json) ? r.json.fields : undefined;
    const listed =
      Array.isArray(fields) &&
      fields.length > 0 &&
      fields.every(
        (f) => isRecord(f) && typeof f.field === 'string' && typeof f.message === 'string',
      );
    if (listed) this.line('PASS', T, 'the 422 lists each problem as {field, message}');
    else
      this.line(
        'WARN',
        T,
        `the 422 body has no "fields": [{field, message}] list, so clients show one message instead of per-field errors (${brief(r.text)})`,
      );
  }

  private async updates(
    e: Entity,
    update: Operation,
    params: Record<string, string>,
    rowId: string,
    createBody: Json,
    shape: ShapeFollower | null,
  ): Promise<void> {
    const T = e.table;
    const d = objectDecl(this.o.ir, update.requestBody?.type);
    const marker = newMarker();
    const candidates = (d?.fields ?? []).filter(sendable);
    const pick =
      candidates.find((f) => f.type.kind === 'scalar' && f.type.scalar === 'string') ??
      candidates.find((f) => changedValue(this.o.ir, f, marker, undefined) !== null);
    const value = pick ? changedValue(this.o.ir, pick, marker, undefined) : null;
    if (!pick || value === null) {
      this.line('SKIP', T, 'update: no field the checker can change');
      return;
    }
    const body: Json =
      update.method === 'put' && isRecord(createBody)
        ? { ...createBody, [pick.wireName]: value }
        : { [pick.wireName]: value };
    const k2 = randomUUID();
    const u1 = await this.send(update, params, body, k2);
    const applied = isRecord(u1.json) && isDeepStrictEqual(u1.json[pick.wireName], value);
    this.check(
      T,
      u1.status >= 200 && u1.status < 300 && u1.txid !== null && (u1.status === 204 || applied),
      `update (${update.method.toUpperCase()} ${update.path}) answers 2xx with the changed row and an x-sync-txid`,
      u1.status >= 300
        ? `answered ${u1.status}: ${brief(u1.text)}`
        : u1.txid === null
          ? 'no x-sync-txid'
          : `${pick.wireName} in the answer is not the value sent (${brief(u1.text)})`,
    );
    const afterUpdate = await this.txidOnShape(T, shape, 'update', 'update', rowId, u1.txid);
    const u2 = await this.send(update, params, body, k2);
    this.sameAnswer(T, 'update', u1, u2);
    await this.writesOnce(T, shape, 'update', afterUpdate);

    // Outbox header: the Kotlin runtime's JDK transport sends PATCH/PUT as POST + override.
    if (update.method === 'patch' || update.method === 'put') {
      const again = changedValue(this.o.ir, pick, newMarker(), value);
      const overBody: Json =
        update.method === 'put' && isRecord(createBody)
          ? { ...createBody, [pick.wireName]: again }
          : { [pick.wireName]: again };
      const o = await this.send(
        update,
        params,
        overBody,
        randomUUID(),
        { 'x-http-method-override': update.method.toUpperCase() },
        'POST',
      );
      const ok =
        o.status >= 200 &&
        o.status < 300 &&
        (o.status === 204 || (isRecord(o.json) && isDeepStrictEqual(o.json[pick.wireName], again)));
      this.check(
        T,
        ok,
        `POST with X-HTTP-Method-Override: ${update.method.toUpperCase()} is handled as ${update.method.toUpperCase()}`,
        `answered ${o.status}: ${brief(o.text)}`,
      );
      if (shape !== null && o.txid !== null)
        await shape.waitFor(
          (c) => c.pk === rowId && c.txids.includes(o.txid ?? ''),
          this.o.timeoutMs,
        );
    }
  }

  private async missing(e: Entity, params: Record<string, string>): Promise<void> {
    const roles: EntityRole[] = ['get', 'update', 'replace', 'delete'];
    const absent = missingKey(e);
    for (const role of roles) {
      const op = this.op(e.operations[role]);
      if (!op) continue;
      const d = objectDecl(this.o.ir, op.requestBody?.type);
      const body: Json | undefined = op.requestBody
        ? d
          ? role === 'replace'
            ? requiredObject(this.o.ir, d, newMarker())
            : {}
          : {}
        : undefined;
      const r = await this.send(
        op,
        { ...params, ...this.itemParam(op, absent) },
        body,
        op.method === 'get' ? null : randomUUID(),
      );
      this.check(
        e.table,
        r.status === 404,
        `${op.method.toUpperCase()} ${op.path} on a missing row answers 404`,
        `answered ${r.status}: ${brief(r.text)}`,
      );
    }
  }

  /** With CORS on, browsers only read x-sync-txid when it is exposed. */
  private corsExposes(T: string, r: Answer): void {
    const allow = r.headers.get('access-control-allow-origin');
    if (allow === null) {
      this.line(
        'SKIP',
        T,
        'CORS: the API sends no access-control-allow-origin (same-origin apps only)',
      );
      return;
    }
    const exposed = (r.headers.get('access-control-expose-headers') ?? '')
      .split(',')
      .map((h) => h.trim().toLowerCase());
    this.check(
      T,
      exposed.includes('x-sync-txid') || exposed.includes('*'),
      'CORS: x-sync-txid is exposed to browsers (access-control-expose-headers)',
      'a browser client cannot read x-sync-txid: add it to access-control-expose-headers',
    );
  }
}

/** The CORS preflight of a write with the outbox's headers must allow them. */
export async function checkPreflight(
  o: CheckBackendOptions,
  out: (kind: 'PASS' | 'FAIL' | 'SKIP', text: string) => void,
): Promise<void> {
  const op = o.ir.operations.find(
    (x) => x.entity !== null && x.entity.role === 'create' && x.sync.mode === 'live',
  );
  if (!op) return;
  const url = `${o.apiUrl.replace(/\/+$/, '')}${op.path.replace(/\{[^}]+\}/g, randomUUID())}`;
  const wanted = ['content-type', 'idempotency-key', 'authorization'];
  const res = await fetch(url, {
    method: 'OPTIONS',
    headers: {
      origin: ORIGIN,
      'access-control-request-method': op.method.toUpperCase(),
      'access-control-request-headers': wanted.join(','),
    },
    signal: AbortSignal.timeout(o.timeoutMs),
  });
  await res.text();
  if (res.headers.get('access-control-allow-origin') === null) {
    out(
      'SKIP',
      'CORS preflight: not answered with access-control-allow-origin (same-origin apps only)',
    );
    return;
  }
  const allowed = (res.headers.get('access-control-allow-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const missing = wanted.filter((h) => !allowed.includes(h) && !allowed.includes('*'));
  if (missing.length === 0)
    out('PASS', `CORS preflight allows the outbox's headers (${wanted.join(', ')})`);
  else
    out(
      'FAIL',
      `CORS preflight allows the outbox's headers — missing from access-control-allow-headers: ${missing.join(', ')}`,
    );
}
