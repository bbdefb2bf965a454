/**
 * Golden cases of the Swift target, in the shape of tools/golden/cases.ts: the generated files of
 * every good fixture (fixtures/<name>/, not bad/ or runtime-vectors/) under
 * `generators/swift/__goldens__/<fixture>/`, plus `diagnostics.txt` when the generator warns.
 * The IR is loaded from the fixture's spec by the core. `swift/crm-push` is crm with every entity
 * in push mode (the one-interface check).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyncIR } from '@sync/core';
import type { GoldenCase } from '../../tools/golden/harness.js';
import { generateSwift } from './src/generate.js';
import { loadIR, swiftFixtures } from './src/testing/fixture.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function produceFrom(ir: SyncIR): Map<string, string> {
  const result = generateSwift(ir, {});
  const files = new Map(result.files.map((f) => [f.path, f.contents] as const));
  const diagnostics = result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.file}#${d.pointer.replace(/^#/, '')}: ${d.message}`);
  if (diagnostics.length > 0) files.set('diagnostics.txt', `${diagnostics.join('\n')}\n`);
  return files;
}

/** The IR with every entity in push mode: the other half of the one-interface check (#19). */
export function allPush(ir: SyncIR): SyncIR {
  return { ...ir, entities: ir.entities.map((e) => ({ ...e, sync: { ...e.sync, mode: 'push' } })) };
}

export function goldenCases(): GoldenCase[] {
  return [
    ...swiftFixtures().map((fixture) => ({
      name: `swift/${fixture}`,
      dir: path.join(here, '__goldens__', fixture),
      async produce() {
        return produceFrom(await loadIR(fixture));
      },
    })),
    // fixtures/crm with every entity flipped to push: test-apps/swift compiles the same view
    // model against it and against crm (live), and src/one-interface.test.ts compares the stores.
    {
      name: 'swift/crm-push',
      dir: path.join(here, '__goldens__', 'crm-push'),
      async produce() {
        return produceFrom(allPush(await loadIR('crm')));
      },
    },
  ];
}
