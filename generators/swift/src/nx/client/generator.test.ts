import { FsTree } from 'nx/src/generators/tree';
import { describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../testing/fixture.js';
import clientGenerator from './generator.js';

/** A tree over the real workspace (so the spec can be read) whose writes stay in memory. */
const workspaceTree = () => new FsTree(repoRoot, false);

const DIR = 'Sources/MyApp';
const USER_FILE = 'ContentView.swift';
const USER_CONTENT = 'import SwiftUI\n\nstruct ContentView: View {\n  var body: some View { Text("mine") }\n}\n';

/** The files the folder's manifest says we generated. */
function manifestFiles(tree: FsTree): string[] {
  const text = tree.read(`${DIR}/.sync-patterns-manifest.json`, 'utf-8');
  return Object.keys((JSON.parse(text ?? '{}') as { files?: Record<string, string> }).files ?? {}).sort();
}

describe('nx g @sync/swift:client', () => {
  it("never deletes the user's own Swift files in --directory", async () => {
    const tree = workspaceTree();
    const mine = 'import SwiftUI\n\nstruct ContentView: View {\n  var body: some View { Text("mine") }\n}\n';
    tree.write('Sources/MyApp/ContentView.swift', mine);
    tree.write('Sources/MyApp/Features/Settings.swift', 'struct Settings {}\n');
    await clientGenerator(tree, { spec: 'fixtures/todo/openapi.yaml', directory: 'Sources/MyApp' });
    expect(tree.read('Sources/MyApp/ContentView.swift', 'utf-8')).toBe(mine);
    expect(tree.read('Sources/MyApp/Features/Settings.swift', 'utf-8')).toBe('struct Settings {}\n');
    expect(tree.listChanges().filter((c) => c.type === 'DELETE')).toEqual([]);
  });

  it("keeps the user's files, removes stale files it wrote, keeps those the user edited", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tree = workspaceTree();
    tree.write(`${DIR}/${USER_FILE}`, USER_CONTENT);
    await clientGenerator(tree, { spec: 'fixtures/crm/openapi.yaml', directory: DIR });
    const crm = manifestFiles(tree);
    expect(crm.length).toBeGreaterThan(3);
    expect(crm).not.toContain(USER_FILE);

    await clientGenerator(tree, { spec: 'fixtures/todo/openapi.yaml', directory: DIR });
    const todo = manifestFiles(tree);
    const stale = crm.filter((p) => !todo.includes(p));
    expect(stale.length).toBeGreaterThan(1);
    for (const p of stale) expect(tree.exists(`${DIR}/${p}`)).toBe(false);
    for (const p of todo) expect(tree.exists(`${DIR}/${p}`)).toBe(true);
    expect(tree.read(`${DIR}/${USER_FILE}`, 'utf-8')).toBe(USER_CONTENT);

    // Back to crm, then the user edits one crm-only file: todo no longer deletes that one.
    await clientGenerator(tree, { spec: 'fixtures/crm/openapi.yaml', directory: DIR });
    const edited = `${DIR}/${stale[0]}`;
    tree.write(edited, `${tree.read(edited, 'utf-8')}// my change\n`);
    warn.mockClear();
    await clientGenerator(tree, { spec: 'fixtures/todo/openapi.yaml', directory: DIR });
    expect(tree.read(edited, 'utf-8')).toMatch(/\/\/ my change\n$/);
    for (const p of stale.slice(1)) expect(tree.exists(`${DIR}/${p}`)).toBe(false);
    expect(warn.mock.calls.flat().join('\n')).toMatch(
      new RegExp(`kept ${stale[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: sync-patterns no longer generates it, but it was edited`),
    );
    expect(manifestFiles(tree)).toEqual(todo);
    expect(tree.read(`${DIR}/${USER_FILE}`, 'utf-8')).toBe(USER_CONTENT);
    warn.mockRestore();
  });
});
