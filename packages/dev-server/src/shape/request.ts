/**
 * Parses and checks a `GET /v1/shape` request into a {@link ShapeRequest}; every problem becomes
 * a 400 with a message naming the parameter. Unknown parameters (`cache-buster`,
 * `expired_handle`, `log`, …) are ignored, as the Electric client requires.
 */
import type { ColumnModel, Model, TableModel } from '../schema/model.js';
import { parseOffset, type ParsedOffset } from './offsets.js';
import { parseWhere, WhereError, type Predicate, type TextRow } from './where.js';

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
  /** Columns a row shows as null to this caller (x-owner-only fields of rows it does not own). */
  redact: ((row: TextRow) => boolean) | null;
  redacted: ReadonlySet<string>;
}

/** What the caller may see of a table (from auth.ts), applied to the shape like REST. */
export interface ShapeScope {
  readable: (column: string) => boolean;
  /** True when this row's owner-only columns are hidden from the caller. */
  hidesOwnerOnly: ((row: TextRow) => boolean) | null;
  ownerOnly: ReadonlySet<string>;
  /** Identifies the caller's view in the handle ('' when every caller sees the same). */
  key: string;
}

export class ShapeRequestError extends Error {}

/** The tables the shape feed serves: those of live entities. */
export function liveTables(model: Model): string[] {
  return [...model.tables.values()]
    .filter((t) => t.entity.sync.mode === 'live')
    .map((t) => t.table);
}

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
  // Only live entities sync over shapes; push entities are REST-only (as with a real backend,
  // whose Electric proxy serves only the tables it syncs).
  if (t === undefined || t.entity.sync.mode !== 'live')
    throw new ShapeRequestError(
      `table "${raw}" is not a live entity's table (live tables: ${liveTables(model).join(', ') || 'none'})`,
    );
  return t;
}

export function parseShapeRequest(
  model: Model,
  q: URLSearchParams,
  scopeFor: (table: TableModel) => ShapeScope = () => ({
    readable: () => true,
    hidesOwnerOnly: null,
    ownerOnly: new Set(),
    key: '',
  }),
): ShapeRequest {
  const table = findTable(model, q.get('table'));
  const scope = scopeFor(table);
  const visible = table.shapeColumns.filter((c) => c.primaryKey || scope.readable(c.name));
  const offset = parseOffset(q.get('offset'));
  if (offset.kind === 'invalid') throw new ShapeRequestError(offset.message);
  const handle = q.get('handle');
  if (handle === null && (offset.kind === 'tail' || offset.kind === 'snapshot'))
    throw new ShapeRequestError('handle is required when offset is not -1 or now');

  let columns = visible;
  const rawColumns = q.get('columns');
  if (rawColumns !== null && rawColumns !== '') {
    const names = parseColumnList(rawColumns);
    columns = names.map((n) => {
      const c = visible.find((col) => col.name === n);
      if (c === undefined)
        throw new ShapeRequestError(`columns: "${n}" is not a column of ${table.table}`);
      return c;
    });
    if (!names.includes(table.pk.name))
      throw new ShapeRequestError(`columns must include the primary key "${table.pk.name}"`);
    // Keep table order, without duplicates: the response does not depend on how the list was written.
    columns = visible.filter((c) => names.includes(c.name));
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
      predicate = parseWhere(where, params, visible);
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
    scope.key,
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
    redact: scope.hidesOwnerOnly,
    redacted: scope.ownerOnly,
  };
}
