/**
 * Golden cases of the Swift target, in the shape of tools/golden/cases.ts: the generated files of
 * every good fixture (fixtures/<name>/, not bad/ or runtime-vectors/) under
 * `generators/swift/__goldens__/<fixture>/`, plus `diagnostics.txt` when the generator warns.
 * The IR is loaded from the fixture's spec by the core.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GoldenCase } from '../../tools/golden/harness.js';
import { generateSwift } from './src/generate.js';
import { loadIR, swiftFixtures } from './src/testing/fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export function goldenCases(): GoldenCase[] {
  return swiftFixtures().map((fixture) => ({
    name: `swift/${fixture}`,
    dir: path.join(here, '__goldens__', fixture),
    async produce() {
      const result = generateSwift(await loadIR(fixture), {});
      const files = new Map(result.files.map((f) => [f.path, f.contents] as const));
      const diagnostics = result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}#${d.pointer.replace(/^#/, '')}: ${d.message}`);
      if (diagnostics.length > 0) files.set('diagnostics.txt', `${diagnostics.join('\n')}\n`);
      return files;
    },
  }));
}
