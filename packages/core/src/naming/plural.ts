/**
 * Singular/plural of spec names (`line_items` → `line_item`, `LineItem` → `LineItems`), used for
 * collection ↔ element names. Only the last word changes; the rest of the string, including its
 * casing style and separators, is kept byte for byte.
 *
 * Wraps `pluralize` without touching its global rule tables (other modules may share them); the
 * few API-relevant words it gets wrong are overridden locally.
 */
import pluralize from 'pluralize';
import { WORD_TOKEN } from './words.js';

/** Mass nouns in API vocabulary; `pluralize` would turn `data` into `datum`, `info` into `infos`. */
const UNCOUNTABLE = new Set([
  'data',
  'metadata',
  'info',
  'information',
  'media',
  'sms',
  'feedback',
]);

/** singular → plural pairs `pluralize` gets wrong (`canvas` → `canva`, `schema` → `schemata`). */
// prettier-ignore
const IRREGULAR: ReadonlyArray<readonly [string, string]> = [
  ['schema', 'schemas'], ['virus', 'viruses'], ['canvas', 'canvases'], ['axis', 'axes'],
  ['lens', 'lenses'], ['index', 'indexes'],
];
const TO_PLURAL = new Map(IRREGULAR);
const TO_SINGULAR = new Map([...IRREGULAR.map(([s, p]) => [p, s] as const), ['indices', 'index']]);

/** Applies the casing of `like` (UPPER, Title or lower) to a lowercase override. */
function restoreCase(like: string, word: string): string {
  if (like.length > 1 && like === like.toUpperCase()) return word.toUpperCase();
  if (/^[A-Z]/.test(like)) return word.charAt(0).toUpperCase() + word.slice(1);
  return word;
}

/** Finds the last word of a name (same tokenizer as `splitWords`) and rewrites only that word. */
function mapLastWord(name: string, fn: (word: string, name: string) => string): string {
  let last: RegExpMatchArray | undefined;
  for (const m of name.matchAll(WORD_TOKEN)) last = m;
  if (last?.index === undefined) return name;
  const start = last.index;
  const end = start + last[0].length;
  return name.slice(0, start) + fn(last[0], name) + name.slice(end);
}

/** An acronym inside a mixed-case name pluralises with a lowercase `s` (`userID` → `userIDs`). */
function isAcronymInMixedCase(word: string, name: string): boolean {
  return /^[A-Z]{2,}$/.test(word) && /[a-z]/.test(name);
}

/** Plural of one word, with local overrides before `pluralize`. */
function pluralWord(word: string, name: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  if (isAcronymInMixedCase(word, name)) return `${word}s`;
  const irregular = TO_PLURAL.get(lower) ?? (TO_SINGULAR.has(lower) ? lower : undefined);
  return irregular === undefined ? pluralize.plural(word) : restoreCase(word, irregular);
}

/** Singular of one word, with local overrides before `pluralize`. */
function singularWord(word: string): string {
  const lower = word.toLowerCase();
  if (UNCOUNTABLE.has(lower)) return word;
  const irregular = TO_SINGULAR.get(lower) ?? (TO_PLURAL.has(lower) ? lower : undefined);
  return irregular === undefined ? pluralize.singular(word) : restoreCase(word, irregular);
}

/** Plural of a name's last word, casing kept: `LineItem` → `LineItems`, `person` → `people`. */
export function plural(name: string): string {
  return mapLastWord(name, pluralWord);
}

/** Singular of a name's last word, casing kept: `line_items` → `line_item`, `people` → `person`. */
export function singular(name: string): string {
  return mapLastWord(name, singularWord);
}

/** Whether a name's last word is plural (uncountable words like `news`, `data` count as plural). */
export function isPlural(name: string): boolean {
  let last: string | undefined;
  for (const m of name.matchAll(WORD_TOKEN)) last = m[0];
  if (last === undefined) return false;
  const lower = last.toLowerCase();
  if (UNCOUNTABLE.has(lower) || TO_SINGULAR.has(lower)) return true;
  if (TO_PLURAL.has(lower)) return false;
  return pluralize.isPlural(last);
}
