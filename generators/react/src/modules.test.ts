/**
 * The render stage never imports the translate stage (issue #15): `render.ts` takes plans
 * (`plan.ts`) only. Import cycles between the generator's modules (there was one,
 * `translate/hooks.ts` ↔ `translate/live-hooks.ts`) are checked for every generator by
 * tools/architecture.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('module structure', () => {
  it('render.ts imports nothing from translate/', () => {
    const text = readFileSync(new URL('./render.ts', import.meta.url), 'utf8');
    const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map(
      (m) => m[1]!,
    );
    expect(specifiers).toContain('./plan.js');
    expect(specifiers.filter((s) => s.includes('translate/'))).toEqual([]);
  });
});
