/**
 * The Swift pipeline, the same as every target's: `translate(ir, options) → SwiftPlan[] →
 * render(plans) → files`. Pure: no disk, network or environment access (render reads only the
 * package's own templates); the CLI's writer is the only thing that writes.
 */
import type { BaseGeneratorOptions, GenerateResult, SyncIR } from '@sync/core';
import { renderSwift } from './render/index.js';
import { translateSwift } from './translate/index.js';

/** Options of the Swift target (see README.md). */
export interface SwiftGeneratorOptions extends BaseGeneratorOptions {
  /** Name of the Swift module the output is compiled into (used in docs and the Nx generator only). */
  moduleName?: string;
}

export function generateSwift(ir: SyncIR, options: SwiftGeneratorOptions = {}): GenerateResult {
  const { plans, diagnostics } = translateSwift(ir, {
    ...(typeof options.apiBaseUrl === 'string' ? { apiBaseUrl: options.apiBaseUrl } : {}),
    ...(typeof options.electricUrl === 'string' ? { electricUrl: options.electricUrl } : {}),
  });
  return { files: renderSwift(plans), diagnostics };
}
