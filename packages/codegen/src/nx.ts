/**
 * The Nx adapter of the three targets: `nx g @sync/<target>:client` is this function with the
 * target's generator. It runs the same steps as `sync-patterns generate` (load the spec with the
 * core, refuse on errors, generate, plan with the manifest's stale-file policy) and applies the plan
 * through Nx's `Tree`, so `--dry-run` touches nothing on disk and Nx prints its change summary.
 * It writes the same `.sync-patterns-manifest.json` as the CLI: the CLI and Nx can take turns on one
 * output folder, and `sync-patterns generate --check` after an Nx run is clean.
 */
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BaseGeneratorOptions, Diagnostic, TargetGenerator } from '@sync/core';
import { formatDiagnostic } from '@sync/core/diagnostics/format';
import { MANIFEST_FILE, manifestHeader, sha256 } from './manifest.js';
import { planOutput, type EntryKind, type OutputView } from './plan.js';

/** The part of `@nx/devkit`'s `Tree` the adapter uses (structural: the kit does not depend on Nx). */
export interface NxTree {
  /** The workspace root. */
  readonly root: string;
  exists(filePath: string): boolean;
  isFile(filePath: string): boolean;
  children(dirPath: string): string[];
  read(filePath: string): Buffer | null;
  write(filePath: string, content: Buffer | string): void;
  delete(filePath: string): void;
  listChanges?(): { path: string }[];
}

export interface NxClientRun<O extends BaseGeneratorOptions> {
  /** The target's generator (`generator` of @sync/react, @sync/swift, @sync/kotlin). */
  generator: TargetGenerator<O>;
  /** `<name>@<version>` of the generator's package (see {@link packageId}), recorded in the manifest. */
  generatorPackage: string | null;
  /** The spec, relative to the workspace root. */
  spec: string;
  /** The output folder, relative to the workspace root. */
  directory: string;
  /** The generator's options. */
  options: O;
  /** Delete stale generated files (default true); files we did not write are never deleted. */
  clean?: boolean;
  /** Where diagnostics and warnings go (default `console.warn`). */
  log?: (line: string) => void;
}

export interface NxClientSummary {
  /** The output folder, relative to the workspace root. */
  directory: string;
  /** Created or changed files, relative to `directory`. */
  written: string[];
  removed: string[];
  unchanged: string[];
  /** Stale files left in place (edited since generated, or `clean: false`). */
  kept: string[];
  manifestWritten: boolean;
  warnings: string[];
}

function readPackageJson(dir: string): { name?: unknown; version?: unknown } | null {
  try {
    return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
      name?: unknown;
      version?: unknown;
    };
  } catch {
    return null;
  }
}

/**
 * `<name>@<version>` of the package holding the module at `moduleUrl` (its nearest package.json
 * with a name), the form the CLI records; null when none is found.
 */
export function packageId(moduleUrl: string): string | null {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const pkg = readPackageJson(dir);
    if (pkg && typeof pkg.name === 'string' && typeof pkg.version === 'string')
      return `${pkg.name}@${pkg.version}`;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** What an Nx run records as the manifest's writer (`cli` field). */
export const NX_WRITER = `nx ${packageId(import.meta.url) ?? '@sync/codegen'}`;

/** The output folder seen through the tree (pending writes and deletes included). */
class TreeView implements OutputView {
  private readonly pending: ReadonlySet<string>;
  constructor(
    private readonly tree: NxTree,
    private readonly dir: string,
  ) {
    this.pending = new Set((tree.listChanges?.() ?? []).map((c) => c.path));
  }

  private at(rel: string): string {
    return rel === '' ? this.dir : this.dir === '' ? rel : `${this.dir}/${rel}`;
  }

  async kind(rel: string): Promise<EntryKind | null> {
    const p = this.at(rel);
    if (!this.tree.exists(p)) return null;
    if (rel !== '' && !this.pending.has(p)) {
      // Nx follows links; the policy does not write through them inside the output folder (a
      // linked output folder itself is fine, as with the CLI). Read-only, also in dry runs.
      try {
        if (lstatSync(path.join(this.tree.root, p)).isSymbolicLink()) return 'symlink';
      } catch {
        // only in the tree
      }
    }
    return this.tree.isFile(p) ? 'file' : 'dir';
  }

  async list(rel: string): Promise<string[] | null> {
    const p = this.at(rel);
    if (!this.tree.exists(p) || this.tree.isFile(p)) return null;
    return this.tree.children(p);
  }

  async read(rel: string): Promise<Buffer> {
    const bytes = this.tree.read(this.at(rel));
    if (bytes === null) throw new Error(`cannot read ${this.at(rel)}`);
    return bytes;
  }
}

function realOrResolved(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

const errorsOf = (ds: readonly Diagnostic[]): Diagnostic[] =>
  ds.filter((d) => d.severity === 'error');

/**
 * Runs one target for `nx g @sync/<target>:client`. Throws (and changes nothing in the tree) on spec
 * or generator errors and when a file that sync-patterns did not write is in the way.
 */
export async function runNxClient<O extends BaseGeneratorOptions>(
  tree: NxTree,
  run: NxClientRun<O>,
): Promise<NxClientSummary> {
  const log = run.log ?? ((line: string) => console.warn(line));
  const outAbs = path.resolve(tree.root, run.directory);
  const dir = path.relative(tree.root, outAbs).split(path.sep).join('/');
  if (dir.startsWith('..') || path.isAbsolute(dir)) {
    throw new Error(
      `--directory ${run.directory} is outside the workspace (${tree.root}); give a folder inside it`,
    );
  }

  // 1. The spec, with the core (the same loader as the CLI).
  const specAbs = path.resolve(tree.root, run.spec);
  // Imported here: the kit's other users (the CLI's writer) must not load the core at start-up.
  const { loadSpec } = await import('@sync/core');
  const loaded = await loadSpec(specAbs, { cwd: tree.root });
  for (const d of loaded.diagnostics) if (d.severity !== 'error') log(formatDiagnostic(d, 'human'));
  const specErrors = errorsOf(loaded.diagnostics);
  if (specErrors.length > 0 || !loaded.ir) {
    throw new Error(
      `${run.spec} has errors; nothing was generated:\n${specErrors.map((d) => formatDiagnostic(d, 'human')).join('\n')}`,
    );
  }

  // 2. The target's generator.
  const result = await run.generator.generate(loaded.ir, run.options);
  for (const d of result.diagnostics) if (d.severity !== 'error') log(formatDiagnostic(d, 'human'));
  const genErrors = errorsOf(result.diagnostics);
  if (genErrors.length > 0) {
    throw new Error(
      `the ${run.generator.target} generator reported errors; nothing was generated:\n${genErrors.map((d) => formatDiagnostic(d, 'human')).join('\n')}`,
    );
  }

  // 3. The manifest header, as the CLI computes it (paths relative to the output folder).
  const outDir = realOrResolved(outAbs);
  const header = manifestHeader({
    outDir,
    spec: realOrResolved(specAbs),
    inputFiles: loaded.files.map(realOrResolved),
    generator: `${run.generator.target}@${run.generator.version}`,
    generatorPackage: run.generatorPackage,
    writer: NX_WRITER,
    options: run.options as unknown as Record<string, unknown>,
    hashFile: (abs) => {
      try {
        return sha256(readFileSync(abs));
      } catch {
        return null;
      }
    },
  });

  // 4. The plan: the CLI writer's policy, over the tree.
  const plan = await planOutput({
    files: result.files,
    header,
    view: new TreeView(tree, dir),
    outLabel: dir || '.',
    removeStale: run.clean !== false,
  });
  if (plan.conflicts.length > 0) {
    throw new Error(
      `cannot write ${plan.conflicts.length === 1 ? '1 file' : `${plan.conflicts.length} files`} in ${dir || '.'} without touching files sync-patterns did not generate; nothing was written:\n${plan.conflicts.map((c) => `  - ${c.detail ?? c.path}`).join('\n')}`,
    );
  }

  // 5. Apply through the tree: stale files first (a stale file may become a folder), manifest last.
  const at = (rel: string): string => (dir === '' ? rel : `${dir}/${rel}`);
  for (const d of plan.deletes) tree.delete(at(d.path));
  for (const w of [...plan.creates, ...plan.updates]) tree.write(at(w.path), w.bytes);
  if (plan.manifestChanged) tree.write(at(MANIFEST_FILE), plan.manifestText);
  for (const w of plan.warnings) log(`warning: ${w}`);
  return {
    directory: dir,
    written: [...plan.creates, ...plan.updates].map((w) => w.path).sort(),
    removed: plan.deletes.map((d) => d.path),
    unchanged: plan.unchanged,
    kept: plan.kept,
    manifestWritten: plan.manifestChanged,
    warnings: plan.warnings,
  };
}
