/**
 * The only code in sync-patterns that writes generated files to disk.
 *
 * Algorithm (see ARCHITECTURE.md):
 * 1. Plan, read-only: check the paths, read the old manifest, compare every generated file with
 *    what is on disk, find stale files (in the old manifest, no longer generated) and conflicts
 *    (a file we would write exists, differs, and is not ours).
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
import { WriterError } from './errors.js';
import {
  MANIFEST_FILE,
  buildManifest,
  readManifest,
  serializeManifest,
  sha256,
  type Manifest,
  type ManifestHeader,
} from './manifest.js';

export type DriftKind = 'differs' | 'missing' | 'stale' | 'conflict';

export interface Drift {
  kind: DriftKind;
  /** Relative to the output folder. */
  path: string;
  /** Why, for conflicts. */
  detail?: string;
}

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
 * Path safety
 * ---------------------------------------------------------------------------------------------- */

/** Case- and normalisation-insensitive key, as APFS/HFS+ and NTFS compare names. */
export function foldPath(p: string): string {
  return p.normalize('NFC').toLowerCase();
}

/** Why a generated path is unsafe, or null when it is fine. */
export function unsafePathReason(p: string): string | null {
  if (p === '') return 'is empty';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p)) return 'is absolute';
  const segments = p.split('/');
  if (segments.includes('..')) return 'contains ".."';
  if (segments.some((s) => s === '' || s === '.')) return 'has an empty or "." segment';
  return null;
}

/**
 * Every problem with a set of generated paths: unsafe paths, duplicates, paths that differ only in
 * case (they collide on macOS and Windows), a path that is both a file and a folder, and the
 * manifest's own name. Empty when all is well.
 */
export function checkGeneratedPaths(paths: readonly string[]): string[] {
  const problems: string[] = [];
  const files = new Map<string, string>();
  const dirs = new Map<string, string>();
  for (const p of paths) {
    const reason = unsafePathReason(p);
    if (reason) {
      problems.push(`${JSON.stringify(p)} ${reason}`);
      continue;
    }
    const folded = foldPath(p);
    if (folded === foldPath(MANIFEST_FILE)) {
      problems.push(`${p} is reserved for the sync-patterns manifest`);
      continue;
    }
    const previous = files.get(folded);
    if (previous !== undefined) {
      problems.push(
        previous === p
          ? `${p} is generated twice`
          : `${previous} and ${p} differ only in case (they would overwrite each other on macOS and Windows)`,
      );
      continue;
    }
    files.set(folded, p);
    const segments = p.split('/');
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (!dirs.has(foldPath(dir))) dirs.set(foldPath(dir), dir);
    }
  }
  for (const [folded, p] of files) {
    const dir = dirs.get(folded);
    if (dir !== undefined)
      problems.push(
        `${p} is generated as a file, but ${dir} is also a folder of other generated files`,
      );
  }
  return problems;
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
  conflicts: Drift[];
  manifestText: string;
  manifestPrevious: Buffer | null;
  manifestChanged: boolean;
  fileHashes: Record<string, string>;
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

/** Runs `fn` over `items` with at most `limit` in flight; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Read-only view of the output folder with per-folder caches. */
class OutView {
  private readonly dirState = new Map<
    string,
    Promise<'dir' | 'missing' | 'symlink' | 'file' | 'other'>
  >();
  private readonly listings = new Map<string, Promise<string[] | null>>();

  constructor(readonly outDir: string) {}

  abs(rel: string): string {
    return path.join(this.outDir, ...rel.split('/'));
  }

  /** What is at the folder `rel` ('' = the output folder itself). */
  dir(rel: string): Promise<'dir' | 'missing' | 'symlink' | 'file' | 'other'> {
    let state = this.dirState.get(rel);
    if (!state) {
      state = lstatOrNull(rel === '' ? this.outDir : this.abs(rel)).then((st) =>
        st === null
          ? 'missing'
          : st.isSymbolicLink()
            ? 'symlink'
            : st.isDirectory()
              ? 'dir'
              : st.isFile()
                ? 'file'
                : 'other',
      );
      this.dirState.set(rel, state);
    }
    return state;
  }

  /** Entry names of the folder `rel`, or null when it is not a readable folder. */
  list(rel: string): Promise<string[] | null> {
    let listing = this.listings.get(rel);
    if (!listing) {
      listing = fs.readdir(rel === '' ? this.outDir : this.abs(rel)).catch(() => null);
      this.listings.set(rel, listing);
    }
    return listing;
  }
}

/**
 * Checks the folders above `rel` inside the output folder. Returns null when the file can be
 * written (folders exist or will be created), or the reason it cannot.
 */
async function ancestorProblem(
  view: OutView,
  rel: string,
  staleOwned: ReadonlySet<string>,
): Promise<string | null> {
  const segments = rel.split('/');
  for (let i = 1; i < segments.length; i++) {
    const dir = segments.slice(0, i).join('/');
    const state = await view.dir(dir);
    if (state === 'dir') continue;
    if (state === 'missing') return null;
    if (state === 'symlink')
      return `${dir} is a symbolic link; sync-patterns never writes through links`;
    if (state === 'file' && staleOwned.has(dir)) return null; // deleted before the move step
    return `${dir} exists and is not a folder`;
  }
  return null;
}

async function readPrevious(abs: string, st: Stats): Promise<Previous> {
  if (st.isSymbolicLink()) return { type: 'symlink', target: await fs.readlink(abs) };
  if (st.isFile()) return { type: 'file', bytes: await fs.readFile(abs) };
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
  const problems = checkGeneratedPaths(options.files.map((f) => f.path));
  if (problems.length > 0) {
    throw new WriterError(
      `the generator produced ${problems.length === 1 ? 'an invalid path' : 'invalid paths'}; nothing was written`,
      problems,
    );
  }
  const warnings: string[] = [];
  const outState = await lstatOrNull(outDir);
  if (outState && !outState.isDirectory()) {
    throw new WriterError(
      `the output folder ${outDir} exists and is not a folder; nothing was written`,
    );
  }
  const outExists = outState !== null;
  const view = new OutView(outDir);

  const old = outExists ? await readManifest(outDir) : { manifest: null, bytes: null };
  if (old.problem) warnings.push(old.problem);
  const owned = new Set<string>();
  for (const p of Object.keys(old.manifest?.files ?? {})) {
    if (unsafePathReason(p) === null && foldPath(p) !== foldPath(MANIFEST_FILE)) owned.add(p);
    else warnings.push(`ignoring unsafe path ${JSON.stringify(p)} in ${MANIFEST_FILE}`);
  }
  const generated = new Set(options.files.map((f) => f.path));
  const staleOwned = new Set([...owned].filter((p) => !generated.has(p)));

  const creates: PlannedWrite[] = [];
  const updates: PlannedWrite[] = [];
  const unchanged: string[] = [];
  const conflicts: Drift[] = [];
  const fileHashes: Record<string, string> = {};

  const sorted = [...options.files].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  const inspected = await mapLimit(sorted, 32, async (file) => {
    const bytes = Buffer.from(file.contents, 'utf8');
    const rel = file.path;
    if (!outExists)
      return { rel, bytes, outcome: 'create' as const, previous: { type: 'none' } as Previous };
    const blocked = await ancestorProblem(view, rel, staleOwned);
    if (blocked)
      return {
        rel,
        bytes,
        outcome: 'conflict' as const,
        detail: `cannot write ${rel}: ${blocked}`,
      };
    const slash = rel.lastIndexOf('/');
    const parentRel = slash < 0 ? '' : rel.slice(0, slash);
    const name = rel.slice(slash + 1);
    const entries = (await view.list(parentRel)) ?? [];
    // A name that differs only in case: on macOS it *is* this file. Fine only if it is ours and stale.
    for (const entry of entries) {
      if (entry === name || foldPath(entry) !== foldPath(name)) continue;
      const variant = parentRel ? `${parentRel}/${entry}` : entry;
      if (!staleOwned.has(variant)) {
        return {
          rel,
          bytes,
          outcome: 'conflict' as const,
          detail: `${variant} exists, differs only in case and was not generated by sync-patterns`,
        };
      }
    }
    if (!entries.includes(name))
      return { rel, bytes, outcome: 'create' as const, previous: { type: 'none' } as Previous };
    const abs = view.abs(rel);
    const st = await fs.lstat(abs);
    if (st.isDirectory())
      return { rel, bytes, outcome: 'conflict' as const, detail: `${rel} is a folder` };
    if (st.isFile()) {
      const current = await fs.readFile(abs);
      if (current.equals(bytes)) return { rel, bytes, outcome: 'unchanged' as const };
      if (owned.has(rel))
        return {
          rel,
          bytes,
          outcome: 'update' as const,
          previous: { type: 'file', bytes: current } as Previous,
        };
    } else if (owned.has(rel)) {
      return { rel, bytes, outcome: 'update' as const, previous: await readPrevious(abs, st) };
    }
    return {
      rel,
      bytes,
      outcome: 'conflict' as const,
      detail: `${rel} exists and was not generated by sync-patterns (it is not in ${MANIFEST_FILE}); move or delete it`,
    };
  });

  for (const item of inspected) {
    fileHashes[item.rel] = sha256(item.bytes);
    switch (item.outcome) {
      case 'create':
        creates.push({ path: item.rel, bytes: item.bytes, previous: item.previous });
        break;
      case 'update':
        updates.push({ path: item.rel, bytes: item.bytes, previous: item.previous });
        break;
      case 'unchanged':
        unchanged.push(item.rel);
        break;
      case 'conflict':
        conflicts.push({ kind: 'conflict', path: item.rel, detail: item.detail });
        break;
    }
  }

  const deletes: PlannedDelete[] = [];
  for (const rel of [...staleOwned].sort()) {
    const blocked = await ancestorProblem(view, rel, new Set());
    if (blocked) {
      warnings.push(`not removing stale ${rel}: ${blocked}`);
      continue;
    }
    const slash = rel.lastIndexOf('/');
    const entries = (await view.list(slash < 0 ? '' : rel.slice(0, slash))) ?? [];
    if (!entries.includes(rel.slice(slash + 1))) continue; // already gone
    const abs = view.abs(rel);
    const st = await fs.lstat(abs);
    if (st.isDirectory()) {
      warnings.push(`not removing stale ${rel}: it is now a folder`);
      continue;
    }
    deletes.push({ path: rel, previous: await readPrevious(abs, st) });
  }

  const manifest: Manifest = buildManifest(options.header, fileHashes);
  const manifestText = serializeManifest(manifest);
  const manifestPrevious = old.bytes;
  return {
    outDir,
    outExists,
    creates,
    updates,
    unchanged,
    deletes,
    conflicts,
    manifestText,
    manifestPrevious,
    manifestChanged:
      manifestPrevious === null || !manifestPrevious.equals(Buffer.from(manifestText, 'utf8')),
    fileHashes,
    warnings,
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
  const drift: Drift[] = [
    ...p.creates.map((c): Drift => ({ kind: 'missing', path: c.path })),
    ...p.updates.map((u): Drift => ({ kind: 'differs', path: u.path })),
    ...p.conflicts,
    ...p.deletes.map((d): Drift => ({ kind: 'stale', path: d.path })),
  ];
  if (p.manifestChanged)
    drift.push({ kind: p.manifestPrevious === null ? 'missing' : 'differs', path: MANIFEST_FILE });
  drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { drift, warnings: p.warnings };
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
