/**
 * Formatting shared with worker threads prints exactly what Prettier prints on this thread, file
 * by file, in order; a file Prettier refuses is refused the same way, and the others still format.
 */
import { format } from 'prettier';
import { describe, expect, it } from 'vitest';
import { createFormatter, formatTypeScript, PRETTIER_OPTIONS } from './render.js';

const sources = Array.from(
  { length: 120 },
  (_, i) =>
    `export interface Item${i} { id: string; name${i}?: string|null; tags: Array<string>; nested: { a: number, b: ${'"x" | '.repeat(i % 20)}"y" } }\n` +
    `export function useItem${i}(id: string, options: { enabled?: boolean; staleTime?: number; select?: (x: Item${i}) => unknown } = {}) { return { queryKey: ['items', ${i}, id], ...options } }\n`,
);

describe('formatTypeScript', () => {
  it('prints the same bytes with worker threads as Prettier on this thread', async () => {
    const parallel = createFormatter({ parallelFrom: 1, workers: 2 });
    const expected = await Promise.all(sources.map((s) => format(s, PRETTIER_OPTIONS)));
    const got = await Promise.all(sources.map((s) => parallel(s)));
    expect(got).toEqual(expected);
    const stats = parallel.lastBatch()!;
    expect(stats).toMatchObject({ files: sources.length, workers: 2 });
    // the workers did share the batch (they start while this thread formats, so not all of it)
    expect(stats.byWorkers).toBeGreaterThan(0);
  });

  it('formats a small batch on this thread, as before', async () => {
    const small = createFormatter();
    const got = await Promise.all(sources.slice(0, 5).map((s) => small(s)));
    expect(got).toEqual(await Promise.all(sources.slice(0, 5).map((s) => formatTypeScript(s))));
    expect(small.lastBatch()).toEqual({ files: 5, workers: 0, byWorkers: 0 });
  });

  it('rejects a file Prettier cannot parse, in a worker too, and formats the rest', async () => {
    const parallel = createFormatter({ parallelFrom: 1, workers: 1 });
    const mixed = [...sources.slice(0, 40), 'export const = ;\n', ...sources.slice(40, 80)];
    const results = await Promise.allSettled(mixed.map((s) => parallel(s)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect(results[40]!.status).toBe('rejected');
    const ok = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(ok).toEqual(
      await Promise.all([...sources.slice(0, 80)].map((s) => format(s, PRETTIER_OPTIONS))),
    );
  });
});
