/**
 * Entity writes (create, update, replace, delete) and the dispatch of every entity operation.
 * Bodies are validated before anything is written; each write goes through runWrite (one
 * transaction with its txid and Idempotency-Key) and answers with the operation's declared status.
 */
import type { JsonValue } from '@sync/core';
import { sqlState, type Database, type Queryable, type SqlParam } from '../db/database.js';
import { objectDecl, type Model, type TableModel } from '../schema/model.js';
import { ident } from '../schema/sql.js';
import type { TextRow } from '../shape/where.js';
import { columnValues, touchedOnUpdate } from './columns.js';
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
import { own } from '../util/json.js';
import { jsonToParam, rowToJson } from './values.js';
import { childPath, nulProblems, validate, type Problem } from './validate.js';
import { runWrite, type WriteOutcome } from './write.js';

export { ValidationFailed, type EntityRequest, type Reply } from './request.js';

export class EntityHandlers {
  constructor(
    private readonly db: Database,
    private readonly model: Model,
    private readonly onCommit: (table: string) => void,
  ) {}

  async handle(t: TableModel, req: EntityRequest): Promise<Reply> {
    switch (req.role) {
      case 'list':
        return listRows(this.db, this.model, t, req);
      case 'get':
        return getRow(this.db, t, req);
      default:
        return this.write(t, req);
    }
  }

  private checkBody(t: TableModel, req: EntityRequest): Record<string, JsonValue> {
    const problems: Problem[] = [];
    const rb = req.op.requestBody;
    const body = req.body;
    if (rb === null) return {};
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
    if (problems.length > 0) throw new ValidationFailed(problems);
    return body;
  }

  private async write(t: TableModel, req: EntityRequest): Promise<Reply> {
    const body = req.role === 'delete' ? {} : this.checkBody(t, req);
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
        async (tx): Promise<WriteOutcome> => {
          const r = await this.applyWrite(tx, t, req, body);
          if (r === 'missing-parent' || r === null) {
            const reply =
              r === null
                ? notFound(t, req)
                : ((await missingParent(this.model, tx, t, req)) ?? notFound(t, req));
            return { status: reply.status, body: reply.body, applied: false };
          }
          const json = withBody
            ? (rowToJson(t.columns, r) as Record<string, JsonValue>)
            : undefined;
          if (json !== undefined && wantsTxid) {
            const [x] = await tx.query<{ txid: string }>(
              `SELECT pg_current_xact_id()::xid::text AS txid`,
            );
            json.txid = Number(x?.txid ?? 0);
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
        const values = columnValues(this.model, t, role, body, parentValue(t, req));
        for (const [c, v] of values) {
          try {
            await this.db.query(`SELECT $1::${c.pgType} AS v`, [jsonToParam(c, v)]);
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
      const values = columnValues(this.model, t, 'create', body, parentValue(t, req));
      const cols = [...values.keys()];
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
            `DELETE FROM ${tbl} WHERE ${ident(t.pk.name)} = $1::${t.pk.pgType} ${returning}`,
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
    );
    const sets = [...values].map(([c, v]) => `${ident(c.name)} = ${bind(c, v)}`);
    const touched = touchedOnUpdate(t);
    if (touched !== undefined) sets.push(`${ident(touched.name)} = now()`);
    // An empty PATCH still writes (pk = pk), so the client gets a txid that reaches the shape.
    if (sets.length === 0) sets.push(`${ident(t.pk.name)} = ${ident(t.pk.name)}`);
    args.push(key);
    const sql = `UPDATE ${tbl} SET ${sets.join(', ')} WHERE ${ident(t.pk.name)} = $${args.length}::${t.pk.pgType} ${returning}`;
    return (await tx.query<{ r: TextRow }>(sql, args))[0]?.r ?? null;
  }
}
