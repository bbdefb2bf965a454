/**
 * The formatting step: Prettier over the files `prettierStableText` cannot vouch for, in as few
 * Prettier calls as is safe.
 *
 * Every `format()` call of Prettier pays a fixed price before it parses anything (it normalises
 * and re-checks its options, resolves the parser and its plugins), about a tenth of the cost of an
 * API file. So files are formatted in batches: several files joined into one text, separated by a
 * marker comment on its own line with a blank line on each side, formatted once, and cut again at
 * the markers. The result is byte-for-byte what formatting each file alone prints, because
 * Prettier formats top-level statements independently of each other:
 *
 * - each file's statements stay whole (a file that is not a complete program fails the batch's
 *   parse, and the batch is then formatted file by file, so errors are reported as before);
 * - the marker is an own-line comment between two statements, so it becomes a leading comment of
 *   the next file's first statement, printed on its own line with the blank lines kept;
 * - the babel-ts parser accepts duplicate declarations and exports across the joined files
 *   (`VarRedeclaration` and `DuplicateExport` are among the errors Prettier lets through).
 *
 * Only files whose start and end cannot interact with a neighbour join a batch (see
 * {@link batchable}); any other file is formatted alone. `format.test.ts` checks the claim on
 * every fixture and every corpus spec: batched output equals per-file output, file by file.
 *
 * Prettier is imported on first use, so a generation whose files are all Prettier-stable never
 * loads it.
 */
import { PRETTIER_OPTIONS } from './render.js';

/**
 * `PRETTIER_OPTIONS` plus what only saves time: no search for embedded languages (a tagged
 * `css`/`gql`/`html`/`markdown` template or a `/* GraphQL *\/` comment), which the templates never
 * print (their template literals are untagged SQL and operation paths), so the bytes are the same.
 * The tests compare with Prettier run with `PRETTIER_OPTIONS` alone.
 */
const FORMAT_OPTIONS = { ...PRETTIER_OPTIONS, embeddedLanguageFormatting: 'off' } as const;

type Format = (source: string, options: typeof FORMAT_OPTIONS) => Promise<string>;

let prettierFormat: Promise<Format> | undefined;

/** Prettier's `format`, imported once, at first use. */
function prettier(): Promise<Format> {
  prettierFormat ??= import('prettier').then((m) => m.format as Format);
  return prettierFormat;
}

/** Formats TypeScript source with Prettier (`PRETTIER_OPTIONS`). */
export async function formatTypeScript(source: string): Promise<string> {
  return (await prettier())(source, FORMAT_OPTIONS);
}

/**
 * Batches of about this many characters: big enough to pay Prettier's per-call price rarely,
 * small enough that one batch's working set stays small (much larger batches measured slower).
 */
const BATCH_CHARS = 48_000;

/**
 * Whether a file may share a Prettier call with others: it starts with a comment or a statement
 * that is not a string (a leading `'use client'` is a directive only at the start of a file, and
 * `#!` only at offset 0), and it ends with a code line that closes a statement and holds no
 * comment (a comment at the very end would become the next file's leading comment).
 */
export function batchable(text: string): boolean {
  if (text.startsWith('\uFEFF')) return false; // Prettier keeps a byte-order mark; trim() would drop it
  const body = text.trim();
  if (body === '' || /^(?:#!|['"`])/.test(body)) return false;
  // the first code after leading comments is not a string (a directive)
  const afterComments = body.replace(/^(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*/, '');
  if (afterComments === '' || /^['"`]/.test(afterComments)) return false;
  const last = body.slice(body.lastIndexOf('\n') + 1);
  return /[;}]$/.test(last) && !last.includes('//') && !last.includes('/*');
}

/** A marker comment that occurs in none of `texts`. */
function markerFor(texts: readonly string[]): string {
  for (let n = 0; ; n++) {
    const marker = `// sync-patterns:format-batch ${n}`;
    if (!texts.some((t) => t.includes(marker))) return marker;
  }
}

/**
 * Formats one batch with one Prettier call; null when the batch cannot be cut back into its files
 * (then each is formatted alone).
 */
async function formatBatch(texts: readonly string[]): Promise<string[] | null> {
  const marker = markerFor(texts);
  const separator = `\n\n${marker}\n\n`;
  let out: string;
  try {
    out = await formatTypeScript(`${texts.map((t) => t.trim()).join(separator)}\n`);
  } catch {
    return null; // formatted one by one below, so that the error names the file's own text
  }
  const parts = out.split(separator);
  if (parts.length !== texts.length) return null;
  return parts.map((p, i) => (i < parts.length - 1 ? `${p}\n` : p));
}

/**
 * Prettier's output for each of `texts`, in order (the same bytes as one call per text);
 * `batchChars` is the size of a batch (tests use small batches).
 */
export async function formatAll(
  texts: readonly string[],
  batchChars = BATCH_CHARS,
): Promise<string[]> {
  const out: (string | undefined)[] = new Array(texts.length);
  const batches: number[][] = [];
  let batch: number[] = [];
  let size = 0;
  for (let i = 0; i < texts.length; i++) {
    if (!batchable(texts[i]!)) {
      out[i] = await formatTypeScript(texts[i]!);
      continue;
    }
    batch.push(i);
    size += texts[i]!.length;
    if (size >= batchChars) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
  }
  if (batch.length > 0) batches.push(batch);
  for (const b of batches) {
    const formatted = b.length > 1 ? await formatBatch(b.map((i) => texts[i]!)) : null;
    for (let k = 0; k < b.length; k++)
      out[b[k]!] = formatted ? formatted[k]! : await formatTypeScript(texts[b[k]!]!);
  }
  return out as string[];
}
