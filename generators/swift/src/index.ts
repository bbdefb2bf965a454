/**
 * `@sync/swift`: the sync-patterns target for SwiftUI apps. Exports the `TargetGenerator` the CLI
 * loads by package name; see ARCHITECTURE.md for the pipeline and README.md for the options.
 */
import type { TargetGenerator } from '@sync/core';
import { generateSwift, type SwiftGeneratorOptions } from './generate.js';
import { SWIFT_GENERATOR } from './package-info.js';

export { generateSwift, type SwiftGeneratorOptions } from './generate.js';

export const generator: TargetGenerator<SwiftGeneratorOptions> = {
  target: 'swift',
  version: SWIFT_GENERATOR.version,
  generate: (ir, options) => generateSwift(ir, options),
};

export default generator;
