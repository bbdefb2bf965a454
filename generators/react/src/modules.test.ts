/**
 * The generator's own modules import each other without cycles (issue #15: `translate/hooks.ts`
 * and `translate/live-hooks.ts` imported each other), and the render stage never imports the
 * translate stage: `render.ts` takes plans (`plan.ts`) only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = path.dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.ts$/.test(e) && !/\.test\.ts$/.test(e) ? [full] : [];
  });
}

/** Module (relative to src/, without extension) → the modules of src/ it imports. */
function graph(): Map<string, string[]> {
  const g = new Map<string, string[]>();
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map(
      (m) => path.relative(src, path.resolve(path.dirname(file), m[1]!)).replace(/\.js$/, ''),
    );
    g.set(path.relative(src, file).replace(/\.ts$/, ''), deps);
  }
  return g;
}

describe('module structure', () => {
  it('has no import cycle', () => {
    const g = graph();
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (node: string, trail: string[]): void => {
      if (state.get(node) === 'done') return;
      if (state.get(node) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(node)), node].join(' → '));
        return;
      }
      state.set(node, 'visiting');
      for (const next of g.get(node) ?? []) visit(next, [...trail, node]);
      state.set(node, 'done');
    };
    for (const node of [...g.keys()].sort()) visit(node, []);
    expect(g.size).toBeGreaterThan(10);
    expect(cycles).toEqual([]);
  });

  it('render.ts imports nothing from translate/', () => {
    const deps = graph().get('render') ?? [];
    expect(deps).toContain('plan');
    expect(deps.filter((d) => d.startsWith('translate/'))).toEqual([]);
  });
});
