/**
 * Recognises text that is already exactly what Prettier prints for it (with `PRETTIER_OPTIONS`),
 * so that the render stage can skip formatting it: Prettier costs about 2 ms per file even for a
 * ten-line model, and models are most of the files of a large spec.
 *
 * The check is conservative: it accepts only a small line-based subset of TypeScript whose
 * Prettier output is known to be the text itself, and answers `false` (format it) for anything
 * else. The subset is what the model, models-index and index templates print in the common case:
 *
 * - JSDoc comments (`/** … *\/` on one line, or `/**`, ` * …`, ` *\/` lines at the indentation of
 *   what they document, no trailing whitespace);
 * - `import type { A, B } from '…';`, `export * from '…';`;
 * - `export interface N {` + members `  key?: T;` / `  [key: string]: T;` + `}` (at least one
 *   member, no blank line inside), or `export interface N {}`;
 * - `export type N = T;`, `export const n = [literals] as const satisfies readonly N[];`;
 * - `export const n = {` … `} as const;`: broken objects of strings, numbers, literals and
 *   template literals without `${` (the local schema's SQL; see `objectStatementEnd`);
 * - single blank lines between top-level statements (none at the start or the end).
 *
 * Types `T` are unions (` | `) of names with optional type arguments (`<A, B>`), `[]` suffixes,
 * string literals and canonical number literals: no parentheses, object types or intersections,
 * except that a type alias's union of two or more members may have parenthesised intersections of
 * names and one-line object types as members (`(Omit<A, 'type'> & { type: 'a' })`, what a
 * discriminated union prints).
 * Keys are ASCII identifiers, or quoted keys Prettier cannot unquote. String literals are
 * single-quoted, without a quote inside and with only the escapes Prettier keeps (`\\`, `\n`, `\r`,
 * `\t`, `\u…`). Every code line fits in `printWidth` (non-ASCII counted wide), so no group breaks,
 * except single-name imports and `export *` (nothing to break) and the broken layouts
 * `breakLongLines` prints (accepted only when the one-line form does not fit): a union alias, a
 * string-literal alias (broken after `=`), a string values array.
 * The text has no CR, tab, U+2028/U+2029 or BOM (Prettier would rewrite line ends).
 *
 * `prettier-stable.test.ts` checks the claim: Prettier leaves every accepted file of every fixture
 * and corpus spec unchanged, and a property test generates accepted text near the width limit.
 */

/** Prettier's `printWidth` in `PRETTIER_OPTIONS` (render.ts). */
export const WIDTH = 100;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*/;
const STRING = /^'(?:[^'\\\n]|\\(?:[\\nrt]|u[0-9a-fA-F]{4}|u\{[0-9a-fA-F]{1,6}\}))*'/;
const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?(?![0-9.A-Za-z_$])/;

/** Width of a code line as Prettier measures it, or more (non-ASCII code units count 2). */
export function width(line: string): number {
  let w = line.length;
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) > 0x7e) w++;
  return w;
}

/**
 * Whether a one-line form is too wide for Prettier: known exactly for printable ASCII only (the
 * width of other characters is not guessed, so a broken layout is then never assumed).
 */
export function tooWide(line: string): boolean {
  return /^[\x20-\x7e]*$/.test(line) && line.length > WIDTH;
}

/** End index of the type starting at `i` (a union of members), or -1. */
function typeEnd(s: string, i: number): number {
  for (;;) {
    i = memberEnd(s, i);
    if (i < 0) return -1;
    if (s.startsWith(' | ', i)) i += 3;
    else return i;
  }
}

/**
 * End of `name<args>[]…`, `'lit'`, `123`; with `parens`, also of a parenthesised intersection of
 * names and one-line object types, `(Omit<A, 'type'> & { type: 'a' })` (a discriminated union's
 * member: Prettier keeps those parentheses in a union of two or more members, and drops them
 * elsewhere, so only unions of type aliases pass `parens`).
 */
function memberEnd(s: string, i: number, parens = false): number {
  if (parens && s[i] === '(') return intersectionEnd(s, i);
  const rest = s.slice(i);
  const str = STRING.exec(rest);
  if (str) return i + str[0].length;
  const num = NUMBER.exec(rest);
  if (num) return i + num[0].length;
  const id = IDENT.exec(rest);
  if (!id) return -1;
  i += id[0].length;
  if (s[i] === '<') {
    i++;
    for (;;) {
      i = typeEnd(s, i);
      if (i < 0) return -1;
      if (s.startsWith(', ', i)) i += 2;
      else if (s[i] === '>') {
        i++;
        break;
      } else return -1;
    }
  }
  while (s.startsWith('[]', i)) i += 2;
  return i;
}

/** End of `(A & { k: T; k2?: T })` starting at `s[i] === '('` (two parts or more), or -1. */
function intersectionEnd(s: string, i: number): number {
  let parts = 0;
  i++;
  for (;;) {
    if (s[i] === '{') i = objectTypeEnd(s, i);
    else if (IDENT.test(s.slice(i, i + 1))) i = memberEnd(s, i);
    else return -1;
    if (i < 0) return -1;
    parts++;
    if (s.startsWith(' & ', i)) i += 3;
    else if (s[i] === ')' && parts >= 2) return i + 1;
    else return -1;
  }
}

/** End of a one-line object type `{ k: T; k2?: T }` (one member or more), or -1. */
function objectTypeEnd(s: string, i: number): number {
  if (!s.startsWith('{ ', i)) return -1;
  i += 2;
  for (;;) {
    const key = /^(?:[A-Za-z_$][A-Za-z0-9_$]*|'(?:[^'\\\n]|\\.)*')\??: /.exec(s.slice(i));
    if (!key || !isMemberKey(key[0].replace(/\??: $/, ''))) return -1;
    i = typeEnd(s, i + key[0].length);
    if (i < 0) return -1;
    if (s.startsWith('; ', i)) i += 2;
    else if (s.startsWith(' }', i)) return i + 2;
    else return -1;
  }
}

/**
 * The top-level union members of a type of the subset (one for a non-union), or null; `parens`
 * admits parenthesised intersections (see {@link memberEnd}).
 */
function unionMembers(s: string, parens = false): string[] | null {
  const out: string[] = [];
  for (let i = 0; ;) {
    const end = memberEnd(s, i, parens);
    if (end < 0) return null;
    out.push(s.slice(i, end));
    if (end === s.length) return out;
    if (!s.startsWith(' | ', end)) return null;
    i = end + 3;
  }
}

/** `s` is exactly one type of the subset. */
export function isType(s: string): boolean {
  return s.length > 0 && typeEnd(s, 0) === s.length;
}

/**
 * `s` is the type of a type alias: a type of the subset, or a union of two or more members of
 * which some are parenthesised intersections (discriminated unions).
 */
function isAliasType(s: string): boolean {
  if (isType(s)) return true;
  const members = unionMembers(s, true);
  return members !== null && members.length >= 2;
}

/** A quoted key Prettier keeps quoted: not an identifier name and not a number once unquoted. */
function isQuotedKey(s: string): boolean {
  if (!STRING.test(s) || STRING.exec(s)![0].length !== s.length) return false;
  const body = s.slice(1, -1);
  return /[^A-Za-z0-9_$\u0080-\uffff]/.test(body) && !/^[0-9.]+$/.test(body);
}

/** `key`, `'quoted-key'` or `['__proto__']` of an interface member. */
function isMemberKey(s: string): boolean {
  if (IDENT.exec(s)?.[0] === s) return true;
  if (isQuotedKey(s)) return true;
  return (
    s.startsWith('[') && s.endsWith(']') && STRING.exec(s.slice(1, -1))?.[0] === s.slice(1, -1)
  );
}

const IMPORT =
  /^import (?:type )?\{ ((?:type )?[A-Za-z_$][A-Za-z0-9_$]*(?:, (?:type )?[A-Za-z_$][A-Za-z0-9_$]*)*) \} from (.+);$/;
/** `import {` / `import type {` of an import broken one name a line (`  name,` … `} from '…';`). */
const IMPORT_HEAD = /^import (?:type )?\{$/;
const IMPORT_NAME = /^ {2}(?:type )?[A-Za-z_$][A-Za-z0-9_$]*,$/;
const IMPORT_TAIL = /^\} from ('.*');$/;
const EXPORT_STAR = /^export \* from (.+);$/;
const INTERFACE = /^export interface [A-Za-z_$][A-Za-z0-9_$]* \{$/;
const EMPTY_INTERFACE = /^export interface [A-Za-z_$][A-Za-z0-9_$]* \{\}$/;
const TYPE_ALIAS = /^export type [A-Za-z_$][A-Za-z0-9_$]* = (.+);$/;
const VALUES =
  /^export const [A-Za-z_$][A-Za-z0-9_$]* = \[(.*)\] as const satisfies readonly [A-Za-z_$][A-Za-z0-9_$]*\[\];$/;
const MEMBER = /^ {2}(.+?)\??: (.+);$/;
const ALIAS_HEAD = /^export type [A-Za-z_$][A-Za-z0-9_$]* =$/;
const VALUES_HEAD = /^export const [A-Za-z_$][A-Za-z0-9_$]* = \[$/;
const VALUES_TAIL = /^\] as const satisfies readonly [A-Za-z_$][A-Za-z0-9_$]*\[\];$/;

export const isStringLiteral = (s: string): boolean => STRING.exec(s)?.[0] === s;

const OBJECT_HEAD = /^export const [A-Za-z_$][A-Za-z0-9_$]* = \{$/;
const OBJECT_HEAD_ANYWHERE = /^export const [A-Za-z_$][A-Za-z0-9_$]* = \{$/m;
const OBJECT_TAIL = /^\}(?: as const)?;$/;
const PROPERTY = /^((?:[A-Za-z_$][A-Za-z0-9_$]*|'(?:[^'\\\n]|\\.)*')): (.*)$/;

/** A property key Prettier prints as it is (`quoteProps: 'as-needed'`). */
function isPropertyKey(key: string): boolean {
  return IDENT.exec(key)?.[0] === key || isQuotedKey(key);
}

/**
 * Index of the last line of an object literal statement starting at `lines[at]`
 * (`export const n = {` … `} as const;`) laid out as Prettier prints it, or -1. The subset: every
 * object is broken, one property a line (Prettier keeps an object broken when its source has a
 * line break after `{`), each with a trailing comma, no blank line, no comment; a value is an object
 * of the subset (at least one property), an empty object `{}`, a string, number, `true`/`false`/`null` (the line within
 * `printWidth`), or a template literal without `${` (printed verbatim; Prettier never breaks
 * before it, so its first line may be wider).
 */
function objectStatementEnd(lines: readonly string[], at: number): number {
  if (width(lines[at]!) > WIDTH) return -1;
  const end = objectBodyEnd(lines, at + 1, '  ');
  return end >= 0 && OBJECT_TAIL.test(lines[end] ?? '') ? end : -1;
}

/** Index of the line closing the object whose properties start at `lines[i]` at `indent`, or -1. */
function objectBodyEnd(lines: readonly string[], i: number, indent: string): number {
  let properties = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.startsWith(indent) || line[indent.length] === ' ') {
      return properties > 0 && line.startsWith(indent.slice(2)) ? i : -1;
    }
    const m = PROPERTY.exec(line.slice(indent.length));
    if (!m || !isPropertyKey(m[1]!)) return -1;
    const value = m[2]!;
    properties++;
    if (value === '{},') {
      // an empty object: Prettier prints `{}` (whatever the source's line breaks)
      if (width(line) > WIDTH) return -1;
    } else if (value === '{') {
      if (width(line) > WIDTH) return -1;
      const close = objectBodyEnd(lines, i + 1, `${indent}  `);
      if (close < 0 || lines[close] !== `${indent}},`) return -1;
      i = close;
    } else if (value.startsWith('`')) {
      const close = templateEnd(lines, i, indent.length + m[1]!.length + 2);
      if (close < 0) return -1;
      i = close;
    } else {
      const scalar = value.slice(0, -1);
      const ok =
        value.endsWith(',') &&
        (isStringLiteral(scalar) ||
          NUMBER.exec(scalar)?.[0] === scalar ||
          /^(?:true|false|null)$/.test(scalar));
      if (!ok || width(line) > WIDTH) return -1;
    }
  }
  return -1;
}

/**
 * Index of the line where the template literal opened at `lines[at]`, column `col`, closes with
 * `` `, `` at the end of the line, or -1 (also for `${` inside, and for a backtick followed by
 * anything else).
 */
function templateEnd(lines: readonly string[], at: number, col: number): number {
  for (let i = at, from = col + 1; i < lines.length; i++, from = 0) {
    const line = lines[i]!;
    // jump from one character that matters (`\`, `$`, a backtick) to the next: SQL lines are long
    SPECIAL.lastIndex = from;
    for (let m = SPECIAL.exec(line); m !== null; m = SPECIAL.exec(line)) {
      const j = m.index;
      const c = line[j];
      if (c === '\\') SPECIAL.lastIndex = j + 2;
      else if (c === '$') {
        if (line[j + 1] === '{') return -1;
      } else return j === line.length - 2 && line[j + 1] === ',' ? i : -1;
    }
  }
  return -1;
}

const SPECIAL = /[\\$`]/g;

/** `'a', 1, true` (or empty): the members of an enum's values array. */
function isLiteralList(s: string): boolean {
  if (s === '') return true;
  let i = 0;
  for (;;) {
    const rest = s.slice(i);
    const m =
      STRING.exec(rest) ?? NUMBER.exec(rest) ?? /^(?:true|false|null)(?![A-Za-z0-9_$])/.exec(rest);
    if (!m) return false;
    i += m[0].length;
    if (i === s.length) return true;
    if (!s.startsWith(', ', i)) return false;
    i += 2;
  }
}

/** `import { a, type B } from '…';` or `import type { A, B } from '…';`, whatever its width. */
function isImport(line: string): boolean {
  const m = IMPORT.exec(line);
  return (
    m !== null &&
    isStringLiteral(m[2]!) &&
    !(line.startsWith('import type ') && /(?:^|, )type /.test(m[1]!))
  );
}

/**
 * `text` is one JSDoc comment at the top level (`/** … *\/` on one line, or `/**`, ` * …`,
 * ` *\/` lines), followed by a line break: Prettier prints it as it is.
 */
export function isDocComment(text: string): boolean {
  if (!text.endsWith('\n') || /[\r\t\u2028\u2029\uFEFF]/.test(text)) return false;
  const lines = text.slice(0, -1).split('\n');
  if (lines.length === 1) return docLine(lines[0]!, '') === 'one';
  return (
    docLine(lines[0]!, '') === 'open' &&
    docLine(lines[lines.length - 1]!, '') === 'close' &&
    lines.slice(1, -1).every((l) => docLine(l, '') === 'inner')
  );
}

/** One code line of the top level. */
function isTopLevelStatement(line: string): boolean {
  let m: RegExpExecArray | null;
  if ((m = IMPORT.exec(line)))
    return isImport(line) && (width(line) <= WIDTH || !m[1]!.includes(','));
  if ((m = EXPORT_STAR.exec(line))) return isStringLiteral(m[1]!);
  if ((m = TYPE_ALIAS.exec(line))) return isAliasType(m[1]!);
  if (EMPTY_INTERFACE.test(line)) return true;
  if ((m = VALUES.exec(line))) return isLiteralList(m[1]!);
  return false;
}

/** A JSDoc line at `indent`: kind of line, or null. */
function docLine(line: string, indent: string): 'one' | 'open' | 'inner' | 'close' | null {
  if (!line.startsWith(indent)) return null;
  const s = line.slice(indent.length);
  if (/\s$/.test(s)) return null;
  if (s === '/**') return 'open';
  if (s === ' */') return 'close';
  if (s === ' *' || (s.startsWith(' * ') && !s.includes('*/', 3))) return 'inner';
  if (s.startsWith('/** ') && s.endsWith(' */') && s.length > 7 && !s.slice(3, -2).includes('*/'))
    return 'one';
  return null;
}

/**
 * Index of the last line of the statement broken over lines starting at `lines[at]` (a type alias
 * or values array that does not fit on one line, printed as Prettier prints it), or -1.
 */
function brokenStatementEnd(lines: readonly string[], at: number): number {
  const head = lines[at]!;
  if (width(head) > WIDTH) return -1;
  if (ALIAS_HEAD.test(head)) {
    const flat = (type: string) => tooWide(`${head} ${type};`);
    // `=` then the union on the next line, when it fits there
    const next = lines[at + 1] ?? '';
    if (!next.startsWith('  | ')) {
      const type = next.slice(2, -1);
      const members = unionMembers(type, true);
      const ok = next.startsWith('  ') && next.endsWith(';') && width(next) <= WIDTH && flat(type);
      // a union of two or more members, or one string literal (Prettier breaks after `=`)
      const shape = members !== null && (members.length > 1 || isStringLiteral(type));
      return ok && shape ? at + 1 : -1;
    }
    // else one member per line
    const members: string[] = [];
    for (let i = at + 1; i < lines.length; i++) {
      const line = lines[i]!;
      if (!line.startsWith('  | ') || width(line) > WIDTH) return -1;
      const last = line.endsWith(';');
      const member = line.slice(4, last ? -1 : undefined);
      if (unionMembers(member, true)?.length !== 1) return -1;
      members.push(member);
      if (last) {
        const type = members.join(' | ');
        return members.length > 1 && tooWide(`  ${type};`) && tooWide(`${head} ${type};`) ? i : -1;
      }
    }
    return -1;
  }
  // values array: one string literal per line
  const values: string[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (VALUES_TAIL.test(line)) {
      const flat = `${head}${values.join(', ')}${line}`;
      return values.length > 0 && width(line) <= WIDTH && tooWide(flat) ? i : -1;
    }
    const value = line.slice(2, -1);
    if (!line.startsWith('  ') || !line.endsWith(',') || !isStringLiteral(value)) return -1;
    if (width(line) > WIDTH) return -1;
    values.push(value);
  }
  return -1;
}

/**
 * Index of the last line of an import broken one name a line starting at `lines[at]`, as Prettier
 * prints it (only when its one-line form does not fit: two names or more), or -1.
 */
function brokenImportEnd(lines: readonly string[], at: number): number {
  const names: string[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (IMPORT_NAME.test(line)) {
      names.push(line.slice(2, -1));
      continue;
    }
    const tail = IMPORT_TAIL.exec(line);
    if (!tail || names.length < 2 || !fitsWidth(line)) return -1;
    const flat = `${lines[at]!} ${names.join(', ')} ${line}`;
    return isImport(flat) && tooWide(flat) ? i : -1;
  }
  return -1;
}

const fitsWidth = (line: string) => width(line) <= WIDTH;

/**
 * Lays out the lines too wide for Prettier's `printWidth` that Prettier breaks in a known way:
 * a type alias of a union (the union on the next line, else one member per line) and a values
 * array of string literals (one per line). Other lines are left as they are.
 */
export function breakLongLines(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (const line of lines) {
    if (!tooWide(line)) {
      out.push(line);
      continue;
    }
    const alias = TYPE_ALIAS.exec(line);
    const members = alias ? unionMembers(alias[1]!, true) : null;
    if (alias && members && members.length === 1 && isStringLiteral(alias[1]!)) {
      out.push(line.slice(0, line.indexOf(' = ') + 2), `  ${alias[1]!};`);
      continue;
    }
    if (alias && members && members.length > 1) {
      const head = line.slice(0, line.indexOf(' = ') + 2);
      if (!tooWide(`  ${alias[1]!};`)) out.push(head, `  ${alias[1]!};`);
      else
        out.push(head, ...members.map((m, i) => `  | ${m}${i === members.length - 1 ? ';' : ''}`));
      continue;
    }
    const imp = IMPORT.exec(line);
    if (imp && imp[1]!.includes(',') && isImport(line)) {
      const open = line.indexOf('{') + 1;
      const close = line.lastIndexOf('} from ');
      out.push(
        line.slice(0, open),
        ...imp[1]!.split(', ').map((n) => `  ${n},`),
        line.slice(close),
      );
      continue;
    }
    const values = VALUES.exec(line);
    const list = values ? stringList(values[1]!) : null;
    if (values && list && list.length > 0) {
      const open = line.indexOf(' = [') + 4;
      const close = line.lastIndexOf('] as const');
      out.push(line.slice(0, open), ...list.map((v) => `  ${v},`), line.slice(close));
      continue;
    }
    out.push(line);
  }
  return out.join('\n');
}

/** The string literals of `'a', 'b'`, or null when it holds anything else. */
function stringList(s: string): string[] | null {
  const out: string[] = [];
  for (let i = 0; i < s.length;) {
    const m = STRING.exec(s.slice(i));
    if (!m) return null;
    out.push(m[0]);
    i += m[0].length;
    if (i === s.length) break;
    if (!s.startsWith(', ', i)) return null;
    i += 2;
  }
  return out;
}

/**
 * The text Prettier would print for `text` when it can be told without running Prettier: `text`
 * itself, or `text` with its long lines laid out by `breakLongLines`; null when unknown (format
 * the original text).
 */
export function prettierStableText(text: string, laidOut = false): string | null {
  if (isPrettierStable(text, laidOut)) return text;
  // Template literals (verbatim text) are accepted only inside object literal statements, and only
  // `unquoteObjectKeys` knows where they are: the line-based rewrites run on text without such
  // statements, where any template literal makes the text unknown anyway.
  // (laid-out statements hold no template literal and no line at column 0 but their last)
  const broken =
    !laidOut && OBJECT_HEAD_ANYWHERE.test(text)
      ? unquoteObjectKeys(text)
      : breakLongLines(closeEmptyInterfaces(text));
  return broken !== text && isPrettierStable(broken, laidOut) ? broken : null;
}

/** Words Prettier would unquote as keys too, left quoted here (so such a file is formatted). */
const RESERVED = new Set(
  'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await'.split(
    ' ',
  ),
);

/**
 * In the object literal statements of the subset, `'key': ` as Prettier prints it (`key: `) when
 * the key is an ASCII identifier that is not a reserved word; lines inside template literals are
 * left alone. Other text is returned unchanged.
 */
export function unquoteObjectKeys(text: string): string {
  if (!text.includes("': ")) return text;
  const lines = text.split('\n');
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    if (!OBJECT_HEAD.test(lines[i]!)) continue;
    // walk the statement: property lines, skipping template literal bodies
    for (i++; i < lines.length && !OBJECT_TAIL.test(lines[i]!); i++) {
      const line = lines[i]!;
      const indent = /^ */.exec(line)![0].length;
      const m = PROPERTY.exec(line.slice(indent));
      if (!m) continue;
      let key = m[1]!;
      const bare = key.slice(1, -1);
      if (key.startsWith("'") && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(bare) && !RESERVED.has(bare)) {
        key = bare;
        lines[i] = `${line.slice(0, indent)}${key}: ${m[2]!}`;
        changed = true;
      }
      if (m[2]!.startsWith('`')) {
        const close = templateEnd(lines, i, indent + key.length + 2);
        if (close < 0) return text;
        i = close;
      }
    }
  }
  return changed ? lines.join('\n') : text;
}

/** `export interface N {` + `}` on the next line, as Prettier prints it: `export interface N {}`. */
export function closeEmptyInterfaces(text: string): string {
  return text.replace(/^(export interface [A-Za-z_$][A-Za-z0-9_$]* \{)\n\}$/gm, '$1}');
}

/**
 * A statement a layout builder printed (layout.ts): from a line `export function …` or
 * `export const …` ending with an opening bracket to the first line after it at column 0 that
 * closes it (`}`, `};`, `})`…; a broken head's `): R {` goes on), every line within `printWidth`
 * (the builder lays out the lines whose layout depends on width; the template's other lines are
 * Prettier's layout when they fit). Index of that last line, or -1.
 */
function laidOutStatementEnd(lines: readonly string[], at: number): number {
  if (!/^export (?:function|const) .*[{([]$/.test(lines[at]!) || width(lines[at]!) > WIDTH)
    return -1;
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '' || line.startsWith(' ')) {
      // the template's own lines: each within printWidth, but for a string property with a short
      // key (Prettier never breaks after a key narrower than tabWidth + 3 columns)
      if (width(line) > WIDTH && !longStringProperty(line)) return -1;
      continue;
    }
    if (/^[}\])].*[{([]$/.test(line)) continue; // `): R {`: the head goes on
    return /^[}\])]/.test(line) && width(line) <= WIDTH ? i : -1;
  }
  return -1;
}

/** `  key: 'a long string',`, with a key of at most 4 characters (Prettier keeps it on its line). */
function longStringProperty(line: string): boolean {
  const m = /^ +[A-Za-z_$][A-Za-z0-9_$]{0,3}: (.*),$/.exec(line);
  return m !== null && isStringLiteral(m[1]!);
}

/**
 * Whether Prettier prints `text` unchanged (see the module doc); false means "format it".
 * `laidOut`: the caller vouches that every top-level `export function` / `export const … {`
 * statement ending with an opening bracket is already Prettier's layout (the layout builders of
 * layout.ts printed them); the rest of the text is checked as usual.
 */
export function isPrettierStable(text: string, laidOut = false): boolean {
  if (!text.endsWith('\n') || /[\r\t\u2028\u2029\uFEFF]/.test(text)) return false;
  const lines = text.slice(0, -1).split('\n');
  if (lines[0] === '' || lines[lines.length - 1] === '') return false;
  let inInterface = false;
  let members = 0;
  let inDoc = false;
  let afterDoc = false; // the previous line ended a comment: a statement or member must follow
  let prevBlank = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const indent = inInterface ? '  ' : '';
    if (inDoc) {
      const kind = docLine(line, indent);
      if (kind === 'inner') continue;
      if (kind !== 'close') return false;
      inDoc = false;
      afterDoc = true;
      continue;
    }
    if (line === '') {
      if (inInterface || prevBlank) return false;
      prevBlank = true;
      continue;
    }
    prevBlank = false;
    const kind = docLine(line, indent);
    if (kind === 'open') {
      inDoc = true;
      continue;
    }
    if (kind === 'one') {
      afterDoc = true;
      continue;
    }
    if (!inInterface && laidOut && line.startsWith('export ')) {
      const end = laidOutStatementEnd(lines, i);
      if (end >= 0) {
        i = end;
        afterDoc = false;
        continue;
      }
    }
    if (!inInterface && IMPORT_HEAD.test(line)) {
      const end = brokenImportEnd(lines, i);
      if (end < 0) return false;
      i = end;
      afterDoc = false;
      continue;
    }
    if (!inInterface && OBJECT_HEAD.test(line)) {
      const end = objectStatementEnd(lines, i);
      if (end < 0) return false;
      i = end;
      afterDoc = false;
      continue;
    }
    if (!inInterface && (ALIAS_HEAD.test(line) || VALUES_HEAD.test(line))) {
      const end = brokenStatementEnd(lines, i);
      if (end < 0) return false;
      i = end;
      afterDoc = false;
      continue;
    }
    // a single-name import and `export *` have nothing to break, whatever their width
    const unbreakable = (IMPORT.test(line) && !line.includes(',')) || EXPORT_STAR.test(line);
    if (width(line) > WIDTH && !unbreakable) return false;
    if (inInterface) {
      if (line === '}') {
        if (members === 0 || afterDoc) return false;
        inInterface = false;
        continue;
      }
      const index = line.startsWith('  [key: string]: ') && line.endsWith(';');
      const m = index ? null : MEMBER.exec(line);
      const type = index ? line.slice('  [key: string]: '.length, -1) : m?.[2];
      if (!index && (!m || !isMemberKey(m[1]!))) return false;
      if (type === undefined || !isType(type)) return false;
      members++;
    } else if (INTERFACE.test(line)) {
      inInterface = true;
      members = 0;
    } else if (!isTopLevelStatement(line)) return false;
    afterDoc = false;
  }
  return !inDoc && !inInterface && !afterDoc;
}
