/**
 * Parses and checks a `GET /v1/shape` request into a {@link ShapeRequest}; every problem becomes
 * a 400 with a message naming the parameter. Unknown parameters (`cache-buster`,
 * `expired_handle`, `log`, …) are ignored, as the Electric client requires.
 */
import type { ColumnModel, Model, TableModel } from '../schema/model.js';
import { parseOffset, type ParsedOffset } from './offsets.js';
import { parseWhere, WhereError, type Predicate } from './where.js';

export interface ShapeRequest {
  table: TableModel;
  columns: ColumnModel[];
  predicate: Predicate | null;
  replica: 'default' | 'full';
  live: boolean;
  offset: ParsedOffset;
  handle: string | null;
  /** Canonical text of everything that defines the shape (hashed into the handle). */
  definition: string;
}

export class ShapeRequestError extends Error {}

function parseColumnList(raw: string): string[] {
  const names: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^,"\s]+))\s*(?:,|$)/y;
  while (re.lastIndex < raw.length) {
    const at = re.lastIndex;
    const m = re.exec(raw);
    if (m === null || re.lastIndex === at)
      throw new ShapeRequestError(`cannot read columns at character ${at + 1}`);
    names.push(m[1] !== undefined ? m[1].replaceAll('""', '"') : (m[2] ?? ''));
  }
  return names;
}

function findTable(model: Model, raw: string | null): TableModel {
  if (raw === null || raw === '') throw new ShapeRequestError('table is required');
  const unquote = (s: string): string =>
    s.startsWith('"') && s.endsWith('"') && s.length >= 2
      ? s.slice(1, -1).replaceAll('""', '"')
      : s;
  const dot = /^("(?:[^"]|"")*"|[^."]+)\.(.+)$/.exec(raw);
  let name = raw;
  if (dot !== null) {
    if (unquote(dot[1] ?? '') !== 'public')
      throw new ShapeRequestError(`table "${raw}": only the public schema exists`);
    name = dot[2] ?? '';
  }
  const t = model.tables.get(unquote(name));
  if (t === undefined)
    throw new ShapeRequestError(
      `table "${raw}" does not exist (tables: ${[...model.tables.keys()].join(', ') || 'none'})`,
    );
  return t;
}

export function parseShapeRequest(model: Model, q: URLSearchParams): ShapeRequest {
  const table = findTable(model, q.get('table'));
  const offset = parseOffset(q.get('offset'));
  if (offset.kind === 'invalid') throw new ShapeRequestError(offset.message);
  const handle = q.get('handle');
  if (handle === null && (offset.kind === 'tail' || offset.kind === 'snapshot'))
    throw new ShapeRequestError('handle is required when offset is not -1 or now');

  let columns = table.columns;
  const rawColumns = q.get('columns');
  if (rawColumns !== null && rawColumns !== '') {
    const names = parseColumnList(rawColumns);
    columns = names.map((n) => {
      const c = table.columns.find((col) => col.name === n);
      if (c === undefined)
        throw new ShapeRequestError(`columns: "${n}" is not a column of ${table.table}`);
      return c;
    });
    if (!names.includes(table.pk.name))
      throw new ShapeRequestError(`columns must include the primary key "${table.pk.name}"`);
    // Keep table order, without duplicates: the response does not depend on how the list was written.
    columns = table.columns.filter((c) => names.includes(c.name));
  }

  const replicaRaw = q.get('replica') ?? 'default';
  if (replicaRaw !== 'default' && replicaRaw !== 'full')
    throw new ShapeRequestError(`replica must be default or full, not "${replicaRaw}"`);

  const params = new Map<string, string>();
  for (const [k, v] of q) {
    const m = /^params\[(\d+)\]$/.exec(k);
    if (m?.[1] !== undefined) params.set(m[1], v);
  }
  const where = q.get('where');
  let predicate: Predicate | null = null;
  if (where !== null && where.trim() !== '') {
    try {
      predicate = parseWhere(where, params, table.columns);
    } catch (error) {
      if (error instanceof WhereError) throw new ShapeRequestError(error.message);
      throw error;
    }
  }
  const definition = JSON.stringify([
    columns.map((c) => c.name),
    where ?? '',
    [...params].sort(([a], [b]) => Number(a) - Number(b)),
    replicaRaw,
  ]);
  return {
    table,
    columns,
    predicate,
    replica: replicaRaw,
    live: q.get('live') === 'true',
    offset,
    handle,
    definition,
  };
}
