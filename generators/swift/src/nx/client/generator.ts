/**
 * `nx g @sync/swift:client`: the same `generator.generate` as the CLI, writing into Nx's virtual
 * tree (so `--dry-run` lists the files without touching the disk). Uses the built package
 * (`@sync/swift` → dist/) and `@sync/core` to load the spec.
 */
import path from 'node:path';
import type { Tree } from '@nx/devkit';
import { formatDiagnostic, loadSpec } from '@sync/core';
import { generator } from '@sync/swift';

export interface ClientGeneratorSchema {
  spec: string;
  directory: string;
  apiBaseUrl?: string;
  electricUrl?: string;
  moduleName?: string;
  clean?: boolean;
}

function listSwiftFiles(tree: Tree, dir: string): string[] {
  if (!tree.exists(dir)) return [];
  return tree.children(dir).flatMap((child) => {
    const full = path.posix.join(dir, child);
    return tree.isFile(full) ? (full.endsWith('.swift') ? [full] : []) : listSwiftFiles(tree, full);
  });
}

export default async function clientGenerator(tree: Tree, options: ClientGeneratorSchema): Promise<void> {
  const loaded = await loadSpec(path.resolve(tree.root, options.spec), { cwd: tree.root });
  const errors = loaded.diagnostics.filter((d) => d.severity === 'error');
  for (const d of loaded.diagnostics) console.warn(formatDiagnostic(d, 'human'));
  if (errors.length > 0 || !loaded.ir) throw new Error(`${options.spec}: ${errors.length} error(s); nothing generated`);
  const result = await generator.generate(loaded.ir, {
    ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
    ...(options.electricUrl ? { electricUrl: options.electricUrl } : {}),
    ...(options.moduleName ? { moduleName: options.moduleName } : {}),
  });
  for (const d of result.diagnostics) console.warn(formatDiagnostic(d, 'human'));
  const dir = options.directory.replace(/\/+$/, '');
  const produced = new Set(result.files.map((f) => path.posix.join(dir, f.path)));
  if (options.clean !== false) {
    for (const stale of listSwiftFiles(tree, dir)) if (!produced.has(stale)) tree.delete(stale);
  }
  for (const f of result.files) {
    const target = path.posix.join(dir, f.path);
    if (!tree.exists(target) || tree.read(target, 'utf-8') !== f.contents) tree.write(target, f.contents);
  }
}
