/**
 * The Kotlin goldens themselves are compared by the repository's one harness (tools/golden, which
 * discovers golden-cases.ts; update with `npm run golden:update kotlin/` and review the diff).
 * This file checks what the harness cannot: that two runs give the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { goldenCases } from '../golden-cases.js';

describe('kotlin output', () => {
  it('is deterministic: two runs give the same bytes', async () => {
    const c = goldenCases().find((g) => g.name === 'kotlin/crm');
    expect(c).toBeDefined();
    const first = await c!.produce();
    expect(first.size).toBeGreaterThan(10);
    expect([...(await c!.produce())]).toEqual([...first]);
  });
});
