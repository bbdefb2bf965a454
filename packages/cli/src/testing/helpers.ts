/** Test helpers (excluded from the build). */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { vi } from 'vitest';
import type {
  Diagnostic,
  GenerateResult,
  GeneratedFile,
  LoadResult,
  SyncIR,
  TargetGenerator,
} from '@sync/core';
import type { CliServices, CoreApi } from '../context.js';
import { main } from '../main.js';
import { createRegistry, generatorProvider, type TargetProvider } from '../targets.js';

const created: string[] = [];

/** A fresh real temp folder (removed by {@link cleanupTempDirs}). */
export async function makeTempDir(prefix = 'sync-cli-'): Promise<string> {
  const dir = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

export async function cleanupTempDirs(): Promise<void> {
  for (const dir of created.splice(0)) await fs.rm(dir, { recursive: true, force: true });
}

export interface EntrySnapshot {
  type: 'file' | 'dir' | 'symlink';
  mtimeMs?: number;
  ino?: number;
  sha?: string;
  target?: string;
}

/** Every entry under `root` (relative path → type, mtime, inode, content hash). */
export async function snapshot(root: string): Promise<Record<string, EntrySnapshot>> {
  const out: Record<string, EntrySnapshot> = {};
  const walk = async (dir: string): Promise<void> => {
    let entries: string[];
    try {
      entries = (await fs.readdir(dir)).sort();
    } catch {
      return;
    }
    for (const name of entries) {
      const abs = path.join(dir, name);
      const rel = path.relative(root, abs).split(path.sep).join('/');
      const st = await fs.lstat(abs);
      if (st.isSymbolicLink()) out[rel] = { type: 'symlink', target: await fs.readlink(abs) };
      else if (st.isDirectory()) {
        out[rel] = { type: 'dir' };
        await walk(abs);
      } else {
        const sha = createHash('sha256')
          .update(await fs.readFile(abs))
          .digest('hex');
        out[rel] = { type: 'file', mtimeMs: st.mtimeMs, ino: st.ino, sha };
      }
    }
  };
  await walk(root);
  return out;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function fakeIr(title = 'Test'): SyncIR {
  return {
    irVersion: 2,
    source: { file: 'openapi.yaml', openapi: '3.1.0' },
    info: { title, version: '1.0.0' },
    servers: [],
    securitySchemes: [],
    schemas: [],
    entities: [],
    operations: [],
  };
}

export function diag(severity: 'error' | 'warning', extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    severity,
    code: severity === 'error' ? 'SP1003' : 'SP2001',
    message: severity === 'error' ? 'something is wrong' : 'something is odd',
    file: 'openapi.yaml',
    pointer: '/paths/~1contacts/get',
    line: 12,
    column: 7,
    ...extra,
  };
}

/**
 * A fake core whose loadSpec reads the spec (so that content changes are visible), returns the IR
 * with the spec's text as title, and reports `files` = the spec plus any `extraFiles`.
 */
export function fakeCore(
  opts: { diagnostics?: Diagnostic[]; extraFiles?: string[]; ir?: SyncIR | null } = {},
) {
  const loadSpec = vi.fn(async (file: string): Promise<LoadResult> => {
    const text = await fs.readFile(file, 'utf8');
    const diagnostics = opts.diagnostics ?? [];
    const failed = diagnostics.some((d) => d.severity === 'error');
    return {
      ir: failed ? null : opts.ir === undefined ? fakeIr(text.trim()) : opts.ir,
      diagnostics,
      files: [file, ...(opts.extraFiles ?? [])].sort(),
    };
  });
  const core: CoreApi = { loadSpec };
  const loadCore = vi.fn(async () => core);
  return { loadSpec, loadCore };
}

/** A fake generator: files derived from the IR title and the options. */
export function fakeGenerator(
  target = 'react',
  produce: (
    ir: SyncIR,
    options: Record<string, unknown>,
  ) => GenerateResult | Promise<GenerateResult> = (ir, options) => ({
    files: [
      { path: 'index.ts', contents: `export const title = ${JSON.stringify(ir.info.title)};\n` },
      { path: 'models/contact.ts', contents: 'export interface Contact { id: string }\n' },
      { path: 'options.json', contents: `${JSON.stringify(options)}\n` },
    ],
    diagnostics: [],
  }),
) {
  const generate = vi.fn(produce);
  const generator: TargetGenerator = { target, version: '1.0.0', generate };
  return { generator, generate };
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(
  argv: string[],
  opts: {
    cwd: string;
    env?: Record<string, string | undefined>;
    services?: Partial<CliServices>;
    tty?: boolean;
    providers?: TargetProvider[];
  },
): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const services: Partial<CliServices> = { ...opts.services };
  if (opts.providers) services.targets = createRegistry(opts.providers);
  const code = await main(
    argv,
    {
      cwd: opts.cwd,
      env: opts.env ?? {},
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t), isTTY: opts.tty ?? false },
    },
    services,
  );
  return { code, stdout, stderr };
}

export { generatorProvider };
export type { GeneratedFile };
