/**
 * Generator registry: target name → the package that implements it, loaded with a dynamic
 * `import()` only when a generator is actually needed (never on the up-to-date fast path).
 *
 * Tests and embedders build their own registry with {@link createRegistry} and
 * {@link generatorProvider}.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TargetGenerator } from '@sync/core';
import { UsageError } from './errors.js';

export interface TargetProvider {
  /** `react`, `swift`, `kotlin`. */
  readonly target: string;
  /** The npm package implementing it. */
  readonly packageName: string;
  /**
   * `<package>@<version>` of the installed package, read from its package.json without importing
   * it (part of the up-to-date check), or null when it cannot be found.
   */
  identify(): Promise<string | null>;
  /**
   * For a package linked from a workspace (not installed from a registry, so its version is not
   * bumped on every change): the newest mtime (ms) of its files. The fast path is skipped when it
   * is newer than the manifest. Null or absent for installed packages.
   */
  localChangeTime?(): Promise<number | null>;
  /** Imports the generator. Throws {@link GeneratorUnavailableError} when it is not installed. */
  load(): Promise<TargetGenerator>;
}

export type TargetRegistry = ReadonlyMap<string, TargetProvider>;

/** The generator package is missing or broken. Exit 2. */
export class GeneratorUnavailableError extends UsageError {
  override name = 'GeneratorUnavailableError';
}

export const BUILTIN_TARGETS: Readonly<Record<string, string>> = {
  react: '@sync/react',
  swift: '@sync/swift',
  kotlin: '@sync/kotlin',
};

export function createRegistry(providers: Iterable<TargetProvider>): TargetRegistry {
  const map = new Map<string, TargetProvider>();
  for (const p of providers) map.set(p.target, p);
  return map;
}

/** react, swift and kotlin, each from its package. */
export function defaultRegistry(): TargetRegistry {
  return createRegistry(
    Object.entries(BUILTIN_TARGETS).map(([target, pkg]) => packageProvider(target, pkg)),
  );
}

function isTargetGenerator(value: unknown): value is TargetGenerator {
  if (value === null || typeof value !== 'object') return false;
  const g = value as Record<string, unknown>;
  return (
    typeof g.target === 'string' &&
    typeof g.version === 'string' &&
    typeof g.generate === 'function'
  );
}

/** Finds `export const generator` or `export default generator` in an imported module. */
export function generatorFromModule(mod: unknown): TargetGenerator | null {
  if (mod === null || typeof mod !== 'object') return null;
  const m = mod as Record<string, unknown>;
  if (isTargetGenerator(m.generator)) return m.generator;
  if (isTargetGenerator(m.default)) return m.default;
  const d = m.default as Record<string, unknown> | null | undefined;
  if (d && typeof d === 'object' && isTargetGenerator(d.generator)) return d.generator;
  return null;
}

/**
 * Looks for `node_modules/<packageName>/package.json` in `from` and each folder above it, the way
 * Node resolves a bare specifier, and returns `<name>@<version>`.
 */
export function findInstalledPackage(
  packageName: string,
  from: string,
): { dir: string; identity: string } | null {
  let dir = from;
  for (;;) {
    const pkgJson = path.join(dir, 'node_modules', ...packageName.split('/'), 'package.json');
    if (existsSync(pkgJson)) {
      try {
        const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as {
          name?: unknown;
          version?: unknown;
        };
        if (pkg.name === packageName) {
          return {
            dir: path.dirname(pkgJson),
            identity: `${packageName}@${typeof pkg.version === 'string' ? pkg.version : '0.0.0'}`,
          };
        }
      } catch {
        // Unreadable package.json: keep looking.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Null when `packageDir` lives inside a node_modules folder (installed from a registry); otherwise
 * (a workspace link) the newest mtime of its files, skipping node_modules and dot-folders.
 */
export function linkedPackageChangeTime(packageDir: string, maxEntries = 10_000): number | null {
  let real: string;
  try {
    real = realpathSync(packageDir);
  } catch {
    return null;
  }
  if (real.split(path.sep).includes('node_modules')) return null;
  let newest = 0;
  let seen = 0;
  const walk = (dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (++seen > maxEntries) return;
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile()) {
        try {
          newest = Math.max(newest, statSync(abs).mtimeMs);
        } catch {
          // Vanished while walking: ignore.
        }
      }
    }
  };
  walk(real);
  return newest;
}

export interface PackageProviderOptions {
  /** Folder to resolve the package from (default: this CLI's own folder). */
  resolveFrom?: string;
  /** Replaces `import()` (tests). */
  importer?: (specifier: string) => Promise<unknown>;
}

/** A provider that imports `packageName` on demand. */
export function packageProvider(
  target: string,
  packageName: string,
  options: PackageProviderOptions = {},
): TargetProvider {
  const from = options.resolveFrom ?? path.dirname(fileURLToPath(import.meta.url));
  const importer =
    options.importer ?? ((specifier: string) => import(specifier) as Promise<unknown>);
  let found: ReturnType<typeof findInstalledPackage> | undefined;
  const locate = () =>
    found === undefined ? (found = findInstalledPackage(packageName, from)) : found;
  const identify = (): Promise<string | null> => Promise.resolve(locate()?.identity ?? null);
  return {
    target,
    packageName,
    identify,
    localChangeTime() {
      const dir = locate()?.dir;
      return Promise.resolve(dir === undefined ? null : linkedPackageChangeTime(dir));
    },
    async load() {
      const installed = await identify();
      let mod: unknown;
      try {
        mod = await importer(packageName);
      } catch (error) {
        if (installed === null) {
          throw new GeneratorUnavailableError(
            `the ${target} generator is not available in this build yet (package ${packageName} not found)`,
            { cause: error },
          );
        }
        throw new GeneratorUnavailableError(
          `the ${target} generator (${installed}) is installed but failed to load: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      const generator = generatorFromModule(mod);
      if (!generator) {
        throw new GeneratorUnavailableError(
          `${packageName} does not export a generator (expected \`export const generator: TargetGenerator\` or a default export)`,
        );
      }
      return generator;
    },
  };
}

/** A provider for a generator object already in memory (tests, embedding). */
export function generatorProvider(
  generator: TargetGenerator,
  options: {
    packageName?: string;
    identity?: string | null;
    localChangeTime?: () => number | null;
  } = {},
): TargetProvider {
  const packageName = options.packageName ?? `@sync/${generator.target}`;
  const identity = options.identity === undefined ? `${packageName}@0.0.0` : options.identity;
  const changeTime = options.localChangeTime;
  return {
    target: generator.target,
    packageName,
    identify: () => Promise.resolve(identity),
    ...(changeTime ? { localChangeTime: () => Promise.resolve(changeTime()) } : {}),
    load: () => Promise.resolve(generator),
  };
}
