/**
 * Which paths a generator may produce: relative, `/`-separated, inside the output folder, no two
 * that collide on a case-insensitive file system, never the manifest's own name.
 */
import { MANIFEST_FILE } from './manifest.js';

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
