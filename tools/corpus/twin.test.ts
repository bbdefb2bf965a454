import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { declaredNames, twinPart } from './twin.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A Kotlin output folder holding `files` (relative path → text). */
function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'twin-'));
  dirs.push(dir);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    writeFileSync(path.join(dir, f), text);
  }
  return dir;
}

const model = 'package p.model\n\ndata class Contact(\n    val id: String,\n)\n';
const api = 'package p.api\n\nimport p.model.Contact\n\nclass ContactsApi {\n    fun get(): Contact? = null\n}\n';
const other = 'package p.api\n\nclass PeopleApi\n';
const pushRepo = 'package p.data\n\nclass ContactsRepository(private val api: p.api.ContactsApi)\n';
const liveRepo = 'package p.data\n\nclass ContactsRepository(private val engine: p.data.LiveSync)\n';
const liveOnly = 'package p.data\n\nobject LiveSync\n\nfun LiveSync.start() = Unit\n';

describe('declaredNames', () => {
  it('lists top-level classes, objects, functions and properties, not members', () => {
    const text = 'data class A(\n    val x: Int,\n)\n\ninternal object B\nprivate fun <T> c(): T = TODO()\nconst val D = 1\nfun A.e() = Unit\n';
    expect(declaredNames(text)).toEqual(['A', 'B', 'c', 'D', 'A']);
  });
});

describe('twinPart', () => {
  it('checks nothing when the plain output equals its twin', () => {
    const files = { 'model/Contact.kt': model, 'api/ContactsApi.kt': api };
    expect(twinPart(tree(files), tree(files))).toEqual({ files: [], total: 2 });
  });

  it('checks the files that differ, the files naming their declarations, and files the twin lacks', () => {
    const plain = tree({ 'model/Contact.kt': model.replace('val id', 'val key'), 'api/ContactsApi.kt': api, 'api/PeopleApi.kt': other, 'api/Extra.kt': 'package p.api\n' });
    const twin = tree({ 'model/Contact.kt': model, 'api/ContactsApi.kt': api, 'api/PeopleApi.kt': other });
    expect(twinPart(plain, twin)).toEqual({ files: ['api/ContactsApi.kt', 'api/Extra.kt', 'model/Contact.kt'], total: 4 });
  });

  it('checks everything when a plain file names a declaration only the twin has', () => {
    // The plain repository differs; a plain file that names LiveSync would resolve it from the
    // twin's classes, although the plain output does not declare it.
    const plain = tree({ 'data/ContactsRepository.kt': pushRepo, 'api/ContactsApi.kt': api, 'Uses.kt': 'package p\n\nval s = p.data.LiveSync\n' });
    const twin = tree({ 'data/ContactsRepository.kt': liveRepo, 'data/LiveSync.kt': liveOnly, 'api/ContactsApi.kt': api, 'Uses.kt': 'package p\n\nval s = p.data.LiveSync\n' });
    expect(twinPart(plain, twin)).toBeNull();
  });

  it('checks everything when the twin version of a changed file declares more than the plain one', () => {
    const plain = tree({ 'data/Repo.kt': 'package p.data\n\nclass Repo\n', 'Uses.kt': 'package p\n\nval h = p.data.helper()\n' });
    const twin = tree({ 'data/Repo.kt': 'package p.data\n\nclass Repo\n\nfun helper() = 1\n', 'Uses.kt': 'package p\n\nval h = p.data.helper()\n' });
    expect(twinPart(plain, twin)).toBeNull();
  });

  it('checks only the differing repository when nothing else names the twin-only declarations', () => {
    const plain = tree({ 'data/ContactsRepository.kt': pushRepo, 'api/ContactsApi.kt': api, 'api/PeopleApi.kt': other });
    const twin = tree({ 'data/ContactsRepository.kt': liveRepo, 'data/LiveSync.kt': liveOnly, 'api/ContactsApi.kt': api, 'api/PeopleApi.kt': other });
    expect(twinPart(plain, twin)).toEqual({ files: ['data/ContactsRepository.kt'], total: 3 });
  });
});
