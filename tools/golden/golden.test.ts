import { describe, expect, it } from 'vitest';
import { allCases } from './cases.js';
import { compareGolden, describeMismatches } from './harness.js';

const cases = await allCases();

describe('golden files', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const mismatches = compareGolden(c.dir, await c.produce(), c.owns);
      if (mismatches.length > 0) expect.fail(describeMismatches(c.name, mismatches));
    });
  }
});
