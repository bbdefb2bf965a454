/**
 * `@sync/react`: the React target of sync-patterns. Exports the `TargetGenerator` the CLI loads
 * by package name, plus the pipeline pieces for tests and the Nx plugin.
 */
import type { TargetGenerator } from '@sync/core';
import { generateReact } from './generate.js';
import type { ReactGeneratorOptions } from './options.js';
import { GENERATOR_VERSION } from './version.js';

export const generator: TargetGenerator<ReactGeneratorOptions> = {
  target: 'react',
  version: GENERATOR_VERSION,
  generate: (ir, options) => generateReact(ir, options),
};

export default generator;
export { generateReact } from './generate.js';
export type { ReactGeneratorOptions, ResolvedOptions } from './options.js';
export { tsType } from './type-map.js';
