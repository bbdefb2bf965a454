import type { Diagnostic, SyncIR } from '../ir/types.js';

/**
 * The contract every target generator implements. A generator is a pure function: it reads the IR
 * and its options and returns file contents. It never touches the disk, the network or the
 * environment; the writer (packages/cli) is the only thing that writes.
 */
export interface GeneratedFile {
  /** Path relative to the output directory, with `/` separators, no `..`, no leading `/`. */
  path: string;
  contents: string;
}

export interface GenerateResult {
  /** Sorted by path. */
  files: GeneratedFile[];
  /** Warnings for constructs the target skipped; an error diagnostic aborts the write. */
  diagnostics: Diagnostic[];
}

/** Options common to every target; each target may accept more (documented in its README). */
export interface BaseGeneratorOptions {
  /** Default API base URL baked into the generated client (overridable at runtime). */
  apiBaseUrl?: string;
  /** Default Electric shape URL (`…/v1/shape`). */
  electricUrl?: string;
  [option: string]: unknown;
}

export interface TargetGenerator<O extends BaseGeneratorOptions = BaseGeneratorOptions> {
  /** `react`, `swift` or `kotlin`. */
  target: string;
  /** Bumped when the output changes for the same IR; part of the CLI's up-to-date check. */
  version: string;
  generate(ir: SyncIR, options: O): GenerateResult | Promise<GenerateResult>;
}
