/**
 * Word splitting shared by every target language.
 *
 * Every generated identifier starts here: a spec name (`user_id`, `HTTPServer`, `in-progress`,
 * `Über Größe`) is split into lowercase ASCII words, and each language module joins the words
 * in its own convention. Words always match `/^[a-z0-9]+$/`.
 */

/** A raw string, or words that were already split (so callers can add or drop words). */
export type WordsInput = string | readonly string[];

/** Letters that NFKD cannot decompose into ASCII; mapped so common names survive (`ß` → `ss`). */
// prettier-ignore
const SPECIAL_LETTERS: Readonly<Record<string, string>> = {
  ß: 'ss', ẞ: 'ss', æ: 'ae', Æ: 'ae', œ: 'oe', Œ: 'oe', ø: 'o', Ø: 'o', ł: 'l', Ł: 'l',
  đ: 'd', Đ: 'd', ð: 'd', Ð: 'd', þ: 'th', Þ: 'th', ı: 'i',
};

/**
 * One word inside a run of ASCII letters and digits, tried in order:
 * 1. acronym plural (`IDs`, `URLs`) - keeps the trailing `s` with the acronym;
 * 2. acronym (`HTTP` in `HTTPServer`, `ID` in `userID`, `2FA`, `ISO8601`; `IP` in `IPv4`);
 * 3. lowercase word with glued digits (`user`, `v1`, `2fa`, `utf8`; digits between lowercase
 *    letters stay with the word before them: `enable2fa` → enable2, fa);
 * 4. capitalised word (`Server`, `Base64`);
 * 5. bare number (`100` in `100Users`).
 */
export const WORD_TOKEN =
  /\d*[A-Z]{2,}s(?![a-z])\d*|\d*[A-Z]+(?:(?![a-z])|(?<=[A-Z]{2})(?=[a-z]\d))\d*|\d*[a-z]+\d*|[A-Z][a-z]+\d*|\d+/g;

/** Apostrophes join words (`it's` → `its`, `don’t` → `dont`) instead of splitting them. */
const APOSTROPHES = /['\u2018\u2019\u02BC]/g;

/**
 * Transliterates to ASCII: NFKD, drop combining marks, map special letters (an uppercase one
 * keeps the case of its word: `Ærø` → `Aero`, `ÆON` → `AEON`), other non-ASCII → space.
 */
export function toAscii(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x00-\x7F]/gu, (ch, offset: number, str: string) => {
      const mapped = SPECIAL_LETTERS[ch];
      if (mapped === undefined) return ' ';
      if (ch === ch.toLowerCase()) return mapped;
      const next = str.charAt(offset + ch.length);
      return /\p{Ll}/u.test(next) ? capitalize(mapped) : mapped.toUpperCase();
    });
}

/** Splits any spec string into lowercase ASCII words; returns [] when nothing word-like is left. */
export function splitWords(s: string): string[] {
  const ascii = toAscii(s.replace(APOSTROPHES, ''));
  const words: string[] = [];
  for (const chunk of ascii.split(/[^A-Za-z0-9]+/)) {
    for (const m of chunk.matchAll(WORD_TOKEN)) words.push(m[0].toLowerCase());
  }
  return words;
}

/** Accepts either form so language modules can pre-process words (e.g. enum values). */
function words(input: WordsInput): readonly string[] {
  return typeof input === 'string' ? splitWords(input) : input;
}

/** Upper-cases the first character only; digits are left alone (`2fa` stays `2fa`). */
export function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** `user_id` → `UserId`; may start with a digit, language modules add their own prefix. */
export function pascalCase(input: WordsInput): string {
  return words(input).map(capitalize).join('');
}

/** `user_id` → `userId`; may start with a digit, language modules add their own prefix. */
export function camelCase(input: WordsInput): string {
  return words(input)
    .map((w, i) => (i === 0 ? w : capitalize(w)))
    .join('');
}

/** `userId` → `user_id` (SQL column names, Python-ish wire names). */
export function snakeCase(input: WordsInput): string {
  return words(input).join('_');
}

/** `userId` → `USER_ID` (Kotlin enum entries and constants). */
export function screamingSnakeCase(input: WordsInput): string {
  return words(input).join('_').toUpperCase();
}

/** `userId` → `user-id` (file names, URL segments). */
export function kebabCase(input: WordsInput): string {
  return words(input).join('-');
}
