/**
 * The only code in sync-patterns that writes generated files to disk.
 *
 * Algorithm (see ARCHITECTURE.md):
 * 1. Plan, read-only, with the kit's output policy (`planOutput` of @sync/codegen, the same one the
 *    Nx generators use): check the paths, read the old manifest, compare every generated file with
 *    what is on disk, find stale files (in the old manifest, no longer generated, still what we
 *    wrote) and conflicts (a file we would write exists, differs, and is not ours).
 * 2. `--check` stops here and reports the plan as drift.
 * 3. Refuse on any conflict, before touching anything.
 * 4. Render the new and changed files (and the manifest) into a temporary folder next to `--out`.
 * 5. Commit: delete stale files, `rename` each new/changed file into place, then the manifest last.
 *    On a failure in this step every change already made is undone (best effort).
 * 6. Remove folders the stale files leave empty, and the temporary folder.
 */
import * as fs from 'node:fs/promises';
import type { Stats } from 'node:fs';
import * as path from 'node:path';
import type { GeneratedFile } from '@sync/core';
import {
  MANIFEST_FILE,
  OutputPlanError,
  mapLimit,
  planDrift,
  planOutput,
  type Drift,
  type EntryKind,
  type Existing,
  type ManifestHeader,
  type OutputView,
} from '@sync/codegen';
import { WriterError } from './errors.js';

export {
  checkGeneratedPaths,
  foldPath,
  mapLimit,
  unsafePathReason,
  type Drift,
  type DriftKind,
} from '@sync/codegen';

export interface WriteOptions {
  /** The output folder (`--out`), absolute. Created when missing. */
  outDir: string;
  /** The generator's files; paths relative to `outDir` with `/` separators. */
  files: readonly GeneratedFile[];
  /** The manifest without its file list. */
  header: ManifestHeader;
  /**
   * @internal Test hook called before each commit step (`delete`, `move`, `manifest`) with the
   * relative path; throwing from it simulates an I/O failure half-way through the commit.
   */
  beforeCommitStep?: (step: 'delete' | 'move' | 'manifest', relPath: string) => void;
}

export interface WriteSummary {
  /** Number of generated files. */
  total: number;
  /** Created or changed files (relative paths, sorted). */
  written: string[];
  /** Stale files deleted. */
  removed: string[];
  /** Files whose bytes were already right (not touched). */
  unchanged: string[];
  /** Whether the manifest was (re)written. */
  manifestWritten: boolean;
  warnings: string[];
}

export interface CheckResult {
  /** Sorted by path; empty when the output is up to date. */
  drift: Drift[];
  warnings: string[];
}

/* ------------------------------------------------------------------------------------------------
 * Planning (read-only)
 * ---------------------------------------------------------------------------------------------- */

type Previous =
  { type: 'file'; bytes: Buffer } | { type: 'symlink'; target: string } | { type: 'none' };

interface PlannedWrite {
  path: string;
  bytes: Buffer;
  previous: Previous;
}

interface PlannedDelete {
  path: string;
  previous: Previous;
}

interface Plan {
  outDir: string;
  outExists: boolean;
  creates: PlannedWrite[];
  updates: PlannedWrite[];
  unchanged: string[];
  deletes: PlannedDelete[];
  drift: Drift[];
  conflicts: Drift[];
  manifestText: string;
  manifestPrevious: Buffer | null;
  manifestChanged: boolean;
  warnings: string[];
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await fs.lstat(p);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw error;
  }
}

/** The output folder on disk, as the kit's planner sees it. */
class FsView implements OutputView {
  constructor(readonly outDir: string) {}

  abs(rel: string): string {
    return rel === '' ? this.outDir : path.join(this.outDir, ...rel.split('/'));
  }

  async kind(rel: string): Promise<EntryKind | null> {
    const st = await lstatOrNull(this.abs(rel));
    if (st === null) return null;
    if (st.isSymbolicLink()) return 'symlink';
    if (st.isDirectory()) return 'dir';
    return st.isFile() ? 'file' : 'other';
  }

  list(rel: string): Promise<string[] | null> {
    return fs.readdir(this.abs(rel)).catch(() => null);
  }

  read(rel: string): Promise<Buffer> {
    return fs.readFile(this.abs(rel));
  }
}

/** What to restore on rollback (a link's target is read here: the planner does not need it). */
async function toPrevious(view: FsView, rel: string, e: Existing | null): Promise<Previous> {
  if (e === null) return { type: 'none' };
  if (e.kind === 'file') return { type: 'file', bytes: e.bytes };
  if (e.kind === 'symlink') return { type: 'symlink', target: await fs.readlink(view.abs(rel)) };
  return { type: 'none' };
}

/**
 * The real path of the output folder when it exists (so that a symlinked `--out` works and the temp
 * folder lands on the same filesystem), else the absolute path.
 */
export async function resolveOutDir(out: string): Promise<string> {
  const abs = path.resolve(out);
  try {
    return await fs.realpath(abs);
  } catch {
    return abs;
  }
}

async function plan(options: WriteOptions): Promise<Plan> {
  const outDir = await resolveOutDir(options.outDir);
  const view = new FsView(outDir);
  let p;
  try {
    p = await planOutput({ files: options.files, header: options.header, view, outLabel: outDir });
  } catch (error) {
    if (error instanceof OutputPlanError) throw new WriterError(error.message, error.problems);
    throw error;
  }
  const writes = async (list: typeof p.creates): Promise<PlannedWrite[]> =>
    Promise.all(
      list.map(async (w) => ({
        path: w.path,
        bytes: w.bytes,
        previous: await toPrevious(view, w.path, w.previous),
      })),
    );
  return {
    outDir,
    outExists: p.outExists,
    creates: await writes(p.creates),
    updates: await writes(p.updates),
    unchanged: p.unchanged,
    deletes: await Promise.all(
      p.deletes.map(async (d) => ({
        path: d.path,
        previous: await toPrevious(view, d.path, d.previous),
      })),
    ),
    drift: planDrift(p),
    conflicts: p.conflicts,
    manifestText: p.manifestText,
    manifestPrevious: p.manifestPrevious,
    manifestChanged: p.manifestChanged,
    warnings: p.warnings,
  };
}

/* ------------------------------------------------------------------------------------------------
 * --check
 * ---------------------------------------------------------------------------------------------- */

/** Compares the generated files with `outDir` without writing anything (not even a temp folder). */
export async function checkOutput(
  options: Omit<WriteOptions, 'beforeCommitStep'>,
): Promise<CheckResult> {
  const p = await plan(options);
  return { drift: p.drift, warnings: p.warnings };
}

/** `differs  src/models/contact.ts` — one line per drift entry. */
export function formatDrift(drift: Drift): string {
  return `${drift.kind.padEnd(8)} ${drift.path}${drift.detail ? `  (${drift.detail})` : ''}`;
}

/* ------------------------------------------------------------------------------------------------
 * Writing
 * ---------------------------------------------------------------------------------------------- */

/** A temporary folder next to `outDir` (same filesystem, so `rename` is atomic). */
async function makeTempDir(outDir: string): Promise<string> {
  const parent = path.dirname(outDir);
  await fs.mkdir(parent, { recursive: true });
  return fs.mkdtemp(path.join(parent, `.${path.basename(outDir)}.sync-patterns-tmp-`));
}

async function writeTree(
  root: string,
  files: readonly { path: string; bytes: Buffer }[],
): Promise<void> {
  const dirs = new Set<string>();
  for (const f of files) {
    const segments = f.path.split('/');
    if (segments.length > 1) dirs.add(path.join(root, ...segments.slice(0, -1)));
  }
  for (const dir of [...dirs].sort()) await fs.mkdir(dir, { recursive: true });
  await mapLimit(files, 32, (f) =>
    fs.writeFile(path.join(root, ...f.path.split('/')), f.bytes, { flag: 'wx' }),
  );
}

type Undo =
  | { type: 'restore'; abs: string; previous: Previous }
  | { type: 'remove-file'; abs: string }
  | { type: 'remove-dir'; abs: string };

async function restore(abs: string, previous: Previous): Promise<void> {
  if (previous.type === 'none') {
    await fs.rm(abs, { force: true });
  } else if (previous.type === 'file') {
    await fs.rm(abs, { force: true });
    await fs.writeFile(abs, previous.bytes);
  } else {
    await fs.rm(abs, { force: true });
    await fs.symlink(previous.target, abs);
  }
}

async function undoAll(journal: Undo[]): Promise<string[]> {
  const failures: string[] = [];
  for (const step of [...journal].reverse()) {
    try {
      if (step.type === 'restore') await restore(step.abs, step.previous);
      else if (step.type === 'remove-file') await fs.rm(step.abs, { force: true });
      else await fs.rmdir(step.abs);
    } catch (error) {
      failures.push(`${step.abs}: ${(error as Error).message}`);
    }
  }
  return failures;
}

/** Creates the missing folders above `abs` inside `outDir`, recording each one it creates. */
async function ensureParents(outDir: string, abs: string, journal: Undo[]): Promise<void> {
  const missing: string[] = [];
  let dir = path.dirname(abs);
  while (dir !== outDir && dir.startsWith(outDir + path.sep)) {
    const st = await lstatOrNull(dir);
    if (st?.isDirectory()) break;
    missing.push(dir);
    dir = path.dirname(dir);
  }
  for (const d of missing.reverse()) {
    await fs.mkdir(d);
    journal.push({ type: 'remove-dir', abs: d });
  }
}

async function pruneEmptyDirs(outDir: string, removed: readonly string[]): Promise<void> {
  const candidates = new Set<string>();
  for (const rel of removed) {
    const segments = rel.split('/');
    for (let i = segments.length - 1; i >= 1; i--) candidates.add(segments.slice(0, i).join('/'));
  }
  // Deepest first, so that a parent sees its children already gone.
  for (const rel of [...candidates].sort(
    (a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1),
  )) {
    try {
      await fs.rmdir(path.join(outDir, ...rel.split('/')));
    } catch {
      // Not empty (user files, or new generated files), or already gone: keep it.
    }
  }
}

/**
 * Writes the generated files into `outDir` atomically and updates the manifest. Unchanged files are
 * not touched; stale files from the previous manifest are deleted; files sync-patterns did not
 * generate are never touched. Throws {@link WriterError} (with `outDir` unchanged) on conflicts,
 * unsafe paths or I/O errors.
 */
export async function writeOutput(options: WriteOptions): Promise<WriteSummary> {
  const p = await plan(options);
  if (p.conflicts.length > 0) {
    throw new WriterError(
      `cannot write ${p.conflicts.length === 1 ? '1 file' : `${p.conflicts.length} files`} in ${p.outDir} without touching files sync-patterns did not generate; nothing was written`,
      p.conflicts.map((c) => c.detail ?? c.path),
    );
  }
  const changed = [...p.creates, ...p.updates].sort((a, b) => (a.path < b.path ? -1 : 1));
  const summary: WriteSummary = {
    total: options.files.length,
    written: changed.map((c) => c.path),
    removed: p.deletes.map((d) => d.path),
    unchanged: p.unchanged,
    manifestWritten: p.manifestChanged,
    warnings: p.warnings,
  };
  if (changed.length === 0 && p.deletes.length === 0 && !p.manifestChanged) return summary;

  const outDir = p.outDir;
  let tmp: string;
  try {
    tmp = await makeTempDir(outDir);
  } catch (error) {
    throw new WriterError(
      `could not create a temporary folder next to ${outDir} (${(error as Error).message}); nothing was written`,
    );
  }
  try {
    // The tree is built in a sub-folder: mkdtemp creates its folder with mode 0700, and when the
    // output folder does not exist yet the tree itself is renamed into place.
    const tree = path.join(tmp, 'tree');
    await fs.mkdir(tree);
    try {
      await writeTree(tree, changed);
      await fs.writeFile(path.join(tmp, 'manifest'), p.manifestText, { flag: 'wx' });
    } catch (error) {
      throw new WriterError(
        `could not write generated files (${(error as Error).message}); nothing in ${outDir} was changed`,
      );
    }

    if (!p.outExists) {
      try {
        options.beforeCommitStep?.('move', '');
        await fs.rename(path.join(tmp, 'manifest'), path.join(tree, MANIFEST_FILE));
        await fs.rename(tree, outDir);
      } catch (error) {
        throw new WriterError(
          `could not create ${outDir} (${(error as Error).message}); nothing was written`,
        );
      }
      return summary;
    }

    const journal: Undo[] = [];
    try {
      for (const d of p.deletes) {
        const abs = path.join(outDir, ...d.path.split('/'));
        options.beforeCommitStep?.('delete', d.path);
        await fs.rm(abs, { force: true });
        journal.push({ type: 'restore', abs, previous: d.previous });
      }
      for (const c of changed) {
        const abs = path.join(outDir, ...c.path.split('/'));
        options.beforeCommitStep?.('move', c.path);
        await ensureParents(outDir, abs, journal);
        await fs.rename(path.join(tree, ...c.path.split('/')), abs);
        journal.push(
          c.previous.type === 'none'
            ? { type: 'remove-file', abs }
            : { type: 'restore', abs, previous: c.previous },
        );
      }
      if (p.manifestChanged) {
        const abs = path.join(outDir, MANIFEST_FILE);
        options.beforeCommitStep?.('manifest', MANIFEST_FILE);
        await fs.rename(path.join(tmp, 'manifest'), abs);
        journal.push(
          p.manifestPrevious === null
            ? { type: 'remove-file', abs }
            : { type: 'restore', abs, previous: { type: 'file', bytes: p.manifestPrevious } },
        );
      }
    } catch (error) {
      const failures = await undoAll(journal);
      throw new WriterError(
        failures.length === 0
          ? `could not update ${outDir} (${(error as Error).message}); every change was rolled back`
          : `could not update ${outDir} (${(error as Error).message}) and could not roll back every change`,
        failures,
      );
    }
    await pruneEmptyDirs(outDir, summary.removed);
    return summary;
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
