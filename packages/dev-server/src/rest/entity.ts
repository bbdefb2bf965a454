/**
 * Entity writes (create, update, replace, delete) and the dispatch of every entity operation.
 * Bodies are validated before anything is written; each write goes through runWrite (one
 * transaction with its txid and Idempotency-Key) and answers with the operation's declared status.
 */
import type { JsonValue } from '@sync/core';
import type { Auth } from '../auth/auth.js';
import { sqlState, type Database, type Queryable, type SqlParam } from '../db/database.js';
import { objectDecl, type Model, type TableModel } from '../schema/model.js';
import { compareType, ident } from '../schema/sql.js';
import type { TextRow } from '../shape/where.js';
import { clientWritable, columnValues } from './columns.js';
import { updateTouches } from '../schema/server-set.js';
import { getRow, listRows } from './reads.js';
import {
  hasBody,
  itemKey,
  missingParent,
  notFound,
  parentValue,
  successStatus,
  ValidationFailed,
  type EntityRequest,
  type Reply,
} from './request.js';
import { own, put } from '../util/json.js';
import { exampleFor } from './example.js';
import { coerceForm, takeFormMark } from './form.js';
import { headerKey } from './params.js';
import { jsonToParam, rowToJson } from './values.js';
import { childPath, nulProblems, validate, type Problem } from './validate.js';
import { nestedOf, runWrite, type WriteOutcome } from './write.js';

export { ValidationFailed, type EntityRequest, type Reply } from './request.js';

/** A write to fields the caller's roles may not write (x-rbac): 403 naming them. */
export class Forbidden extends Error {
  constructor(readonly fields: string[]) {
    super(`your roles may not write ${fields.join(', ')}`);
  }
}

export class EntityHandlers {
  constructor(
    private readonly db: Database,
    private readonly model: Model,
    private readonly onCommit: (table: string) => void,
    private readonly auth: Auth,
  ) {}

  async handle(t: TableModel, req: EntityRequest): Promise<Reply> {
    switch (req.role) {
      case 'list':
        return listRows(this.db, this.model, t, req, this.auth);
      case 'get':
        return getRow(this.db, t, req, this.auth);
      default:
        return this.write(t, req);
    }
  }

  private checkBody(t: TableModel, req: EntityRequest): Record<string, JsonValue> {
    const problems: Problem[] = [];
    const rb = req.op.requestBody;
    const form = takeFormMark(req.body);
    if (rb === null) return {};
    const body =
      form && typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body)
        ? coerceForm(this.model.schemas, rb.type, req.body)
        : req.body;
    if (body === undefined) {
      if (rb.required)
        throw new ValidationFailed([{ field: '$', message: 'a JSON request body is required' }]);
      return {};
    }
    validate({ schemas: this.model.schemas, direction: 'request' }, rb.type, body, '$', problems);
    nulProblems(body, '$', problems);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      if (problems.length === 0) problems.push({ field: '$', message: 'must be an object' });
      throw new ValidationFailed(problems);
    }
    // A client-chosen primary key (not part of most create schemas) must still be well-formed.
    const pkValue = own(body, t.pk.name);
    const bodyDecl = rb.type.kind === 'ref' ? objectDecl(this.model, rb.type.name) : undefined;
    if (
      req.role === 'create' &&
      pkValue !== undefined &&
      bodyDecl?.fields.some((f) => f.wireName === t.pk.name) !== true
    ) {
      const scalar =
        t.pk.storage === 'uuid'
          ? 'uuid'
          : t.pk.storage === 'int32' || t.pk.storage === 'int64'
            ? t.pk.storage
            : 'string';
      validate(
        { schemas: this.model.schemas, direction: 'request' },
        { kind: 'scalar', scalar },
        pkValue,
        `$.${t.pk.name}`,
        problems,
      );
    }
    // A value the body schema allows but the item schema does not (a plain string body field
    // where the item declares an enum) would make every later response non-conforming: the
    // item schema's scalar and enum types apply to what is stored too.
    for (const c of t.columns) {
      const v = own(body, c.name);
      const f = c.field;
      const at = childPath('$', c.name);
      const role = req.role === 'create' ? 'create' : req.role === 'replace' ? 'replace' : 'update';
      if (
        v === undefined ||
        f === undefined ||
        !clientWritable(this.model, t, role, c) ||
        problems.some((p) => p.field.startsWith(at))
      )
        continue;
      const decl = f.type.kind === 'ref' ? this.model.schemas.get(f.type.name) : undefined;
      if (f.type.kind !== 'scalar' && f.type.kind !== 'literal' && decl?.kind !== 'enum') continue;
      const type =
        f.nullable && f.type.nullable !== true ? { ...f.type, nullable: true as const } : f.type;
      validate({ schemas: this.model.schemas, direction: 'request' }, type, v, at, problems);
    }
    if (problems.length > 0) throw new ValidationFailed(problems);
    return body;
  }

  private async write(t: TableModel, req: EntityRequest): Promise<Reply> {
    const body = req.role === 'delete' ? {} : this.checkBody(t, req);
    const forbidden = this.auth.forbiddenWrites(t, req.principal, body);
    if (forbidden.length > 0) throw new Forbidden(forbidden);
    const status = successStatus(req.op, req.role);
    const withBody = hasBody(req.op, status);
    const responseDecl =
      req.op.success?.type?.kind === 'ref'
        ? objectDecl(this.model, req.op.success.type.name)
        : undefined;
    const wantsTxid = responseDecl?.fields.some((f) => f.wireName === 'txid') === true;
    const result = await this.locateDataErrors(t, req, body, () =>
      runWrite(
        this.db,
        req.idempotencyKey,
        req.op.method.toUpperCase(),
        req.path,
        async (tx): Promise<WriteOutcome & { txid?: string }> => {
          const stale = await this.staleBinding(tx, t, req);
          if (stale !== null) return { status: 409, body: stale, applied: false };
          const r = await this.applyWrite(tx, t, req, body);
          if (r === 'missing-parent' || r === null) {
            const reply =
              r === null
                ? notFound(t, req)
                : ((await missingParent(this.model, tx, t, req)) ?? notFound(t, req));
            return { status: reply.status, body: reply.body, applied: false };
          }
          const json = withBody ? this.replyBody(t, req, status, r) : undefined;
          if (json !== undefined && wantsTxid) {
            const nested = nestedOf(this.db);
            const txid =
              nested !== null
                ? await nested.txid()
                : ((
                    await tx.query<{ txid: string }>(
                      `SELECT pg_current_xact_id()::xid::text AS txid`,
                    )
                  )[0]?.txid ?? '0');
            json.txid = Number(txid);
            return { status, body: json, applied: true, txid };
          }
          return { status, body: json, applied: true };
        },
      ),
    );
    if (result.applied && !result.replayed) this.onCommit(t.table);
    const headers: Record<string, string> = {};
    if (result.txid !== null) headers['x-sync-txid'] = result.txid;
    if (result.replayed) headers['idempotent-replayed'] = 'true';
    return {
      status: result.status,
      ...(result.body !== undefined ? { body: result.body } : {}),
      headers,
    };
  }

  /**
   * Optimistic concurrency (docs/backend-contract.md, "Optimistic concurrency"): a write's bound
   * parameters (Entity.bindings, e.g. `?expected_version=` bound to `version`, by `x-sync-bind` or
   * by name) carry the values of the row the client based the write on. Each is compared, in the
   * write's transaction and with the row locked, with the current row; a difference is a stale
   * write, answered 409 with the current row (as the caller may see it) and nothing applied.
   * Creates have no current row, and a nested collection's parent parameter only locates the row.
   */
  private async staleBinding(
    tx: Queryable,
    t: TableModel,
    req: EntityRequest,
  ): Promise<Record<string, JsonValue> | null> {
    if (req.role === 'create') return null;
    const bound = t.entity.bindings.filter(
      (b) => b.operation === req.op.name && b.param !== t.entity.parent?.param,
    );
    if (bound.length === 0) return null;
    const tbl = ident(t.table);
    const [hit] = await tx.query<{ r: TextRow }>(
      `SELECT ${ident(t.rowFn)}(${tbl}.*) AS r FROM ${tbl} WHERE ${ident(t.pk.name)} = $1::${compareType(t.pk.pgType)} FOR UPDATE`,
      [itemKey(t, req)],
    );
    if (hit === undefined) return null; // the write answers 404
    const current = rowToJson(t.columns, hit.r);
    const stale = bound.filter((b) => {
      const sent = req.params.get(b.in === 'header' ? headerKey(b.param) : b.param);
      return sent !== undefined && !sameValue(sent, own(current, b.column) ?? null);
    });
    if (stale.length === 0) return null;
    return this.auth.visible(t, req.principal, req.authenticated, current);
  }

  /**
   * The body a write answers with: the row, when the operation declares the entity's schema (or
   * no named schema); otherwise the declared schema (a delete's `Message` or
   * `DeleteAssistantResponse`), filled from the row where names match, `deleted: true`, and a
   * message saying what happened.
   */
  private replyBody(
    t: TableModel,
    req: EntityRequest,
    status: number,
    row: TextRow,
  ): Record<string, JsonValue> {
    const rowJson = this.auth.visible(
      t,
      req.principal,
      req.authenticated,
      rowToJson(t.columns, row),
    );
    const type = (req.op.responses.find((x) => x.status === String(status)) ?? req.op.success)
      ?.type;
    const decl = type?.kind === 'ref' ? objectDecl(this.model, type.name) : undefined;
    if (decl === undefined || decl.name === t.entity.schema) return rowJson;
    // A declaration with the same fields as the entity (a DTO alias) is the row too.
    const out = exampleFor(this.model.schemas, { kind: 'ref', name: decl.name });
    if (typeof out !== 'object' || out === null || Array.isArray(out)) return rowJson;
    const key = own(rowJson, t.pk.name);
    for (const f of decl.fields) {
      const fromRow = own(rowJson, f.wireName);
      const fits = (v: JsonValue): boolean => {
        const probe: Problem[] = [];
        validate({ schemas: this.model.schemas, direction: 'response' }, f.type, v, '$', probe);
        return probe.length === 0;
      };
      if (fromRow !== undefined && fits(fromRow)) put(out, f.wireName, fromRow);
      else if (f.wireName === 'deleted' && req.role === 'delete') put(out, f.wireName, true);
      else if (f.wireName === 'message' && f.type.kind === 'scalar' && f.type.scalar === 'string')
        put(
          out,
          f.wireName,
          `${t.entity.name} ${String(key)} ${req.role === 'delete' ? 'deleted' : 'saved'}`,
        );
    }
    return out;
  }

  /**
   * Runs `write`; a data error Postgres raises after our validation (a NOT NULL column without a
   * value, a value its type refuses) becomes a 422 naming the field: the NOT NULL error carries
   * the column, and for the others each written value is cast on its own to find the culprit.
   */
  private async locateDataErrors<T>(
    t: TableModel,
    req: EntityRequest,
    body: Record<string, JsonValue>,
    write: () => Promise<T>,
  ): Promise<T> {
    try {
      return await write();
    } catch (error) {
      const state = sqlState(error) ?? '';
      if (state !== '23502' && !state.startsWith('22')) throw error;
      const message = error instanceof Error ? error.message : String(error);
      const problems: Problem[] = [];
      const column =
        typeof error === 'object' && error !== null && 'column' in error
          ? String((error as { column: unknown }).column)
          : undefined;
      if (state === '23502' && column !== undefined) {
        problems.push({
          field: childPath('$', column),
          message: 'is required (the column has no default)',
        });
      } else if (req.role !== 'delete') {
        const role =
          req.role === 'replace' ? 'replace' : req.role === 'create' ? 'create' : 'update';
        const values = columnValues(this.model, t, role, body, parentValue(t, req), {
          principal: req.principal,
          now: new Date(),
        });
        for (const [c, v] of values) {
          try {
            // each probe in a transaction of its own: inside a batch or a write group (a
            // savepoint there) a failed probe must not abort the enclosing transaction
            await this.db.transaction((q) =>
              q.query(`SELECT $1::${c.pgType} AS v`, [jsonToParam(c, v)]),
            );
          } catch (probe) {
            if (!(sqlState(probe) ?? '').startsWith('22')) throw probe;
            problems.push({
              field: childPath('$', c.name),
              message: probe instanceof Error ? probe.message : String(probe),
            });
          }
        }
      }
      if (problems.length === 0) problems.push({ field: '$', message });
      throw new ValidationFailed(problems);
    }
  }

  /** Applies the write; returns the new (or deleted) row, null when the row does not exist. */
  private async applyWrite(
    tx: Queryable,
    t: TableModel,
    req: EntityRequest,
    body: Record<string, JsonValue>,
  ): Promise<TextRow | null | 'missing-parent'> {
    const tbl = ident(t.table);
    const returning = `RETURNING ${ident(t.rowFn)}(${tbl}.*) AS r`;
    const args: SqlParam[] = [];
    const bind = (c: TableModel['columns'][number], v: JsonValue): string => {
      args.push(jsonToParam(c, v));
      return `$${args.length}::${c.pgType}`;
    };
    if (req.role === 'create') {
      if ((await missingParent(this.model, tx, t, req)) !== null) return 'missing-parent';
      const values = columnValues(this.model, t, 'create', body, parentValue(t, req), {
        principal: req.principal,
        now: new Date(),
      });
      const cols = [...values.keys()];
      const nested = nestedOf(this.db);
      if (nested?.insert !== undefined)
        return nested.insert({
          table: t,
          columns: cols,
          values: cols.map((c) => jsonToParam(c, values.get(c) ?? null)),
        });
      const sql =
        cols.length === 0
          ? `INSERT INTO ${tbl} DEFAULT VALUES ${returning}`
          : `INSERT INTO ${tbl} (${cols.map((c) => ident(c.name)).join(', ')}) VALUES (${cols.map((c) => bind(c, values.get(c) ?? null)).join(', ')}) ${returning}`;
      return (await tx.query<{ r: TextRow }>(sql, args))[0]?.r ?? null;
    }
    const key = itemKey(t, req);
    if (req.role === 'delete') {
      args.push(key);
      return (
        (
          await tx.query<{ r: TextRow }>(
            `DELETE FROM ${tbl} WHERE ${ident(t.pk.name)} = $1::${compareType(t.pk.pgType)} ${returning}`,
            args,
          )
        )[0]?.r ?? null
      );
    }
    const values = columnValues(
      this.model,
      t,
      req.role === 'replace' ? 'replace' : 'update',
      body,
      undefined,
      { principal: req.principal, now: new Date() },
    );
    const sets = [...values].map(([c, v]) => `${ident(c.name)} = ${bind(c, v)}`);
    for (const c of updateTouches(t).versions)
      sets.push(`${ident(c.name)} = coalesce(${ident(c.name)}, 0) + 1`);
    // An empty PATCH still writes (pk = pk), so the client gets a txid that reaches the shape.
    if (sets.length === 0) sets.push(`${ident(t.pk.name)} = ${ident(t.pk.name)}`);
    args.push(key);
    const sql = `UPDATE ${tbl} SET ${sets.join(', ')} WHERE ${ident(t.pk.name)} = $${args.length}::${compareType(t.pk.pgType)} ${returning}`;
    return (await tx.query<{ r: TextRow }>(sql, args))[0]?.r ?? null;
  }
}

/** A bound parameter's value equals the row's (numbers by value, the rest by their text). */
function sameValue(sent: JsonValue, current: JsonValue): boolean {
  if (current === null) return sent === null || sent === '';
  if (typeof current === 'number' || typeof sent === 'number')
    return Number(sent) === Number(current) && String(sent).trim() !== '';
  if (typeof current === 'object' || typeof sent === 'object')
    return JSON.stringify(sent) === JSON.stringify(current);
  return String(sent) === String(current);
}
