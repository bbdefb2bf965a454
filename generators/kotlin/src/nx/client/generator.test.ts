import { FsTree } from 'nx/src/generators/tree';
import { describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../testing/fixtures.js';
import clientGenerator from './generator.js';

/** A tree over the real workspace (so the spec can be read) whose writes stay in memory. */
const workspaceTree = () => new FsTree(repoRoot, false);

const DIR = 'app/src/main/kotlin/com/example/sync';
const USER_FILE = 'ui/ContactsScreen.kt';
const USER_CONTENT = 'package com.example.sync.ui\n\nfun contactsScreen() = Unit\n';

/** The files the folder's manifest says we generated. */
function manifestFiles(tree: FsTree): string[] {
  const text = tree.read(`${DIR}/.sync-patterns-manifest.json`, 'utf-8');
  return Object.keys((JSON.parse(text ?? '{}') as { files?: Record<string, string> }).files ?? {}).sort();
}

describe('nx g @sync/kotlin:client', () => {
  it('writes exactly what generator.generate produces, plus the manifest', async () => {
    const tree = workspaceTree();
    await clientGenerator(tree, { spec: 'fixtures/todo/openapi.yaml', directory: DIR, package: 'com.example.sync' });
    const created = tree.listChanges().map((c) => c.path.slice(DIR.length + 1)).sort();
    expect(created).toContain('.sync-patterns-manifest.json');
    expect(created.filter((p) => p !== '.sync-patterns-manifest.json')).toEqual(manifestFiles(tree));
    expect(created.some((p) => p.endsWith('.kt'))).toBe(true);
  });

  it("keeps the user's files, removes stale files it wrote, keeps those the user edited", async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const tree = workspaceTree();
    tree.write(`${DIR}/${USER_FILE}`, USER_CONTENT);
    await clientGenerator(tree, { spec: 'fixtures/crm/openapi.yaml', directory: DIR, package: 'com.example.sync' });
    const crm = manifestFiles(tree);
    expect(crm.length).toBeGreaterThan(3);
    expect(crm).not.toContain(USER_FILE);

    await clientGenerator(tree, { spec: 'fixtures/todo/openapi.yaml', directory: DIR, package: 'com.example.sync' });
    const todo = manifestFiles(tree);
    const stale = crm.filter((p) => !todo.includes(p));
    expect(stale.length).toBeGreaterThan(1);
    for (const p of stale) expect(tree.exists(`${DIR}/${p}`)).toBe(false);
    for (const p of todo) expect(tree.exists(`${DIR}/${p}`)).toBe(true);
    expect(tree.read(`${DIR}/${USER_FILE}`, 'utf-8')).toBe(USER_CONTENT);

    // Back to crm, then the user edits one crm-only file: todo no longer deletes that one.
    await clientGenerator(tree, { spec: 'fixtures/crm/openapi.yaml', directory: DIR, package: 'com.example.sync' });
    const edited = `${DIR}/${stale[0]}`;
    tree.write(edited, `${tree.read(edited, 'utf-8')}// my change\n`);
    warn.mockClear();
    await clientGenerator(tree, { spec: 'fixtures/todo/openapi.yaml', directory: DIR, package: 'com.example.sync' });
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
