/**
 * SQL naming for the local schemas (Postgres/PGlite and SQLite). Generated DDL and queries always
 * quote identifiers with `quoteIdent`, so a spec name can never be read as a keyword or break out
 * of the identifier; `isSafeBareIdent` only decides when a name may also be printed bare, e.g. in
 * comments or readable snippets.
 */
/**
 * Keywords of either dialect: Postgres 15-17 reserved, "requires AS", type/function-name and
 * column-name keywords (`select * from pg_get_keywords()` categories R, T, C, plus the JSON
 * keywords of 16/17), and all SQLite keywords (sqlite.org/lang_keywords.html). Lowercase.
 */
export const RESERVED: ReadonlySet<string> = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check
  collate collation column concurrently constraint create cross current_catalog current_date
  current_role current_schema current_time current_timestamp current_user default deferrable desc
  distinct do else end except false fetch for foreign freeze from full grant group having ilike in
  initially inner intersect into is isnull join lateral leading left like limit localtime
  localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
  references returning right select session_user similar some symmetric system_user table
  tablesample then to trailing true union unique user using variadic verbose when where window with
  between bigint bit boolean char character coalesce dec decimal exists extract float greatest
  grouping inout int integer interval least national nchar none normalize nullif numeric out
  overlay position precision real row setof smallint substring time timestamp treat trim values
  varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi
  xmlroot xmlserialize xmltable json json_array json_arrayagg json_exists json_object
  json_objectagg json_query json_scalar json_serialize json_table json_value merge_action
  abort action add after alter always attach autoincrement before begin by cascade commit
  conflict current database deferred delete detach drop each escape exclude exclusive explain fail
  filter first following generated glob groups if ignore immediate index indexed insert instead
  key last match materialized no nothing nulls of others over partition plan pragma
  preceding query raise range recursive regexp reindex release rename replace restrict rollback
  rows savepoint set temp temporary ties transaction trigger unbounded update vacuum view virtual
  without`.split(/\s+/),
);

/** Postgres silently truncates identifiers to NAMEDATALEN - 1 = 63 bytes (SQLite has no limit). */
export const PG_MAX_IDENT_BYTES = 63;

/** NUL cannot be stored in Postgres text or names, and C-string SQLite APIs stop at it. */
function rejectNul(value: string, what: string): void {
  if (value.includes('\0'))
    throw new Error(`${what} contains a NUL character: ${JSON.stringify(value)}`);
}

/**
 * Always-quoted identifier, valid in Postgres and SQLite (SQL standard delimited identifier:
 * `"…"` with `"` doubled, so `a"b` → `"a""b"`). Quoting also freezes case: Postgres folds only
 * unquoted names. Throws on NUL and on names Postgres would truncate (two long names could
 * silently become the same column).
 */
export function quoteIdent(name: string): string {
  rejectNul(name, 'SQL identifier');
  if (name === '') throw new Error('SQL identifier is empty');
  if (Buffer.byteLength(name, 'utf8') > PG_MAX_IDENT_BYTES) {
    throw new Error(
      `SQL identifier longer than ${PG_MAX_IDENT_BYTES} bytes: ${JSON.stringify(name)}`,
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Standard single-quoted string literal (`'` doubled). Backslashes stay literal: Postgres has
 * `standard_conforming_strings = on` since 9.1 and SQLite never treats `\` specially. Throws on
 * NUL, which neither dialect can hold in text.
 */
export function sqlStringLiteral(value: string): string {
  rejectNul(value, 'SQL string literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * Whether `name` means the same bare as quoted in both dialects: lowercase (Postgres folds
 * unquoted names), `^[a-z_][a-z0-9_]*$`, not a keyword of either dialect, within 63 bytes.
 */
export function isSafeBareIdent(name: string): boolean {
  return (
    /^[a-z_][a-z0-9_]*$/.test(name) && !RESERVED.has(name) && name.length <= PG_MAX_IDENT_BYTES
  );
}
