/** Loads a fixture's IR from its spec and runs the Swift generator on it, cached per fixture. Test-only. */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSpec, type GenerateResult, type SyncIR } from '@sync/core';
import { generateSwift } from '../generate.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Good fixtures: folders of fixtures/ with an openapi file, except bad/ and runtime-vectors/. */
export function swiftFixtures(): string[] {
  const dir = path.join(repoRoot, 'fixtures');
  return readdirSync(dir)
    .filter((d) => d !== 'bad' && d !== 'runtime-vectors' && statSync(path.join(dir, d)).isDirectory())
    .filter((d) => readdirSync(path.join(dir, d)).some((f) => /^openapi\.(ya?ml|json)$/.test(f)))
    .sort();
}

export function specOf(fixture: string): string {
  const dir = path.join(repoRoot, 'fixtures', fixture);
  const file = readdirSync(dir).find((f) => /^openapi\.(ya?ml|json)$/.test(f))!;
  return path.join('fixtures', fixture, file);
}

const cache = new Map<string, Promise<{ ir: SyncIR; result: GenerateResult }>>();

export function generateFixture(fixture: string): Promise<{ ir: SyncIR; result: GenerateResult }> {
  let hit = cache.get(fixture);
  if (!hit) {
    hit = (async () => {
      const ir = await loadIR(fixture);
      return { ir, result: generateSwift(ir, {}) };
    })();
    cache.set(fixture, hit);
  }
  return hit;
}

/** The fixture's IR, loaded from its spec by the core (the same path the CLI takes). */
export async function loadIR(fixture: string): Promise<SyncIR> {
  const loaded = await loadSpec(specOf(fixture), { cwd: repoRoot });
  if (!loaded.ir) throw new Error(`fixture ${fixture} did not load`);
  return loaded.ir;
}
