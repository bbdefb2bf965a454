/** Public API of @sync/cli (the `sync-patterns` binary lives in bin/). */
export { main, type CliIO, type CliServices, type CoreApi } from './main.js';
export { parseCliArgs, defaultFormat, type ParsedArgs, type CommandName } from './args.js';
export {
  loadConfig,
  parseConfig,
  CONFIG_FILE_NAME,
  TARGET_CONFIG_KEYS,
  type ProjectConfig,
  type TargetConfig,
} from './config.js';
export {
  formatDiagnostic,
  formatMessage,
  isDiagnosticFormat,
  DIAGNOSTIC_FORMATS,
  type DiagnosticFormat,
  type FormatOptions,
} from '@sync/core/diagnostics/format';
export { UsageError, CliError, WriterError } from './errors.js';
export {
  checkUpToDate,
  runGenerate,
  NO_FAST_PATH_ENV,
  type FastPathInput,
  type UpToDate,
} from './generate.js';
export {
  MANIFEST_FILE,
  MANIFEST_VERSION,
  computeInputHash,
  parseManifest,
  readManifest,
  serializeManifest,
  sha256,
  type InputHashParts,
  type Manifest,
  type ManifestHeader,
} from './manifest.js';
export {
  BUILTIN_TARGETS,
  GeneratorUnavailableError,
  createRegistry,
  defaultRegistry,
  generatorProvider,
  packageProvider,
  type TargetProvider,
  type TargetRegistry,
} from './targets.js';
export {
  checkGeneratedPaths,
  checkOutput,
  formatDrift,
  resolveOutDir,
  unsafePathReason,
  writeOutput,
  type CheckResult,
  type Drift,
  type DriftKind,
  type WriteOptions,
  type WriteSummary,
} from './writer.js';
export { cliVersion } from './version.js';
