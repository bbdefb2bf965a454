/**
 * The Swift pipeline: IR → translate (view models) → render (files). Pure: no disk, network or
 * environment access; the CLI's writer is the only thing that writes.
 */
import type { BaseGeneratorOptions, GenerateResult, GeneratedFile, SyncIR } from '@sync/core';
import { createContext } from './translate/context.js';
import { clientFiles } from './translate/client.js';
import { modelFiles } from './translate/models.js';
import { storeFiles } from './translate/stores.js';

/** Options of the Swift target (see README.md). */
export interface SwiftGeneratorOptions extends BaseGeneratorOptions {
  /** Name of the Swift module the output is compiled into (used in docs and the Nx generator only). */
  moduleName?: string;
}

export function generateSwift(ir: SyncIR, options: SwiftGeneratorOptions = {}): GenerateResult {
  const ctx = createContext(ir, {
    ...(typeof options.apiBaseUrl === 'string' ? { apiBaseUrl: options.apiBaseUrl } : {}),
    ...(typeof options.electricUrl === 'string' ? { electricUrl: options.electricUrl } : {}),
  });
  const files: GeneratedFile[] = [...modelFiles(ctx), ...clientFiles(ctx), ...storeFiles(ctx)];
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics: ctx.diagnostics };
}
