/**
 * Test/golden helpers: the fixtures the Kotlin target is checked on, and their generated files.
 * Every good fixture (fixtures/*, except bad/ and runtime-vectors/) gets its own root package so
 * all of them compile together in ONE kotlinc invocation (the compiler's cold start dominates).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GeneratedFile } from '@sync/core';
// Core from source (as tools/golden/cases.ts does), so tsx scripts and vitest agree byte for byte.
import { loadSpec } from '../../../../packages/core/src/index.js';
import { generateKotlin } from '../index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
export const kotlinRoot = path.join(repoRoot, 'generators/kotlin');
export const testAppRoot = path.join(repoRoot, 'test-apps/kotlin');

const EXCLUDED = new Set(['bad', 'runtime-vectors', 'dev-server']);

export interface Fixture {
  name: string;
  spec: string;
  /** Root Kotlin package of this fixture's client (`com.example.petstore30`). */
  pkg: string;
}

export function kotlinFixtures(): Fixture[] {
  const dir = path.join(repoRoot, 'fixtures');
  return readdirSync(dir)
    .filter((d) => !EXCLUDED.has(d) && statSync(path.join(dir, d)).isDirectory())
    .sort()
    .flatMap((name) => {
      const spec = ['openapi.yaml', 'openapi.yml', 'openapi.json'].find((f) => existsSync(path.join(dir, name, f)));
      return spec ? [{ name, spec: path.join('fixtures', name, spec), pkg: `com.example.${name.replace(/[^A-Za-z0-9]/g, '').toLowerCase()}` }] : [];
    });
}

/** Loads a fixture's spec and generates its Kotlin client (throws on spec errors). */
export async function generateFixture(fixture: Fixture): Promise<GeneratedFile[]> {
  const result = await loadSpec(fixture.spec, { cwd: repoRoot });
  if (!result.ir) throw new Error(`${fixture.spec} did not load`);
  return (await generateKotlin(result.ir, { package: fixture.pkg })).files;
}
