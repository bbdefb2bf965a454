import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from './codes.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const doc = readFileSync(path.join(here, '../../docs/diagnostics.md'), 'utf8');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return sources(full);
    return e.endsWith('.ts') && !e.endsWith('.test.ts') ? [full] : [];
  });
}

describe('diagnostic codes', () => {
  it.each(Object.entries(DIAGNOSTIC_CODES))(
    '%s is documented with its severity',
    (code, { severity }) => {
      const row = doc.split('\n').find((l) => l.startsWith(`| ${code} |`));
      expect(row, `${code} missing from docs/diagnostics.md`).toBeDefined();
      expect(row).toContain(`| ${severity} |`);
    },
  );

  it('every code used in the source is in the catalogue', () => {
    const used = new Set(
      sources(path.join(here, '..')).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/'(SP\d{4})'/g)].map((m) => m[1]!),
      ),
    );
    expect([...used].filter((c) => !(c in DIAGNOSTIC_CODES))).toEqual([]);
  });
});
