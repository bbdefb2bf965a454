/**
 * A deliberately small parser for shape `where` clauses: comparisons joined by AND.
 *
 *   expr    := cmp (AND cmp)*          cmp := column op value | column IS [NOT] NULL | ( expr )
 *   column  := name | "quoted name"   op  := = | <> | !=
 *   value   := 'text' | number | true | false | $n (from params[n])
 *
 * The result is a predicate over rows of Postgres text values, evaluated in JS for the snapshot
 * and for every logged change (old and new row), so nothing from the request is ever spliced
 * into SQL. Anything else is rejected with a 400 naming what was not understood.
 */
import { own } from '../util/json.js';
import type { ColumnModel } from '../schema/model.js';

export type TextRow = Record<string, string | null>;
export type Predicate = (row: TextRow) => boolean;

type Token = { t: 'ident' | 'qident' | 'str' | 'num' | 'param' | 'op' | 'lp' | 'rp'; v: string };

const TOKEN =
  /\s*(?:(\(|\))|("(?:[^"]|"")*")|('(?:[^']|'')*')|(\$\d+)|(<>|!=|=)|(-?\d+(?:\.\d+)?)|([A-Za-z_][A-Za-z0-9_]*))/y;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (m === null)
      throw new WhereError(
        `cannot read where clause at character ${at + 1}: ${JSON.stringify(src.slice(at, at + 20))}`,
      );
    if (m[1] !== undefined) out.push({ t: m[1] === '(' ? 'lp' : 'rp', v: m[1] });
    else if (m[2] !== undefined)
      out.push({ t: 'qident', v: m[2].slice(1, -1).replaceAll('""', '"') });
    else if (m[3] !== undefined) out.push({ t: 'str', v: m[3].slice(1, -1).replaceAll("''", "'") });
    else if (m[4] !== undefined) out.push({ t: 'param', v: m[4].slice(1) });
    else if (m[5] !== undefined) out.push({ t: 'op', v: m[5] === '!=' ? '<>' : m[5] });
    else if (m[6] !== undefined) out.push({ t: 'num', v: m[6] });
    else if (m[7] !== undefined) out.push({ t: 'ident', v: m[7] });
  }
  return out;
}

export class WhereError extends Error {}

/** Deepest parenthesis nesting a where clause may use. */
export const MAX_NESTING = 64;

/** Normalises a text value for comparison according to the column's storage. */
function normalise(c: ColumnModel, v: string): string {
  switch (c.storage) {
    case 'boolean':
      return ['t', 'true', '1', 'yes', 'on'].includes(v.toLowerCase()) ? 't' : 'f';
    case 'int32':
    case 'int64':
    case 'float':
    case 'double':
    case 'decimal': {
      const n = Number(v);
      return Number.isNaN(n) ? v : String(n);
    }
    case 'uuid':
      return v.toLowerCase();
    default:
      return v;
  }
}

export function parseWhere(
  src: string,
  params: ReadonlyMap<string, string>,
  columns: readonly ColumnModel[],
): Predicate {
  const tokens = tokenize(src);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const isKw = (tok: Token | undefined, kw: string): boolean =>
    tok?.t === 'ident' && tok.v.toUpperCase() === kw;
  const fail = (what: string): never => {
    throw new WhereError(
      `unsupported where clause: ${what} (supported: column = value, <>, IS [NOT] NULL, AND, parentheses)`,
    );
  };

  function column(tok: Token | undefined): ColumnModel {
    if (tok === undefined || (tok.t !== 'ident' && tok.t !== 'qident'))
      return fail(`expected a column, got ${tok?.v ?? 'end of input'}`);
    const name = tok.t === 'ident' ? tok.v.toLowerCase() : tok.v;
    const c =
      columns.find((col) => col.name === name) ??
      (tok.t === 'ident' ? columns.find((col) => col.name === tok.v) : undefined);
    if (c === undefined) throw new WhereError(`unknown column in where clause: ${tok.v}`);
    return c;
  }

  function value(tok: Token | undefined): string {
    if (tok === undefined) return fail('expected a value, got end of input');
    if (tok.t === 'str' || tok.t === 'num') return tok.v;
    if (tok.t === 'param') {
      const v = params.get(tok.v);
      if (v === undefined)
        throw new WhereError(`where clause uses $${tok.v} but params[${tok.v}] is missing`);
      return v;
    }
    if (isKw(tok, 'TRUE')) return 't';
    if (isKw(tok, 'FALSE')) return 'f';
    return fail(`expected a value, got ${tok.v}`);
  }

  let depth = 0;
  function cmp(): Predicate {
    const tok = peek();
    if (tok?.t === 'lp') {
      i++;
      // The parser recurses per parenthesis: bound it so a hostile clause answers 400, not a
      // stack overflow.
      if (++depth > MAX_NESTING)
        throw new WhereError(`where clause nests parentheses deeper than ${MAX_NESTING}`);
      const inner = expr();
      depth--;
      if (peek()?.t !== 'rp') fail('missing )');
      i++;
      return inner;
    }
    const c = column(tokens[i++]);
    const next = tokens[i++];
    if (isKw(next, 'IS')) {
      const negate = isKw(peek(), 'NOT');
      if (negate) i++;
      if (!isKw(tokens[i++], 'NULL')) fail('expected NULL after IS');
      return (row) => ((own(row, c.name) ?? null) === null) !== negate;
    }
    if (next?.t !== 'op')
      return fail(`expected =, <> or IS after ${c.name}, got ${next?.v ?? 'end of input'}`);
    const want = normalise(c, value(tokens[i++]));
    const eq = next.v === '=';
    // SQL semantics: a comparison with NULL is not true either way.
    return (row) => {
      const v = own(row, c.name);
      if (v === null || v === undefined) return false;
      return (normalise(c, v) === want) === eq;
    };
  }

  function expr(): Predicate {
    const parts = [cmp()];
    while (isKw(peek(), 'AND')) {
      i++;
      parts.push(cmp());
    }
    if (isKw(peek(), 'OR')) fail('OR');
    return parts.length === 1 ? (parts[0] as Predicate) : (row) => parts.every((p) => p(row));
  }

  const result = expr();
  if (i < tokens.length) fail(`unexpected ${tokens[i]?.v ?? ''}`);
  return result;
}
