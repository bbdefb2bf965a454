/**
 * Test support for the runtime's integration tests that need a live schema generated from a
 * modified IR (an app upgrade, a batch endpoint): generates `ir` with this generator, writes the
 * files under `generators/react/tmp/` (git-ignored, so bare imports resolve from the workspace as
 * in an app) and imports the generated `live/schema.ts`. It lives here, not in the runtime, so that
 * the runtime depends on no generator; the value is typed by the caller (`LiveSchema` of
 * @sync/react-runtime), since this generator does not depend on its runtime either.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { SyncIR } from '@sync/core';
import { generateReact } from '../generate.js';
import { repoRoot } from './compile.js';

/** The `liveSchema` that @sync/react generates for `ir`. */
export async function generatedLiveSchema(ir: SyncIR): Promise<unknown> {
  const files = (await generateReact(ir, { format: false })).files;
  const base = path.join(repoRoot, 'generators/react/tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, 'live-schema-'));
  for (const f of files) {
    mkdirSync(path.dirname(path.join(dir, f.path)), { recursive: true });
    writeFileSync(path.join(dir, f.path), f.contents);
  }
  try {
    const m = (await import(/* @vite-ignore */ path.join(dir, 'live/schema.ts'))) as {
      liveSchema: unknown;
    };
    return m.liveSchema;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
