/**
 * Every golden case in the repository, in one list, so that the tests and `npm run golden:update`
 * can never disagree about what is produced. Generators add their cases here.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatDiagnostic, loadSpec } from '../../packages/core/src/index.js';
import type { GoldenCase } from './harness.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixturesDir = path.join(repoRoot, 'fixtures');

/** Folders of fixtures/ that are not example specs. */
const NOT_SPECS = new Set(['bad', 'runtime-vectors', 'dev-server']);

/** The good fixtures: every folder of fixtures/ with a root spec, except those in NOT_SPECS. */
export function goodFixtures(): { name: string; spec: string }[] {
  return readdirSync(fixturesDir)
    .filter((d) => !NOT_SPECS.has(d) && statSync(path.join(fixturesDir, d)).isDirectory())
    .sort()
    .map((name) => {
      const spec = readdirSync(path.join(fixturesDir, name)).find((f) =>
        /^openapi\.(ya?ml|json)$/.test(f),
      );
      if (!spec) throw new Error(`fixtures/${name} has no openapi.yaml/json (or add it to NOT_SPECS)`);
      return { name, spec: path.join('fixtures', name, spec) };
    });
}

/** The bad-spec corpus: fixtures/bad/<case>/openapi.{yaml,json}. */
export function badFixtures(): { name: string; spec: string; dir: string }[] {
  const dir = path.join(fixturesDir, 'bad');
  return readdirSync(dir)
    .filter((d) => statSync(path.join(dir, d)).isDirectory())
    .sort()
    .map((name) => {
      const spec = readdirSync(path.join(dir, name)).find((f) =>
        /^openapi\.(ya?ml|json)$/.test(f),
      )!;
      return { name, spec: path.join('fixtures', 'bad', name, spec), dir: path.join(dir, name) };
    });
}

/** IR of each good fixture → packages/core/__goldens__/<fixture>/ir.json. */
function irCases(): GoldenCase[] {
  return goodFixtures().map(({ name, spec }) => ({
    name: `ir/${name}`,
    dir: path.join(repoRoot, 'packages/core/__goldens__', name),
    async produce() {
      const result = await loadSpec(spec, { cwd: repoRoot });
      const files = new Map<string, string>();
      files.set('ir.json', JSON.stringify(result.ir, null, 2) + '\n');
      const diagnostics = result.diagnostics.map((d) => formatDiagnostic(d, 'human')).join('\n');
      if (diagnostics) files.set('diagnostics.txt', diagnostics + '\n');
      return files;
    },
  }));
}

/** Exact diagnostics of each bad spec → fixtures/bad/<case>/expected.txt. */
function badCases(): GoldenCase[] {
  return badFixtures().map(({ name, spec, dir }) => ({
    name: `bad/${name}`,
    dir,
    owns: (file) => file === 'expected.txt',
    async produce() {
      const result = await loadSpec(spec, { cwd: repoRoot });
      const text = result.diagnostics.map((d) => formatDiagnostic(d, 'human')).join('\n') + '\n';
      // The case folder also holds the spec and case.md, which are inputs, not goldens.
      return new Map([['expected.txt', text]]);
    },
  }));
}

/** Every generator's cases: `generators/<target>/golden-cases.ts` exporting `goldenCases()`. */
async function generatorCases(): Promise<GoldenCase[]> {
  const dir = path.join(repoRoot, 'generators');
  const out: GoldenCase[] = [];
  for (const target of readdirSync(dir).sort()) {
    const file = path.join(dir, target, 'golden-cases.ts');
    if (!statSync(file, { throwIfNoEntry: false })) continue;
    const mod = (await import(pathToFileURL(file).href)) as { goldenCases(): GoldenCase[] };
    out.push(...mod.goldenCases());
  }
  return out;
}

export async function allCases(): Promise<GoldenCase[]> {
  return [...irCases(), ...badCases(), ...(await generatorCases())];
}
