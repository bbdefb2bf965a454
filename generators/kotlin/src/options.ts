/**
 * Options of the Kotlin target (README "Options"). `package` is the root Kotlin package; the
 * generated files live in its `model`, `api` and `data` sub-packages.
 */
import type { BaseGeneratorOptions } from '@sync/core';

export interface KotlinGeneratorOptions extends BaseGeneratorOptions {
  /** Root Kotlin package, e.g. `com.example.crm` (default `com.example.sync`). */
  package?: string;
  /** Room database version (default 1); bump it when a live entity's schema changes. */
  databaseVersion?: number;
}

export interface ResolvedOptions {
  package: string;
  apiBaseUrl: string | undefined;
  electricUrl: string;
  databaseVersion: number;
}

export const DEFAULT_PACKAGE = 'com.example.sync';
/** Electric's default local shape endpoint (also what `sync-patterns dev` serves). */
export const DEFAULT_ELECTRIC_URL = 'http://localhost:3000/v1/shape';

const JAVA_PACKAGE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export function resolveOptions(options: KotlinGeneratorOptions): ResolvedOptions {
  const pkg = options.package ?? DEFAULT_PACKAGE;
  if (typeof pkg !== 'string' || !JAVA_PACKAGE.test(pkg)) {
    throw new Error(`@sync/kotlin: option "package" must be a Kotlin package name such as com.example.sync (got ${JSON.stringify(pkg)})`);
  }
  return {
    package: pkg,
    apiBaseUrl: typeof options.apiBaseUrl === 'string' ? options.apiBaseUrl : undefined,
    electricUrl: typeof options.electricUrl === 'string' ? options.electricUrl : DEFAULT_ELECTRIC_URL,
    databaseVersion: Number.isInteger(options.databaseVersion) && Number(options.databaseVersion) >= 1 ? Number(options.databaseVersion) : 1,
  };
}
