import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GeneratedFile } from '@sync/core';
import { WriterError } from './errors.js';
import { MANIFEST_FILE, parseManifest, sha256, type ManifestHeader } from './manifest.js';
import { cleanupTempDirs, makeTempDir, sleep, snapshot } from './testing/helpers.js';
import {
  checkGeneratedPaths,
  checkOutput,
  formatDrift,
  unsafePathReason,
  writeOutput,
} from './writer.js';

const header: ManifestHeader = {
  generator: 'react@1.0.0',
  generatorPackage: '@sync/react@0.1.0',
  cli: '0.1.0',
  inputHash: 'a'.repeat(64),
  inputs: { '../openapi.yaml': 'b'.repeat(64) },
};

const files: GeneratedFile[] = [
  { path: 'index.ts', contents: 'export * from "./models/contact.js";\n' },
  { path: 'models/contact.ts', contents: 'export interface Contact { id: string }\n' },
  { path: 'models/deal.ts', contents: 'export interface Deal { id: string }\n' },
];

let root: string;
let out: string;

beforeEach(async () => {
  root = await makeTempDir();
  out = path.join(root, 'generated');
});
afterEach(cleanupTempDirs);

/** Names in the parent folder that look like our temp folders. */
async function tempDirsIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir)).filter((n) => n.includes('sync-patterns-tmp'));
}

function replace(list: GeneratedFile[], p: string, contents: string): GeneratedFile[] {
  return list.map((f) => (f.path === p ? { path: p, contents } : f));
}

describe('writeOutput', () => {
  it('creates the files and a deterministic manifest on the first write', async () => {
    const summary = await writeOutput({ outDir: out, files, header });
    expect(summary.written).toEqual(['index.ts', 'models/contact.ts', 'models/deal.ts']);
    expect(summary.removed).toEqual([]);
    expect(summary.manifestWritten).toBe(true);
    for (const f of files)
      expect(await fs.readFile(path.join(out, f.path), 'utf8')).toBe(f.contents);

    const text = await fs.readFile(path.join(out, MANIFEST_FILE), 'utf8');
    expect(text.endsWith('}\n')).toBe(true);
    const manifest = JSON.parse(text);
    expect(Object.keys(manifest)).toEqual([...Object.keys(manifest)].sort());
    expect(manifest).toEqual({
      cli: '0.1.0',
      files: Object.fromEntries(files.map((f) => [f.path, sha256(f.contents)])),
      generator: 'react@1.0.0',
      generatorPackage: '@sync/react@0.1.0',
      inputHash: 'a'.repeat(64),
      inputs: { '../openapi.yaml': 'b'.repeat(64) },
      manifestVersion: 1,
    });
    expect(parseManifest(text)).not.toBeNull();
    expect(await tempDirsIn(root)).toEqual([]);
    expect(await fs.readdir(root)).toEqual(['generated']);
  });

  it('rewrites nothing on a second identical write (mtimes and inodes preserved)', async () => {
    await writeOutput({ outDir: out, files, header });
    const before = await snapshot(out);
    await sleep(30);
    const summary = await writeOutput({ outDir: out, files, header });
    expect(summary.written).toEqual([]);
    expect(summary.unchanged).toEqual(['index.ts', 'models/contact.ts', 'models/deal.ts']);
    expect(summary.manifestWritten).toBe(false);
    expect(await snapshot(out)).toEqual(before);
    expect(await tempDirsIn(root)).toEqual([]);
  });

  it('rewrites only the file whose content changed (and the manifest)', async () => {
    await writeOutput({ outDir: out, files, header });
    const before = await snapshot(out);
    await sleep(30);
    const summary = await writeOutput({
      outDir: out,
      files: replace(files, 'models/deal.ts', 'export interface Deal { id: number }\n'),
      header,
    });
    expect(summary.written).toEqual(['models/deal.ts']);
    const after = await snapshot(out);
    expect(after['index.ts']).toEqual(before['index.ts']);
    expect(after['models/contact.ts']).toEqual(before['models/contact.ts']);
    expect(after['models/deal.ts']?.sha).not.toEqual(before['models/deal.ts']?.sha);
    expect(after[MANIFEST_FILE]?.sha).not.toEqual(before[MANIFEST_FILE]?.sha);
    expect(await fs.readFile(path.join(out, 'models/deal.ts'), 'utf8')).toBe(
      'export interface Deal { id: number }\n',
    );
  });

  it('rewrites only the manifest when only the header changed', async () => {
    await writeOutput({ outDir: out, files, header });
    const before = await snapshot(out);
    await sleep(30);
    const summary = await writeOutput({
      outDir: out,
      files,
      header: { ...header, inputHash: 'c'.repeat(64) },
    });
    expect(summary.written).toEqual([]);
    expect(summary.manifestWritten).toBe(true);
    const after = await snapshot(out);
    for (const f of files) expect(after[f.path]).toEqual(before[f.path]);
    expect(parseManifest(await fs.readFile(path.join(out, MANIFEST_FILE), 'utf8'))?.inputHash).toBe(
      'c'.repeat(64),
    );
  });

  it('deletes files no longer generated, prunes emptied folders, never touches user files', async () => {
    const more = [
      ...files,
      { path: 'deep/nested/x.ts', contents: 'x\n' },
      { path: 'shared/y.ts', contents: 'y\n' },
    ];
    await writeOutput({ outDir: out, files: more, header });
    await fs.writeFile(path.join(out, 'user-notes.md'), 'mine\n');
    await fs.writeFile(path.join(out, 'shared', 'custom.ts'), 'mine too\n');
    const userBefore = await snapshot(out);

    const summary = await writeOutput({
      outDir: out,
      files: files.filter((f) => f.path !== 'models/deal.ts'),
      header,
    });
    expect(summary.removed).toEqual(['deep/nested/x.ts', 'models/deal.ts', 'shared/y.ts']);
    expect(summary.written).toEqual([]);
    const after = await snapshot(out);
    expect(Object.keys(after).sort()).toEqual(
      [
        MANIFEST_FILE,
        'index.ts',
        'models',
        'models/contact.ts',
        'shared',
        'shared/custom.ts',
        'user-notes.md',
      ].sort(),
    );
    expect(after['user-notes.md']).toEqual(userBefore['user-notes.md']);
    expect(after['shared/custom.ts']).toEqual(userBefore['shared/custom.ts']);
    const manifest = parseManifest(await fs.readFile(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest?.files ?? {})).toEqual(['index.ts', 'models/contact.ts']);
  });

  it('keeps a stale generated file the user edited (warning), which then leaves the manifest', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.writeFile(
      path.join(out, 'models', 'deal.ts'),
      'export interface Deal { id: string; mine: 1 }\n',
    );
    const summary = await writeOutput({
      outDir: out,
      files: files.filter((f) => f.path !== 'models/deal.ts'),
      header,
    });
    expect(summary.removed).toEqual([]);
    expect(summary.warnings).toEqual([
      'kept models/deal.ts: sync-patterns no longer generates it, but it was edited since it was generated; it is yours now (delete it if you do not need it)',
    ]);
    expect(await fs.readFile(path.join(out, 'models', 'deal.ts'), 'utf8')).toBe(
      'export interface Deal { id: string; mine: 1 }\n',
    );
    const manifest = parseManifest(await fs.readFile(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest?.files ?? {})).toEqual(['index.ts', 'models/contact.ts']);
    // It is the user's now: generating that path again is a conflict, not an overwrite.
    await expect(writeOutput({ outDir: out, files, header })).rejects.toThrow(WriterError);
  });

  it('keeps a stale generated file that was replaced by a symbolic link', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.rm(path.join(out, 'models', 'deal.ts'));
    await fs.symlink(path.join(root, 'nowhere'), path.join(out, 'models', 'deal.ts'));
    const summary = await writeOutput({ outDir: out, files: files.slice(0, 2), header });
    expect(summary.removed).toEqual([]);
    expect(summary.warnings.join('\n')).toMatch(/kept models\/deal\.ts: .* it was replaced since/);
    expect((await fs.lstat(path.join(out, 'models', 'deal.ts'))).isSymbolicLink()).toBe(true);
  });

  it('refuses to overwrite a user file at a generated path and changes nothing', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.writeFile(path.join(out, 'api.ts'), 'hand written\n');
    const before = await snapshot(out);
    const next = [
      ...replace(files, 'index.ts', 'changed\n'),
      { path: 'api.ts', contents: 'generated\n' },
    ];
    const error = await writeOutput({ outDir: out, files: next, header }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).message).toMatch(/did not generate/);
    expect((error as WriterError).problems.join('\n')).toMatch(
      /api\.ts exists and was not generated by sync-patterns/,
    );
    expect(await snapshot(out)).toEqual(before);
    expect(await tempDirsIn(root)).toEqual([]);
  });

  it('adopts a user file that is byte-identical to the generated one', async () => {
    await fs.mkdir(out, { recursive: true });
    await fs.writeFile(path.join(out, 'index.ts'), files[0]!.contents);
    const summary = await writeOutput({ outDir: out, files, header });
    expect(summary.unchanged).toEqual(['index.ts']);
    const manifest = parseManifest(await fs.readFile(path.join(out, MANIFEST_FILE), 'utf8'));
    expect(Object.keys(manifest?.files ?? {})).toContain('index.ts');
  });

  it('refuses a user file that differs from a generated path only in case', async () => {
    await fs.mkdir(path.join(out, 'models'), { recursive: true });
    await fs.writeFile(path.join(out, 'models', 'Contact.ts'), 'mine\n');
    const before = await snapshot(out);
    await expect(writeOutput({ outDir: out, files, header })).rejects.toThrow(WriterError);
    expect(await snapshot(out)).toEqual(before);
  });

  it('renames a generated file whose name changes only in case', async () => {
    await writeOutput({ outDir: out, files, header });
    const renamed = files.map((f) =>
      f.path === 'models/contact.ts' ? { ...f, path: 'models/Contact.ts' } : f,
    );
    const summary = await writeOutput({ outDir: out, files: renamed, header });
    expect(summary.removed).toEqual(['models/contact.ts']);
    expect(await fs.readdir(path.join(out, 'models'))).toEqual(['Contact.ts', 'deal.ts']);
  });

  it('replaces a stale generated file by a folder of the same name', async () => {
    await writeOutput({ outDir: out, files: [{ path: 'api', contents: 'old\n' }], header });
    const summary = await writeOutput({
      outDir: out,
      files: [{ path: 'api/index.ts', contents: 'new\n' }],
      header,
    });
    expect(summary.removed).toEqual(['api']);
    expect(await fs.readFile(path.join(out, 'api', 'index.ts'), 'utf8')).toBe('new\n');
  });

  it('never writes through a symbolic link inside the output folder', async () => {
    const elsewhere = path.join(root, 'elsewhere');
    await fs.mkdir(elsewhere);
    await fs.mkdir(out);
    await fs.symlink(elsewhere, path.join(out, 'models'));
    const error = await writeOutput({ outDir: out, files, header }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).problems).toEqual([
      'cannot write models/contact.ts: models is a symbolic link; sync-patterns never writes through links',
      'cannot write models/deal.ts: models is a symbolic link; sync-patterns never writes through links',
    ]);
    expect(await fs.readdir(elsewhere)).toEqual([]);
    expect(await fs.readdir(out)).toEqual(['models']);
  });

  it('never deletes outside the output folder, even with a tampered manifest', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.writeFile(path.join(root, 'precious.txt'), 'keep\n');
    const manifestPath = path.join(out, MANIFEST_FILE);
    const manifest = JSON.parse(await fs.readFile(manifestPath, 'utf8'));
    manifest.files['../precious.txt'] = sha256('keep\n');
    manifest.files['/etc/hosts'] = sha256('x');
    await fs.writeFile(manifestPath, JSON.stringify(manifest));
    const summary = await writeOutput({ outDir: out, files, header });
    expect(summary.removed).toEqual([]);
    expect(summary.warnings.join('\n')).toMatch(/ignoring unsafe path/);
    expect(await fs.readFile(path.join(root, 'precious.txt'), 'utf8')).toBe('keep\n');
  });

  it('rolls back every change when the commit fails half-way', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.writeFile(path.join(out, 'user.txt'), 'mine\n');
    const before = await snapshot(out);
    const next: GeneratedFile[] = [
      { path: 'a-new/file.ts', contents: 'new\n' },
      { path: 'index.ts', contents: 'changed index\n' },
      { path: 'models/contact.ts', contents: 'changed contact\n' },
    ];
    let moves = 0;
    const error = await writeOutput({
      outDir: out,
      files: next,
      header,
      beforeCommitStep: (step) => {
        if (step === 'move' && ++moves === 3) throw new Error('disk full (simulated)');
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriterError);
    expect((error as Error).message).toMatch(/rolled back/);
    const after = await snapshot(out);
    // Same names and bytes (restored files get new inodes/mtimes).
    const strip = (s: Record<string, { type: string; sha?: string }>) =>
      Object.fromEntries(Object.entries(s).map(([k, v]) => [k, { type: v.type, sha: v.sha }]));
    expect(strip(after)).toEqual(strip(before));
    expect(await tempDirsIn(root)).toEqual([]);
  });

  it('creates a missing output folder (and its parents) in one rename', async () => {
    const deep = path.join(root, 'a', 'b', 'out');
    const summary = await writeOutput({ outDir: deep, files, header });
    expect(summary.written.length).toBe(3);
    expect(await fs.readdir(path.join(root, 'a', 'b'))).toEqual(['out']);
    const st = await fs.stat(deep);
    expect(st.mode & 0o700).toBe(0o700);
    expect(st.mode & 0o055).not.toBe(0); // not the 0700 of mkdtemp
  });

  it('rejects an output path that is a file', async () => {
    await fs.writeFile(out, 'not a folder');
    await expect(writeOutput({ outDir: out, files, header })).rejects.toThrow(/not a folder/);
  });
});

describe('path safety', () => {
  it.each([
    ['/etc/passwd', /absolute/],
    ['C:/x.ts', /absolute/],
    ['../escape.ts', /\.\./],
    ['a/../../b.ts', /\.\./],
    ['a\\b.ts', /backslash/],
    ['a\0b.ts', /NUL/],
    ['', /empty/],
    ['a//b.ts', /empty or "\." segment/],
    ['./a.ts', /empty or "\." segment/],
  ])('rejects %j', async (bad, reason) => {
    expect(unsafePathReason(bad)).toMatch(reason);
    const error = await writeOutput({
      outDir: out,
      files: [...files, { path: bad, contents: 'x' }],
      header,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriterError);
    expect((error as WriterError).problems.join('\n')).toMatch(reason);
    await expect(fs.access(out)).rejects.toThrow();
    expect(await fs.readdir(root)).toEqual([]);
  });

  it('rejects paths that collide case-insensitively, duplicates, file/folder clashes and the manifest name', () => {
    expect(checkGeneratedPaths(['Models/A.ts', 'models/a.ts'])).toEqual([
      expect.stringMatching(/differ only in case/),
    ]);
    expect(checkGeneratedPaths(['a.ts', 'a.ts'])).toEqual([
      expect.stringMatching(/generated twice/),
    ]);
    expect(checkGeneratedPaths(['api', 'API/index.ts'])).toEqual([
      expect.stringMatching(/also a folder/),
    ]);
    expect(checkGeneratedPaths(['.SYNC-patterns-manifest.json'])).toEqual([
      expect.stringMatching(/reserved/),
    ]);
    expect(checkGeneratedPaths(['a/b.ts', 'a/c.ts', 'b.ts'])).toEqual([]);
  });

  it('leaves an existing output folder untouched on a case collision', async () => {
    await writeOutput({ outDir: out, files, header });
    const before = await snapshot(out);
    await expect(
      writeOutput({ outDir: out, files: [...files, { path: 'Index.ts', contents: 'x' }], header }),
    ).rejects.toThrow(/invalid path/);
    expect(await snapshot(out)).toEqual(before);
  });
});

describe('checkOutput', () => {
  it('reports nothing when up to date', async () => {
    await writeOutput({ outDir: out, files, header });
    expect((await checkOutput({ outDir: out, files, header })).drift).toEqual([]);
  });

  it('reports differs, missing, stale and conflicts, and writes nothing', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.writeFile(path.join(out, 'user.ts'), 'mine\n');
    const before = await snapshot(root);
    const next: GeneratedFile[] = [
      { path: 'index.ts', contents: 'changed\n' },
      { path: 'models/contact.ts', contents: files[1]!.contents },
      { path: 'models/new.ts', contents: 'new\n' },
      { path: 'user.ts', contents: 'generated\n' },
    ];
    const { drift } = await checkOutput({ outDir: out, files: next, header });
    expect(drift.map(formatDrift)).toEqual([
      `differs  ${MANIFEST_FILE}`,
      'differs  index.ts',
      'stale    models/deal.ts',
      'missing  models/new.ts',
      expect.stringMatching(/^conflict user\.ts {2}\(user\.ts exists and was not generated/),
    ]);
    expect(await snapshot(root)).toEqual(before);
  });

  it('does not report a manifest whose header alone differs (another tool or version wrote it)', async () => {
    await writeOutput({ outDir: out, files, header });
    const other = { ...header, cli: 'nx @sync/codegen@0.1.0', inputHash: 'c'.repeat(64) };
    expect((await checkOutput({ outDir: out, files, header: other })).drift).toEqual([]);
    // …but writing records the new header.
    expect((await writeOutput({ outDir: out, files, header: other })).manifestWritten).toBe(true);
  });

  it('reports a corrupt manifest', async () => {
    await writeOutput({ outDir: out, files, header });
    await fs.writeFile(path.join(out, MANIFEST_FILE), '<<<<<<< HEAD\n');
    const { drift, warnings } = await checkOutput({ outDir: out, files, header });
    expect(drift.map(formatDrift)).toEqual([`differs  ${MANIFEST_FILE}`]);
    expect(warnings.join('\n')).toMatch(/not a valid sync-patterns manifest/);
  });

  it('reports everything missing for an output folder that does not exist, without creating anything', async () => {
    const { drift } = await checkOutput({ outDir: out, files, header });
    expect(drift.map((d) => `${d.kind} ${d.path}`)).toEqual([
      `missing ${MANIFEST_FILE}`,
      'missing index.ts',
      'missing models/contact.ts',
      'missing models/deal.ts',
    ]);
    expect(await fs.readdir(root)).toEqual([]);
  });
});
