/**
 * The output policy: what to create, update, leave alone, delete or refuse in an output folder,
 * given the generated files and the folder's manifest. Read-only and independent of how the folder
 * is reached: the CLI's writer plans over the file system, the Nx adapter over Nx's `Tree`, with
 * this one implementation.
 *
 * The rules (ARCHITECTURE.md of this package):
 * - a generated file that is missing is created; one with the same bytes is left alone (and
 *   adopted into the manifest even when the manifest did not list it);
 * - a generated file whose bytes differ is updated only if the manifest lists it (we wrote it);
 *   anything else at that path (a user's file, a folder, a name differing only in case, a
 *   symbolic link or non-folder above it) is a conflict, and the caller writes nothing;
 * - a file the manifest lists that is no longer generated (stale) is deleted only if it is still
 *   exactly what we wrote (its sha256 is the manifest's). One that was edited since, or replaced by
 *   a link or a folder, is kept, with a warning, and leaves the manifest: it is the user's now;
 * - a file the manifest does not list is never deleted or overwritten.
 */
import type { GeneratedFile } from '@sync/core';
import {
  MANIFEST_FILE,
  buildManifest,
  manifestFromBytes,
  sameFiles,
  serializeManifest,
  sha256,
  type ManifestHeader,
} from './manifest.js';
import { checkGeneratedPaths, foldPath, unsafePathReason } from './paths.js';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

/** Read-only access to an output folder; paths are relative to it, `/`-separated, '' = the folder. */
export interface OutputView {
  /** What is at `rel`, without following a symbolic link there; null when nothing is. */
  kind(rel: string): Promise<EntryKind | null>;
  /** Entry names of the folder `rel`, or null when it is not a readable folder. */
  list(rel: string): Promise<string[] | null>;
  /** The bytes of the file at `rel`. */
  read(rel: string): Promise<Buffer>;
}

export type DriftKind = 'differs' | 'missing' | 'stale' | 'conflict';

export interface Drift {
  kind: DriftKind;
  /** Relative to the output folder. */
  path: string;
  /** Why, for conflicts. */
  detail?: string;
}

/** What was at a path before: a file's bytes, or another kind of entry. */
export type Existing = { kind: 'file'; bytes: Buffer } | { kind: 'symlink' | 'other' };

export interface PlannedWrite {
  path: string;
  bytes: Buffer;
  /** Null for a created file. */
  previous: Existing | null;
}

export interface PlannedDelete {
  path: string;
  previous: Existing;
}

export interface OutputPlan {
  outExists: boolean;
  creates: PlannedWrite[];
  updates: PlannedWrite[];
  unchanged: string[];
  /** Stale files that are still what we wrote. */
  deletes: PlannedDelete[];
  /** Stale files kept: edited since we wrote them (or `removeStale: false`). */
  kept: string[];
  conflicts: Drift[];
  /** The new manifest. */
  manifestText: string;
  /** The bytes of the manifest file on disk, or null when there is none. */
  manifestPrevious: Buffer | null;
  /** The manifest file must be (re)written: its bytes differ from `manifestText`. */
  manifestChanged: boolean;
  /**
   * The manifest is out of date for `--check`: missing, invalid, or its list of files and hashes
   * differs. A header that differs only (another tool or version wrote it, other options or spec
   * bytes that gave the same files) is not drift: it only feeds the CLI's fast path.
   */
  manifestDrift: boolean;
  /** The new manifest's file list. */
  fileHashes: Record<string, string>;
  warnings: string[];
}

export interface PlanOptions {
  files: readonly GeneratedFile[];
  header: ManifestHeader;
  view: OutputView;
  /** How the output folder is named in messages. */
  outLabel: string;
  /**
   * Delete stale files (default true). When false they stay, and stay in the manifest, so that a
   * later run can still remove them.
   */
  removeStale?: boolean;
}

/** The output cannot be planned (invalid generated paths, output folder not a folder). */
export class OutputPlanError extends Error {
  override name = 'OutputPlanError';
  constructor(
    message: string,
    /** One line per problem. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
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

/** Memoises `kind` and `list` (every generated file asks about the same folders). */
class CachedView {
  private readonly kinds = new Map<string, Promise<EntryKind | null>>();
  private readonly listings = new Map<string, Promise<string[] | null>>();
  constructor(private readonly view: OutputView) {}

  kind(rel: string): Promise<EntryKind | null> {
    let k = this.kinds.get(rel);
    if (!k) {
      k = this.view.kind(rel);
      this.kinds.set(rel, k);
    }
    return k;
  }

  list(rel: string): Promise<string[] | null> {
    let l = this.listings.get(rel);
    if (!l) {
      l = this.view.list(rel).catch(() => null);
      this.listings.set(rel, l);
    }
    return l;
  }

  read(rel: string): Promise<Buffer> {
    return this.view.read(rel);
  }

  /** Whether the entry `rel` exists, by listing its folder (exact name, no case folding). */
  async has(rel: string): Promise<boolean> {
    const slash = rel.lastIndexOf('/');
    const entries = (await this.list(slash < 0 ? '' : rel.slice(0, slash))) ?? [];
    return entries.includes(rel.slice(slash + 1));
  }
}

/**
 * Checks the folders above `rel` inside the output folder. Returns null when the file can be
 * written (folders exist or will be created), or the reason it cannot.
 */
async function ancestorProblem(
  view: CachedView,
  rel: string,
  deleted: ReadonlySet<string>,
): Promise<string | null> {
  const segments = rel.split('/');
  for (let i = 1; i < segments.length; i++) {
    const dir = segments.slice(0, i).join('/');
    const kind = await view.kind(dir);
    if (kind === 'dir') continue;
    if (kind === null) return null;
    if (kind === 'symlink')
      return `${dir} is a symbolic link; sync-patterns never writes through links`;
    if (kind === 'file' && deleted.has(dir)) return null; // deleted before the files are written
    return `${dir} exists and is not a folder`;
  }
  return null;
}

async function existing(view: CachedView, rel: string, kind: EntryKind): Promise<Existing> {
  if (kind === 'file') return { kind: 'file', bytes: await view.read(rel) };
  return { kind: kind === 'symlink' ? 'symlink' : 'other' };
}

/** Part of every generated file's banner; only used to word a conflict, never to decide one. */
const GENERATED_MARK = 'Generated by sync-patterns';

const byPath = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Plans the output (read-only). Throws {@link OutputPlanError} when nothing can be planned. */
export async function planOutput(options: PlanOptions): Promise<OutputPlan> {
  const problems = checkGeneratedPaths(options.files.map((f) => f.path));
  if (problems.length > 0) {
    throw new OutputPlanError(
      `the generator produced ${problems.length === 1 ? 'an invalid path' : 'invalid paths'}; nothing was written`,
      problems,
    );
  }
  const view = new CachedView(options.view);
  const warnings: string[] = [];
  const outKind = await view.kind('');
  if (outKind !== null && outKind !== 'dir') {
    throw new OutputPlanError(
      `the output folder ${options.outLabel} exists and is not a folder; nothing was written`,
    );
  }
  const outExists = outKind !== null;

  // The old manifest: what we wrote last time.
  let manifestBytes: Buffer | null = null;
  if (outExists && (await view.has(MANIFEST_FILE))) {
    const kind = await view.kind(MANIFEST_FILE);
    manifestBytes = kind === 'dir' ? Buffer.alloc(0) : await view.read(MANIFEST_FILE);
  }
  const old = manifestFromBytes(manifestBytes);
  if (old.problem) warnings.push(old.problem);
  const owned = new Map<string, string>();
  for (const [p, hash] of Object.entries(old.manifest?.files ?? {})) {
    if (unsafePathReason(p) === null && foldPath(p) !== foldPath(MANIFEST_FILE)) owned.set(p, hash);
    else warnings.push(`ignoring unsafe path ${JSON.stringify(p)} in ${MANIFEST_FILE}`);
  }
  const generated = new Set(options.files.map((f) => f.path));
  const staleOwned = [...owned.keys()].filter((p) => !generated.has(p)).sort(byPath);

  // 1. Stale files: deleted only when they are still exactly what we wrote.
  const deletes: PlannedDelete[] = [];
  const kept: string[] = [];
  const keptHashes: Record<string, string> = {};
  for (const rel of staleOwned) {
    if (!(await view.has(rel))) continue; // already gone
    if (options.removeStale === false) {
      kept.push(rel);
      keptHashes[rel] = owned.get(rel) as string;
      continue;
    }
    const blocked = await ancestorProblem(view, rel, new Set());
    if (blocked) {
      warnings.push(`not removing stale ${rel}: ${blocked}`);
      continue;
    }
    const kind = (await view.kind(rel)) ?? 'other';
    if (kind === 'dir') {
      warnings.push(`not removing stale ${rel}: it is now a folder`);
      continue;
    }
    const previous = await existing(view, rel, kind);
    if (previous.kind !== 'file' || sha256(previous.bytes) !== owned.get(rel)) {
      kept.push(rel);
      warnings.push(
        `kept ${rel}: sync-patterns no longer generates it, but it was ${previous.kind === 'file' ? 'edited' : 'replaced'} since it was generated; it is yours now (delete it if you do not need it)`,
      );
      continue;
    }
    deletes.push({ path: rel, previous });
  }
  const deleted = new Set(deletes.map((d) => d.path));

  // 2. Generated files.
  const sorted = [...options.files].sort((a, b) => byPath(a.path, b.path));
  type Inspected =
    | { rel: string; bytes: Buffer; outcome: 'create'; previous: null }
    | { rel: string; bytes: Buffer; outcome: 'update'; previous: Existing }
    | { rel: string; bytes: Buffer; outcome: 'unchanged' }
    | { rel: string; bytes: Buffer; outcome: 'conflict'; detail: string };
  const inspected = await mapLimit(sorted, 32, async (file): Promise<Inspected> => {
    const bytes = Buffer.from(file.contents, 'utf8');
    const rel = file.path;
    if (!outExists) return { rel, bytes, outcome: 'create', previous: null };
    const blocked = await ancestorProblem(view, rel, deleted);
    if (blocked)
      return { rel, bytes, outcome: 'conflict', detail: `cannot write ${rel}: ${blocked}` };
    const slash = rel.lastIndexOf('/');
    const parentRel = slash < 0 ? '' : rel.slice(0, slash);
    const name = rel.slice(slash + 1);
    const entries = (await view.list(parentRel)) ?? [];
    // A name that differs only in case: on macOS it *is* this file. Fine only if we delete it.
    for (const entry of entries) {
      if (entry === name || foldPath(entry) !== foldPath(name)) continue;
      const variant = parentRel ? `${parentRel}/${entry}` : entry;
      if (!deleted.has(variant)) {
        return {
          rel,
          bytes,
          outcome: 'conflict',
          detail: owned.has(variant)
            ? `${variant} differs only in case and was edited since sync-patterns generated it; move or delete it`
            : `${variant} exists, differs only in case and was not generated by sync-patterns`,
        };
      }
    }
    if (!entries.includes(name)) return { rel, bytes, outcome: 'create', previous: null };
    const kind = (await view.kind(rel)) ?? 'other';
    if (kind === 'dir') return { rel, bytes, outcome: 'conflict', detail: `${rel} is a folder` };
    if (kind === 'file') {
      const current = await view.read(rel);
      if (current.equals(bytes)) return { rel, bytes, outcome: 'unchanged' };
      if (owned.has(rel))
        return { rel, bytes, outcome: 'update', previous: { kind: 'file', bytes: current } };
      if (current.subarray(0, 512).includes(GENERATED_MARK))
        return {
          rel,
          bytes,
          outcome: 'conflict',
          detail: `${rel} carries the sync-patterns banner but is not in ${MANIFEST_FILE} (written by a version without a manifest, or copied here); delete it if it is not yours and run again`,
        };
    } else if (owned.has(rel)) {
      return { rel, bytes, outcome: 'update', previous: await existing(view, rel, kind) };
    }
    return {
      rel,
      bytes,
      outcome: 'conflict',
      detail: `${rel} exists and was not generated by sync-patterns (it is not in ${MANIFEST_FILE}); move or delete it`,
    };
  });

  const creates: PlannedWrite[] = [];
  const updates: PlannedWrite[] = [];
  const unchanged: string[] = [];
  const conflicts: Drift[] = [];
  const fileHashes: Record<string, string> = { ...keptHashes };
  for (const item of inspected) {
    fileHashes[item.rel] = sha256(item.bytes);
    if (item.outcome === 'create')
      creates.push({ path: item.rel, bytes: item.bytes, previous: null });
    else if (item.outcome === 'update')
      updates.push({ path: item.rel, bytes: item.bytes, previous: item.previous });
    else if (item.outcome === 'unchanged') unchanged.push(item.rel);
    else conflicts.push({ kind: 'conflict', path: item.rel, detail: item.detail });
  }

  const manifestText = serializeManifest(buildManifest(options.header, fileHashes));
  return {
    outExists,
    creates,
    updates,
    unchanged,
    deletes,
    kept,
    conflicts,
    manifestText,
    manifestPrevious: manifestBytes,
    manifestChanged:
      manifestBytes === null || !manifestBytes.equals(Buffer.from(manifestText, 'utf8')),
    manifestDrift: old.manifest === null || !sameFiles(old.manifest.files, fileHashes),
    fileHashes,
    warnings,
  };
}

/** The plan as `--check` reports it: every file that differs, is missing, stale or in conflict. */
export function planDrift(plan: OutputPlan): Drift[] {
  const drift: Drift[] = [
    ...plan.creates.map((c): Drift => ({ kind: 'missing', path: c.path })),
    ...plan.updates.map((u): Drift => ({ kind: 'differs', path: u.path })),
    ...plan.conflicts,
    ...plan.deletes.map((d): Drift => ({ kind: 'stale', path: d.path })),
  ];
  if (plan.manifestDrift)
    drift.push({
      kind: plan.manifestPrevious === null ? 'missing' : 'differs',
      path: MANIFEST_FILE,
    });
  return drift.sort((a, b) => byPath(a.path, b.path));
}
