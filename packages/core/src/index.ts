export * from './ir/types.js';
export { awaitsServerValue, entityOperation, operationNamed } from './ir/lookup.js';
export * from './generator/types.js';
export {
  loadSpec,
  loadSpecStaged,
  type LoadOptions,
  type LoadResult,
  type StagedLoad,
} from './load/load-spec.js';
export {
  formatDiagnostic,
  formatMessage,
  isDiagnosticFormat,
  DIAGNOSTIC_FORMATS,
  type DiagnosticFormat,
  type FormatOptions,
} from './diagnostics/format.js';
export { DIAGNOSTIC_CODES, type DiagnosticCode } from './diagnostics/codes.js';
export * as naming from './naming/index.js';
export { syncedSchemaHash } from './sync/schema-hash.js';
export * as sql from './sql/index.js';
