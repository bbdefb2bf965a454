/**
 * The corpus gate's shortcut for a plain spec whose annotated variant already compiled (see
 * tools/corpus/run.ts): which of the plain Kotlin output's files still need ktlint and kotlinc.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Every `.kt` file under `dir` (relative POSIX paths), sorted. */
function kotlinFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((e) => {
      const full = path.join(dir, e);
      return statSync(full).isDirectory() ? kotlinFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
    })
    .filter((f) => f.endsWith('.kt'))
    .sort();
}

/** Top-level declaration names of Kotlin sources (over-inclusive: extension receivers count too). */
export function declaredNames(text: string): string[] {
  const re = /^(?:(?:public|internal|private|data|sealed|enum|abstract|open|value|annotation|inline|const|expect|actual)\s+)*(?:class|interface|object|typealias|fun|val|var)\s+(?:<[^>]*>\s*)?([A-Za-z_][A-Za-z0-9_]*)/gm;
  return [...text.matchAll(re)].map((m) => m[1]!);
}

/**
 * A file's text without its leading comment lines (the generated-file banner, which names the
 * spec it came from and so always differs between a plain spec and its annotated twin). Comments
 * change neither what kotlinc compiles nor a declaration name.
 */
export function withoutBanner(text: string): string {
  return text.replace(/^(?:\/\/[^\n]*\n)+/, '');
}

/**
 * The Kotlin files of a plain output to check against its annotated twin's classes: the files
 * that differ from (or are missing in) the twin, plus every other file naming one of their
 * declarations; null (check everything) when a plain file names a declaration only the twin has.
 */
export function twinPart(plainOut: string, twinOut: string): { files: string[]; total: number } | null {
  const plain = kotlinFiles(plainOut);
  const twin = new Set(kotlinFiles(twinOut));
  const text = new Map(plain.map((f) => [f, withoutBanner(readFileSync(path.join(plainOut, f), 'utf8'))]));
  const changed = plain.filter((f) => !twin.has(f) || withoutBanner(readFileSync(path.join(twinOut, f), 'utf8')) !== text.get(f));
  const plainSet = new Set(plain);
  const names = new Set(changed.flatMap((f) => declaredNames(text.get(f)!)));
  // Declarations the twin's classes hold and the plain output does not: files only the twin has,
  // and what the twin's version of a changed file declares beyond the plain version.
  const twinOnly = [
    ...[...twin].filter((f) => !plainSet.has(f)).flatMap((f) => declaredNames(readFileSync(path.join(twinOut, f), 'utf8'))),
    ...changed.filter((f) => twin.has(f)).flatMap((f) => declaredNames(readFileSync(path.join(twinOut, f), 'utf8')).filter((n) => !names.has(n))),
  ];
  const identifiers = new Map([...text].map(([f, t]) => [f, new Set(t.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [])]));
  const mentions = (f: string, of: Iterable<string>): boolean => {
    const ids = identifiers.get(f)!;
    for (const n of of) if (ids.has(n)) return true;
    return false;
  };
  if (twinOnly.length > 0 && plain.some((f) => mentions(f, twinOnly))) return null;
  const dependents = plain.filter((f) => !changed.includes(f) && mentions(f, names));
  return { files: [...changed, ...dependents].sort(), total: plain.length };
}
