/**
 * Helpers shared by the language modules; not re-exported from the naming index.
 */
import { splitWords } from './words.js';

/** Names for punctuation-only values (`+`/`-` sort orders, `>=` operators) so they stay distinct. */
// prettier-ignore
const SYMBOL_WORDS: Readonly<Record<string, string>> = {
  '+': 'plus', '-': 'minus', '*': 'star', '/': 'slash', '\\': 'backslash', '.': 'dot',
  ',': 'comma', ':': 'colon', ';': 'semicolon', '_': 'underscore', '~': 'tilde', '!': 'bang',
  '?': 'question', '@': 'at', '#': 'hash', $: 'dollar', '%': 'percent', '^': 'caret',
  '&': 'and', '|': 'pipe', '=': 'equals', '<': 'lt', '>': 'gt', '(': 'lparen', ')': 'rparen',
  '[': 'lbracket', ']': 'rbracket', '{': 'lbrace', '}': 'rbrace', "'": 'quote', '"': 'dquote',
  '`': 'backtick', ' ': 'space',
};

/**
 * Words for an identifier: `splitWords`, but never empty so no name disappears:
 * `''` → `empty`; punctuation → symbol names (`>=` → gt, equals); other characters → `u` + hex
 * code point (`日本` → u65e5, u672c).
 */
export function identWords(raw: string): string[] {
  const words = splitWords(raw);
  if (words.length > 0) return words;
  if (raw === '') return ['empty'];
  return Array.from(raw, (ch) => SYMBOL_WORDS[ch] ?? `u${(ch.codePointAt(0) ?? 0).toString(16)}`);
}

/** A value that can appear in an OpenAPI `enum`. */
export type EnumValue = string | number | boolean | null;

/** Plain decimal numbers keep their digits distinct: `-1` → minus, 1; `1.5` → `1_5` (not `15`). */
const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Words for an enum case: `null`/booleans by name, decimals digit-preserving, else `identWords`. */
export function enumWords(value: EnumValue): string[] {
  if (value === null) return ['null'];
  if (typeof value === 'boolean') return [String(value)];
  const text = String(value);
  const m = DECIMAL.exec(text);
  if (m) {
    const digits = m[3] === undefined ? m[2]! : `${m[2]!}_${m[3]}`;
    return m[1] ? ['minus', digits] : [digits];
  }
  return identWords(text);
}

/** Prefixes `_` when the name would start with a digit (no language allows that). */
export function noLeadingDigit(name: string): string {
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/**
 * Characters that must never appear raw inside a generated string literal: controls, format
 * characters (bidi overrides: "trojan source", ZWJ, BOM), line/paragraph separators, non-ASCII
 * spaces (look like a space), lone surrogates and private-use characters.
 */
export const UNSAFE_IN_LITERAL = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}]|(?! )\p{Zs}/u;

/** Upper-case hex of a code point, zero-padded to `width`. */
export function hex(cp: number, width: number): string {
  return cp.toString(16).toUpperCase().padStart(width, '0');
}

/** Iterates code points; lone surrogates come out as single units (so they can be escaped). */
export function codePoints(s: string): Array<{ ch: string; cp: number }> {
  return Array.from(s, (ch) => ({ ch, cp: ch.codePointAt(0) ?? 0 }));
}

/**
 * Splits doc text into comment-safe lines: every line terminator (CR, LF, NEL, U+2028/9) becomes
 * a line break, controls and bidi overrides are dropped, lone surrogates become U+FFFD (files are
 * UTF-8), trailing spaces and blank edges trimmed.
 */
export function docLines(text: string): string[] {
  const lines = text
    .replace(/\r\n|[\r\n\u0085\u2028\u2029]/g, '\n')
    .replace(/[\x00-\x08\x0B-\x1F\x7F-\x84\x86-\x9F\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\p{Cs}/gu, '\uFFFD')
    .split('\n')
    .map((line) => line.trimEnd());
  while (lines.length > 0 && lines[0] === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Wraps lines in a `/** … *\/` block (one-line form for one line); '' for no lines. */
export function blockDoc(lines: readonly string[], indent: string): string {
  if (lines.length === 0) return '';
  if (lines.length === 1) return `${indent}/** ${lines[0]!} */\n`;
  const body = lines.map((l) => (l === '' ? `${indent} *` : `${indent} * ${l}`)).join('\n');
  return `${indent}/**\n${body}\n${indent} */\n`;
}
