/**
 * `nx g @sync/<target>:client` and `sync-patterns generate` take turns on one output folder: both
 * apply the kit's manifest policy and write the same manifest, so a CLI `--check` after an Nx run
 * is clean, and neither touches the user's files.
 */
import { cpSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FsTree, flushChanges } from 'nx/src/generators/tree';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import kotlinClient from '../../../generators/kotlin/src/nx/client/generator.js';
import reactClient from '../../../generators/react/src/nx/client/generator.js';
import swiftClient from '../../../generators/swift/src/nx/client/generator.js';
import { MANIFEST_FILE, parseManifest } from './manifest.js';
import { cleanupTempDirs, makeTempDir, runCli } from './testing/helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

type NxGenerator = (tree: FsTree, schema: { spec: string; directory: string }) => Promise<void>;
const targets: [string, NxGenerator, string][] = [
  ['react', reactClient as NxGenerator, 'custom.ts'],
  ['swift', swiftClient as NxGenerator, 'ContentView.swift'],
  ['kotlin', kotlinClient as NxGenerator, 'MainActivity.kt'],
];

let ws: string;
beforeEach(async () => {
  ws = await makeTempDir('sync-nx-cli-');
  // A spec split over several files, so that the manifest records more than one input.
  cpSync(path.join(repoRoot, 'fixtures/multi-file'), path.join(ws, 'spec'), { recursive: true });
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanupTempDirs();
});

async function nx(client: NxGenerator, dir: string): Promise<string[]> {
  const tree = new FsTree(ws, false);
  await client(tree, { spec: 'spec/openapi.yaml', directory: dir });
  const changes = tree.listChanges();
  flushChanges(ws, changes);
  return changes.map((c) => `${c.type} ${c.path}`).sort();
}

describe.each(targets)('nx g @sync/%s:client, then the CLI', (target, client, userFile) => {
  it('is clean for generate --check, unchanged by generate, and the user file survives both', async () => {
    const dir = `out/${target}`;
    mkdirSync(path.join(ws, dir), { recursive: true });
    writeFileSync(path.join(ws, dir, userFile), 'mine\n');
    await nx(client, dir);
    const manifest = parseManifest(readFileSync(path.join(ws, dir, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest?.inputs ?? {}).length).toBeGreaterThan(1);

    const argv = ['generate', '--target', target, '--spec', 'spec/openapi.yaml', '--out', dir];
    const check = await runCli([...argv, '--check'], { cwd: ws });
    expect(check).toEqual({
      code: 0,
      stdout: '',
      stderr: expect.stringMatching(
        new RegExp(`^${target}: ${dir} is up to date \\(\\d+ files\\)\\n$`),
      ),
    });
    const generate = await runCli(argv, { cwd: ws });
    expect(generate.code).toBe(0);
    expect(generate.stderr).toMatch(/\(0 written, 0 removed, \d+ unchanged\)/);

    // …and back: Nx finds every file up to date (it only records itself in the manifest's header).
    expect(await nx(client, dir)).toEqual([`UPDATE ${dir}/${MANIFEST_FILE}`]);
    expect(readFileSync(path.join(ws, dir, userFile), 'utf8')).toBe('mine\n');
  });
});
