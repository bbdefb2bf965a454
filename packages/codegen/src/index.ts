/**
 * @sync/codegen, the generator kit: what the three targets share around `generate` (IR → files).
 * The dependency direction is core ← kit ← generators ← cli.
 */
export * from './manifest.js';
export * from './paths.js';
export * from './plan.js';
export * from './nx.js';
export * from './templates.js';
export * from './banner.js';
export * from './file-plan.js';
