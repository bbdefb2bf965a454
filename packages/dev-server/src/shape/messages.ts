/**
 * Builds Electric shape messages from rows and change-log entries.
 *
 * The log stores full old and new rows, so the shape's where clause is applied per change here:
 * an update that moves a row into the shape becomes an insert (full row), one that moves it out
 * becomes a delete. `replica=default` updates carry the primary key plus changed columns;
 * `replica=full` carries the full row plus `old_value` for the changed columns.
 */
import { asciiJson, own, put, record } from '../util/json.js';
import type { ShapeRequest } from './request.js';
import type { TextRow } from './where.js';

export interface ChangeHeaders {
  operation: 'insert' | 'update' | 'delete';
  relation: [string, string];
  txids?: number[];
  last?: true;
}

export interface ChangeMessage {
  headers: ChangeHeaders;
  key: string;
  value: TextRow;
  old_value?: TextRow;
}

export type ControlMessage =
  | { headers: { control: 'up-to-date' | 'must-refetch' } }
  | { headers: { control: 'snapshot-end'; xmin: string; xmax: string; xip_list: string[] } };

export type ShapeMessage = ChangeMessage | ControlMessage;

export interface LogEntry {
  seq: string;
  op: 'insert' | 'update' | 'delete';
  pk: string;
  row: TextRow | null;
  old: TextRow | null;
  txid: string;
}

export const UP_TO_DATE: ControlMessage = { headers: { control: 'up-to-date' } };
export const MUST_REFETCH: ControlMessage = { headers: { control: 'must-refetch' } };

export function messageKey(table: string, pk: string): string {
  return `"public"."${table.replaceAll('"', '""')}"/"${pk.replaceAll('"', '""')}"`;
}

function project(req: ShapeRequest, row: TextRow): TextRow {
  const out = record<string | null>();
  const hide = req.redact !== null && req.redacted.size > 0 && req.redact(row);
  for (const c of req.columns)
    put(out, c.name, hide && req.redacted.has(c.name) ? null : (own(row, c.name) ?? null));
  return out;
}

export function snapshotMessage(req: ShapeRequest, row: TextRow): ChangeMessage {
  const pk = row[req.table.pk.name] ?? '';
  return {
    headers: { operation: 'insert', relation: ['public', req.table.table] },
    key: messageKey(req.table.table, pk),
    value: project(req, row),
  };
}

function inShape(req: ShapeRequest, row: TextRow | null): boolean {
  return row !== null && (req.predicate === null || req.predicate(row));
}

/** The message one log entry produces for this shape, or null when the shape does not see it. */
export function changeMessage(req: ShapeRequest, e: LogEntry): ChangeMessage | null {
  const wasIn = e.op !== 'insert' && inShape(req, e.old);
  const isIn = e.op !== 'delete' && inShape(req, e.row);
  const headers = (operation: ChangeHeaders['operation']): ChangeHeaders => ({
    operation,
    relation: ['public', req.table.table],
    txids: [Number(e.txid)],
  });
  const key = messageKey(req.table.table, e.pk);
  const pkName = req.table.pk.name;
  if (isIn && !wasIn && e.row !== null)
    return { headers: headers('insert'), key, value: project(req, e.row) };
  if (wasIn && !isIn && e.old !== null) {
    const value = req.replica === 'full' ? project(req, e.old) : record<string | null>();
    if (req.replica !== 'full') put<string | null>(value, pkName, own(e.old, pkName) ?? e.pk);
    return { headers: headers('delete'), key, value };
  }
  if (!isIn || e.row === null || e.old === null) return null;
  // An update that changed nothing this shape sees still produces a message (primary key only):
  // its txid may be the one a client is waiting for.
  const { row, old } = e;
  const changed = req.columns.filter(
    (c) => (own(row, c.name) ?? null) !== (own(old, c.name) ?? null),
  );
  if (req.replica === 'full') {
    const old_value = record<string | null>();
    for (const c of changed) put(old_value, c.name, own(old, c.name) ?? null);
    return { headers: headers('update'), key, value: project(req, row), old_value };
  }
  const value = record<string | null>();
  put<string | null>(value, pkName, own(row, pkName) ?? e.pk);
  const hide = req.redact !== null && req.redacted.size > 0 && req.redact(row);
  for (const c of changed)
    put(value, c.name, hide && req.redacted.has(c.name) ? null : (own(row, c.name) ?? null));
  return { headers: headers('update'), key, value };
}

/** Messages for a run of log entries; the last message of each transaction gets `last: true`. */
export function changeMessages(req: ShapeRequest, entries: readonly LogEntry[]): ChangeMessage[] {
  const out: { m: ChangeMessage; txid: string }[] = [];
  for (const e of entries) {
    const m = changeMessage(req, e);
    if (m !== null) out.push({ m, txid: e.txid });
  }
  return out.map(({ m, txid }, i) => {
    const next = out[i + 1];
    if (next === undefined || next.txid !== txid) m.headers.last = true;
    return m;
  });
}

/**
 * The `electric-schema` header: column → {type, pk_index?, not_null?}. Non-ASCII column names are
 * JSON-escaped (`\u540d`): a header value cannot carry them raw, and the client JSON.parses it.
 */
export function schemaHeader(req: ShapeRequest): string {
  const schema = record<{ type: string; pk_index?: number; not_null?: true }>();
  for (const c of req.columns) {
    put(schema, c.name, {
      type: c.pgType,
      ...(c.primaryKey ? { pk_index: 0 } : {}),
      ...(c.nullable ? {} : { not_null: true as const }),
    });
  }
  return asciiJson(schema);
}
