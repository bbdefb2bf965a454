/**
 * Test helper: loads a fixture's IR once per process and generates it (cached), so that the
 * compile, golden and behaviour tests share the work.
 */
import path from 'node:path';
import { loadSpec, type GenerateResult, type SyncIR } from '@sync/core';
import { generateReact } from '../generate.js';
import type { ReactGeneratorOptions } from '../options.js';
import { repoRoot } from './compile.js';

const irs = new Map<string, Promise<SyncIR>>();

/** The IR of `fixtures/<name>` (yaml or json). */
export function fixtureIr(name: string): Promise<SyncIR> {
  let ir = irs.get(name);
  if (!ir) {
    const file = name === 'fastapi' ? 'openapi.json' : 'openapi.yaml';
    ir = loadSpec(path.join('fixtures', name, file), { cwd: repoRoot }).then((r) => {
      if (!r.ir) throw new Error(`fixture ${name} did not load`);
      return r.ir;
    });
    irs.set(name, ir);
  }
  return ir;
}

/** Generates `fixtures/<name>` with `options`. */
export async function generateFixture(
  name: string,
  options: ReactGeneratorOptions = {},
): Promise<GenerateResult> {
  return generateReact(await fixtureIr(name), options);
}

/** The contents of one generated file (throws when absent). */
export function fileOf(result: GenerateResult, filePath: string): string {
  const file = result.files.find((f) => f.path === filePath);
  if (!file)
    throw new Error(
      `${filePath} was not generated (have: ${result.files.map((f) => f.path).join(', ')})`,
    );
  return file.contents;
}

/** `ir` with every entity (and operation) in push mode: the push hooks of live entities. */
export function pushOnly(ir: SyncIR): SyncIR {
  const push = { mode: 'push' as const, localFirst: false, declaredAt: null };
  return {
    ...ir,
    entities: ir.entities.map((e) => ({ ...e, sync: push })),
    operations: ir.operations.map((o) => ({ ...o, sync: push })),
  };
}
