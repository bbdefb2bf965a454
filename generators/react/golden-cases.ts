/**
 * Golden cases of the React target: every good fixture (fixtures/<name>/openapi.{yaml,json},
 * excluding `bad/` and `runtime-vectors/`) generated with default options into
 * `generators/react/__goldens__/<fixture>/`. Wired into tools/golden/cases.ts by the maintainers;
 * `scripts/update-goldens.ts` writes them meanwhile.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../packages/core/src/index.js';
import type { GoldenCase } from '../../tools/golden/harness.js';
import { generateReact } from './src/generate.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');
const NOT_SPECS = new Set(['bad', 'runtime-vectors', 'dev-server']);

/** Good fixtures with their root spec, relative to the repository root, sorted. */
export function reactFixtures(): { name: string; spec: string }[] {
  const dir = path.join(repoRoot, 'fixtures');
  return readdirSync(dir)
    .filter((d) => !NOT_SPECS.has(d) && statSync(path.join(dir, d)).isDirectory())
    .sort()
    .flatMap((name) => {
      const spec = readdirSync(path.join(dir, name)).find((f) => /^openapi\.(ya?ml|json)$/.test(f));
      return spec ? [{ name, spec: path.join('fixtures', name, spec) }] : [];
    });
}

/** One golden case per good fixture. */
export function goldenCases(): GoldenCase[] {
  return reactFixtures().map(({ name, spec }) => ({
    name: `react/${name}`,
    dir: path.join(here, '__goldens__', name),
    async produce() {
      const loaded = await loadSpec(spec, { cwd: repoRoot });
      if (!loaded.ir) throw new Error(`${spec} did not load`);
      const result = await generateReact(loaded.ir, {});
      return new Map(result.files.map((f) => [f.path, f.contents]));
    },
  }));
}
