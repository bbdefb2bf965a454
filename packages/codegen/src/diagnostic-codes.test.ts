/**
 * One registry of diagnostic codes for the core and every target: a code a generator emits must be
 * in `DIAGNOSTIC_CODES` (packages/core/src/diagnostics/codes.ts) and documented, with its severity,
 * in packages/core/docs/diagnostics.md (whose completeness the core's own test checks).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '@sync/core';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const catalogue = readFileSync(path.join(repoRoot, 'packages/core/docs/diagnostics.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return e === 'node_modules' ? [] : sources(full);
    return /\.tsx?$/.test(e) && !/\.test\.tsx?$/.test(e) ? [full] : [];
  });
}

/** `{ severity: 'warning', code: 'SP0601', … }` in a generator's sources, in either key order. */
function emitted(): { file: string; code: string; severity: string | null }[] {
  const out: { file: string; code: string; severity: string | null }[] = [];
  for (const g of readdirSync(path.join(repoRoot, 'generators'))) {
    const src = path.join(repoRoot, 'generators', g, 'src');
    if (!statSync(src, { throwIfNoEntry: false })?.isDirectory()) continue;
    for (const file of sources(src)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bcode:\s*['"`]([^'"`]+)['"`]/g)) {
        const around = text.slice(Math.max(0, m.index - 200), m.index + 200);
        const severity = /severity:\s*'(error|warning|info)'/.exec(around)?.[1] ?? null;
        out.push({ file: path.relative(repoRoot, file), code: m[1]!, severity });
      }
    }
  }
  return out;
}

describe('diagnostic codes emitted by the generators', () => {
  const found = emitted();

  it('finds the codes the generators emit', () => {
    expect(found.map((f) => f.code)).toEqual(expect.arrayContaining(['SP0601', 'SP0602']));
  });

  it('are in the one registry, with the severity they are emitted with', () => {
    const codes = DIAGNOSTIC_CODES as Record<string, { severity: string }>;
    const bad = found
      .filter(
        (f) =>
          !(f.code in codes) || (f.severity !== null && codes[f.code]!.severity !== f.severity),
      )
      .map((f) => `${f.file}: ${f.code} (${f.severity ?? '?'})`);
    expect(bad).toEqual([]);
  });

  it('are documented in the catalogue', () => {
    const missing = found
      .map((f) => f.code)
      .filter((code) => !catalogue.split('\n').some((l) => l.startsWith(`| ${code} |`)));
    expect(missing).toEqual([]);
  });
});
