/**
 * What `main` needs from the outside world. Everything is injectable so that tests run the CLI
 * in-process with a fake loader and a fake generator.
 */
import type { LoadOptions, LoadResult, StagedLoad } from '@sync/core';
import type { Reporter, TextSink } from './reporter.js';
import type { TargetRegistry } from './targets.js';

export interface CliIO {
  stdout: TextSink;
  stderr: TextSink;
  /** Working folder that relative `--spec`, `--out` and `--config` resolve against. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
}

/** The part of @sync/core the CLI uses at run time. */
export interface CoreApi {
  loadSpec(file: string, options?: LoadOptions): Promise<LoadResult>;
  /**
   * `generate` uses it when present: the generator runs on the draft IR while the spec's validation
   * finishes in a worker thread (test doubles may leave it out; `loadSpec` is used then).
   */
  loadSpecStaged?(file: string, options?: LoadOptions): Promise<StagedLoad>;
}

export interface CliServices {
  /** Generators by target name. */
  targets: TargetRegistry;
  /** Loads @sync/core; called only when a spec must actually be loaded (never on the fast path). */
  loadCore: () => Promise<CoreApi>;
  /** Milliseconds, for the timing in the summary line. */
  now: () => number;
}

export interface CommandContext {
  io: CliIO;
  services: CliServices;
  reporter: Reporter;
  startedAt: number;
}
