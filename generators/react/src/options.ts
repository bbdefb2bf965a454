/**
 * Options of the React target (CLI config, Nx generator, tests). Documented in README.md; every
 * option has a default so that `generate(ir, {})` is always valid.
 */
import type { BaseGeneratorOptions, SyncIR } from '@sync/core';

export interface ReactGeneratorOptions extends BaseGeneratorOptions {
  /** Default API base URL baked into `api/client.ts` (else the spec's first server, else ''). */
  apiBaseUrl?: string;
  /** Default Electric shape URL for live entities (else `<apiBaseUrl>/v1/shape`). */
  electricUrl?: string;
  /** Run Prettier on every file (default true; tests of the raw render may turn it off). */
  format?: boolean;
}

/** Options after defaults were applied. */
export interface ResolvedOptions {
  apiBaseUrl: string;
  electricUrl: string;
  format: boolean;
}

/** Applies defaults from the IR (first server URL) without reading the environment. */
export function resolveOptions(ir: SyncIR, options: ReactGeneratorOptions): ResolvedOptions {
  const apiBaseUrl =
    typeof options.apiBaseUrl === 'string' ? options.apiBaseUrl : (ir.servers[0] ?? '');
  const electricUrl =
    typeof options.electricUrl === 'string'
      ? options.electricUrl
      : `${apiBaseUrl.replace(/\/+$/, '')}/v1/shape`;
  return { apiBaseUrl, electricUrl, format: options.format !== false };
}
