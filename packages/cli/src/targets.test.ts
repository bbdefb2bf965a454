import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  GeneratorUnavailableError,
  defaultRegistry,
  findInstalledPackage,
  linkedPackageChangeTime,
  packageProvider,
} from './targets.js';
import { cleanupTempDirs, makeTempDir } from './testing/helpers.js';

afterEach(cleanupTempDirs);

async function fakePackage(
  root: string,
  name: string,
  body: string,
  version = '1.2.3',
): Promise<string> {
  const dir = path.join(root, 'node_modules', ...name.split('/'));
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify({ name, version, type: 'module', main: 'index.js' }),
  );
  await fs.writeFile(path.join(dir, 'index.js'), body);
  return dir;
}

const importFrom = (dir: string) => (specifier: string) =>
  import(
    pathToFileURL(path.join(dir, 'node_modules', ...specifier.split('/'), 'index.js')).href
  ) as Promise<unknown>;

describe('target registry', () => {
  it('maps react, swift and kotlin to their packages', () => {
    const registry = defaultRegistry();
    expect([...registry.keys()]).toEqual(['react', 'swift', 'kotlin']);
    expect([...registry.values()].map((p) => p.packageName)).toEqual([
      '@sync/react',
      '@sync/swift',
      '@sync/kotlin',
    ]);
  });

  it('finds an installed package in an ancestor node_modules without importing it', async () => {
    const root = await makeTempDir();
    await fakePackage(root, '@sync/swift', 'throw new Error("must not be imported");');
    const deep = path.join(root, 'a', 'b');
    await fs.mkdir(deep, { recursive: true });
    expect(findInstalledPackage('@sync/swift', deep)?.identity).toBe('@sync/swift@1.2.3');
    expect(findInstalledPackage('@sync/kotlin', deep)).toBeNull();
    expect(await packageProvider('swift', '@sync/swift', { resolveFrom: deep }).identify()).toBe(
      '@sync/swift@1.2.3',
    );
  });

  it.each([
    [
      'a named export',
      'export const generator = { target: "swift", version: "7", generate: () => ({ files: [], diagnostics: [] }) };',
    ],
    [
      'a default export',
      'export default { target: "swift", version: "7", generate: () => ({ files: [], diagnostics: [] }) };',
    ],
  ])('loads a generator from %s', async (_label, body) => {
    const root = await makeTempDir();
    await fakePackage(root, '@sync/swift', body);
    const provider = packageProvider('swift', '@sync/swift', {
      resolveFrom: root,
      importer: importFrom(root),
    });
    expect((await provider.load()).version).toBe('7');
  });

  it('explains a missing, broken or empty generator package', async () => {
    const root = await makeTempDir();
    const missing = packageProvider('kotlin', '@sync/kotlin', {
      resolveFrom: root,
      importer: importFrom(root),
    });
    await expect(missing.load()).rejects.toThrow(
      new GeneratorUnavailableError(
        'the kotlin generator is not available in this build yet (package @sync/kotlin not found)',
      ),
    );
    await fakePackage(root, '@sync/swift', 'throw new Error("syntax soup");');
    const broken = packageProvider('swift', '@sync/swift', {
      resolveFrom: root,
      importer: importFrom(root),
    });
    await expect(broken.load()).rejects.toThrow(
      /the swift generator \(@sync\/swift@1\.2\.3\) is installed but failed to load: syntax soup/,
    );
    await fakePackage(root, '@sync/react', 'export const nothing = 1;');
    const empty = packageProvider('react', '@sync/react', {
      resolveFrom: root,
      importer: importFrom(root),
    });
    await expect(empty.load()).rejects.toThrow(/does not export a generator/);
  });

  it('reports a change time only for packages linked from a workspace', async () => {
    const root = await makeTempDir();
    const installed = await fakePackage(root, '@sync/swift', 'export {};');
    expect(linkedPackageChangeTime(installed)).toBeNull();

    const workspace = path.join(root, 'generators', 'kotlin');
    await fs.mkdir(path.join(workspace, 'dist'), { recursive: true });
    await fs.writeFile(
      path.join(workspace, 'package.json'),
      JSON.stringify({ name: '@sync/kotlin', version: '0.1.0' }),
    );
    await fs.writeFile(path.join(workspace, 'dist', 'index.js'), 'export {};');
    const later = new Date(Date.now() + 3_600_000);
    await fs.utimes(path.join(workspace, 'dist', 'index.js'), later, later);
    await fs.mkdir(path.join(root, 'node_modules', '@sync'), { recursive: true });
    await fs.symlink(workspace, path.join(root, 'node_modules', '@sync', 'kotlin'));
    const provider = packageProvider('kotlin', '@sync/kotlin', { resolveFrom: root });
    expect(await provider.identify()).toBe('@sync/kotlin@0.1.0');
    expect(Math.abs(((await provider.localChangeTime?.()) ?? 0) - later.getTime())).toBeLessThan(2);
  });
});
