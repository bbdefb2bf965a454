/**
 * `@sync/kotlin`: the Android/JVM target. A pure function from the IR to Kotlin files, in the
 * kit's stages (see ARCHITECTURE.md): translate (names, view models: `translate/` → `FilePlan`s,
 * plan.ts) → render (render.ts: the kit's template set over `templates/*.kt.hbs`). Nothing here
 * reads the disk except the package's own templates, the environment or the network; the CLI
 * writes the files.
 */
import type { GenerateResult, SyncIR, TargetGenerator } from '@sync/core';
import { resolveOptions, type KotlinGeneratorOptions } from './options.js';
import { render } from './render.js';
import { kotlinDiagnostics } from './translate/diagnostics.js';
import { translate } from './translate/index.js';

export type { KotlinGeneratorOptions } from './options.js';

export const VERSION = '0.1.0';

export function generateKotlin(ir: SyncIR, rawOptions: KotlinGeneratorOptions = {}): GenerateResult {
  const plans = translate(ir, resolveOptions(rawOptions), { name: '@sync/kotlin', version: VERSION });
  return { files: render(plans), diagnostics: kotlinDiagnostics(ir) };
}

export const generator: TargetGenerator<KotlinGeneratorOptions> = {
  target: 'kotlin',
  version: VERSION,
  generate: generateKotlin,
};

export default generator;
