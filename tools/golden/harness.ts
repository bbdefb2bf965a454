/**
 * Golden-file harness shared by the core and every generator.
 *
 * A golden case turns an input (a fixture) into a map of relative path → contents. Tests compare
 * that map byte for byte with a committed folder and fail with a unified diff. Only
 * `npm run golden:update` (tools/golden/update.ts) writes goldens; the comparison never does.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';

export interface GoldenCase {
  /** Shown in test names, e.g. `ir/crm`. */
  name: string;
  /** Absolute folder holding the golden files of this case. */
  dir: string;
  /** Produces the files (paths relative to `dir`). Pure: same input, same bytes. */
  produce(): Promise<Map<string, string>>;
  /** Which files of `dir` are goldens of this case (default: all); others are inputs left alone. */
  owns?: (file: string) => boolean;
}

export interface GoldenMismatch {
  file: string;
  kind: 'differs' | 'missing golden' | 'unexpected golden';
  diff: string;
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((entry) => {
      const full = path.join(dir, entry);
      return statSync(full).isDirectory()
        ? listFiles(full, base)
        : [path.relative(base, full).split(path.sep).join('/')];
    })
    .sort();
}

/** Compares produced files with the golden folder; returns every mismatch (empty when equal). */
export function compareGolden(
  dir: string,
  actual: Map<string, string>,
  owns: (file: string) => boolean = () => true,
): GoldenMismatch[] {
  const out: GoldenMismatch[] = [];
  const golden = new Set(listFiles(dir).filter(owns));
  for (const [file, contents] of [...actual].sort(([a], [b]) => a.localeCompare(b))) {
    const goldenPath = path.join(dir, file);
    if (!golden.has(file)) {
      out.push({
        file,
        kind: 'missing golden',
        diff: createTwoFilesPatch(`golden/${file}`, `actual/${file}`, '', contents),
      });
      continue;
    }
    const expected = readFileSync(goldenPath, 'utf8');
    if (expected !== contents)
      out.push({
        file,
        kind: 'differs',
        diff: createTwoFilesPatch(`golden/${file}`, `actual/${file}`, expected, contents),
      });
  }
  for (const file of golden) {
    if (!actual.has(file))
      out.push({ file, kind: 'unexpected golden', diff: `golden/${file} is no longer produced` });
  }
  return out;
}

/** Human-readable failure text for a list of mismatches. */
export function describeMismatches(name: string, mismatches: GoldenMismatch[]): string {
  const body = mismatches.map((m) => `--- ${m.kind}: ${m.file}\n${m.diff}`).join('\n');
  return `Golden case "${name}" does not match (${mismatches.length} file(s)). If the change is intended, run \`npm run golden:update\` and review \`git diff\`.\n${body}`;
}

/** Rewrites a golden folder with exactly the produced files. Used only by tools/golden/update.ts. */
export function writeGolden(
  dir: string,
  actual: Map<string, string>,
  owns: (file: string) => boolean = () => true,
): { written: number; removed: number } {
  let written = 0;
  let removed = 0;
  for (const file of listFiles(dir).filter(owns)) {
    if (!actual.has(file)) {
      rmSync(path.join(dir, file));
      removed++;
    }
  }
  for (const [file, contents] of actual) {
    const target = path.join(dir, file);
    if (existsSync(target) && readFileSync(target, 'utf8') === contents) continue;
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, contents);
    written++;
  }
  return { written, removed };
}
