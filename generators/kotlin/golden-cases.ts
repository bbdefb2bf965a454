/**
 * Golden cases of the Kotlin target: every good fixture (not bad/, not runtime-vectors/) →
 * generators/kotlin/__goldens__/<fixture>/. The same files are what the compile test compiles, so
 * no golden goes unchecked by kotlinc. Wired into tools/golden/cases.ts by the repository owner.
 */
import path from 'node:path';
import type { GoldenCase } from '../../tools/golden/harness.js';
import { generateFixture, kotlinFixtures, kotlinRoot } from './src/testing/fixtures.js';

export function goldenCases(): GoldenCase[] {
  return kotlinFixtures().map((fixture) => ({
    name: `kotlin/${fixture.name}`,
    dir: path.join(kotlinRoot, '__goldens__', fixture.name),
    async produce() {
      return new Map((await generateFixture(fixture)).map((f) => [f.path, f.contents] as const));
    },
  }));
}
