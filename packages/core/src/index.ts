export * from './ir/types.js';
export * from './generator/types.js';
export { loadSpec, type LoadOptions, type LoadResult } from './load/load-spec.js';
export { formatDiagnostic, type DiagnosticFormat } from './diagnostics/format.js';
