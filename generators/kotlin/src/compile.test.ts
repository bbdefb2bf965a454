/**
 * The compile gate of the Kotlin target, over every good fixture and bad-names:
 * 1. tree-sitter parses every generated file with no ERROR/MISSING node;
 * 2. ktlint (ktlint_official via the generated .editorconfig) reports nothing;
 * 3. ONE real kotlinc invocation compiles the runtime, the Room stub and every fixture's output
 *    (each fixture in its own package) against kotlinx-serialization and coroutines.
 * The generated trees are written to test-apps/kotlin/build/generated/ (git-ignored), where
 * test-apps/kotlin/run-tests.sh picks them up for the JUnit run.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GeneratedFile } from '@sync/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '../../../packages/core/src/index.js';
import { generateKotlin } from './index.js';
import { generateFixture, kotlinFixtures, repoRoot, testAppRoot } from './testing/fixtures.js';
import { kotlinc, ktlint, mavenClasspath, roomStubSources, runtimeRoomSources, runtimeSources } from './testing/toolchain.js';
import { syntaxErrors } from './testing/tree-sitter.js';

const outRoot = path.join(testAppRoot, 'build/generated');
const fixtures = kotlinFixtures();
const generated = new Map<string, GeneratedFile[]>();

/**
 * One interface (issue #12): ONE screen-like function, compiled against the crm client twice —
 * once as the fixture declares it (contacts `x-sync: live`, Room) and once with every entity
 * flipped to `push` (in-memory cache over the API). Only the package line and the imported
 * package differ, so a type or a signature that differs between the modes fails kotlinc.
 */
const SCREEN = `package screens.MODE

import ROOT.data.ContactsRepository
import ROOT.model.Contact
import ROOT.model.ContactCreate
import ROOT.model.ContactStatus
import ROOT.model.ContactUpdate
import io.syncpatterns.runtime.sync.RowState
import io.syncpatterns.runtime.sync.Synced
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.first

/** A contacts screen: list with pending markers, then create, edit and delete one contact. */
suspend fun contactsScreen(
    contacts: ContactsRepository,
    render: (List<String>) -> Unit,
): Contact? {
    contacts.refresh()
    val rows: List<Contact> = contacts.observeAll().first()
    val withState: List<Synced<Contact>> = contacts.observeAllWithState().first()
    render(withState.map { row -> (if (row.state == RowState.PENDING) "(saving) " else "") + row.value.firstName })
    val created: Contact = contacts.create(body = ContactCreate(firstName = "Ada", email = "ada@example.com"))
    val detail: Flow<Contact?> = contacts.observe(id = created.id)
    val edited: Contact = contacts.update(id = created.id, body = ContactUpdate(status = ContactStatus.ACTIVE))
    // Server-set: null until the server has stored the row, in both modes.
    val createdAt: String? = edited.createdAt
    render(listOf(edited.status.wire, createdAt ?: "saving…", rows.size.toString()))
    contacts.delete(id = edited.id)
    return detail.first()
}
`;
const screenRoot = path.join(testAppRoot, 'build/one-interface');
let pushCrm: GeneratedFile[] = [];

beforeAll(async () => {
  rmSync(outRoot, { recursive: true, force: true });
  for (const fixture of fixtures) {
    const files = await generateFixture(fixture);
    generated.set(fixture.name, files);
    for (const file of files) {
      const target = path.join(outRoot, fixture.name, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.contents);
    }
  }
  // The crm client again with every entity in push mode (what `x-sync: push` in the spec gives).
  rmSync(screenRoot, { recursive: true, force: true });
  const crm = await loadSpec('fixtures/crm/openapi.yaml', { cwd: repoRoot });
  const ir = { ...crm.ir!, entities: crm.ir!.entities.map((e) => ({ ...e, sync: { ...e.sync, mode: 'push' as const } })) };
  pushCrm = generateKotlin(ir, { package: 'com.example.crmpush' }).files;
  for (const file of pushCrm) {
    const target = path.join(screenRoot, 'crm-push', file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.contents);
  }
  for (const [mode, root] of [['live', 'com.example.crm'], ['push', 'com.example.crmpush']] as const) {
    mkdirSync(path.join(screenRoot, 'screens'), { recursive: true });
    writeFileSync(path.join(screenRoot, 'screens', `ContactsScreen${mode}.kt`), SCREEN.replace('MODE', mode).replaceAll('ROOT', root));
  }
}, 120_000);

describe('one interface (crm live vs push)', () => {
  it('compiles the screen against a live and a push ContactsRepository (kotlinc below)', () => {
    const repo = (files: GeneratedFile[]) => files.find((f) => f.path === 'data/ContactsRepository.kt')!.contents;
    expect(repo(generated.get('crm')!)).toContain('private val dao: ContactDao,');
    expect(repo(pushCrm)).toContain('private val api: ContactsApi,');
    expect(pushCrm.some((f) => f.path.endsWith('Dao.kt'))).toBe(false);
  });
});

describe('tree-sitter syntax gate', () => {
  it('includes crm and bad-names', () => {
    expect(fixtures.map((f) => f.name)).toEqual(expect.arrayContaining(['crm', 'bad-names']));
  });

  it.each(fixtures.map((f) => f.name))('%s: every .kt file parses without ERROR/MISSING nodes', async (name) => {
    const problems: string[] = [];
    for (const file of generated.get(name)!.filter((f) => f.path.endsWith('.kt'))) {
      for (const p of await syntaxErrors(file.contents)) problems.push(`${file.path}:${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('can fail: flags broken Kotlin', async () => {
    expect(await syntaxErrors('class A(val x: Int,, ) {')).not.toEqual([]);
  });
});

describe('ktlint', () => {
  it('reports no violation in any fixture output', async () => {
    const r = await ktlint(outRoot);
    expect(r.output.split('\n').filter((l) => /\.kt:\d+:\d+/.test(l))).toEqual([]);
    expect(r.status).toBe(0);
  }, 120_000);

  it('can fail: flags a badly formatted file under the same .editorconfig', async () => {
    const dir = path.join(testAppRoot, 'build/ktlint-negative');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, '.editorconfig'), generated.get('crm')!.find((f) => f.path === '.editorconfig')!.contents);
    writeFileSync(path.join(dir, 'Bad.kt'), 'package a\nimport java.util.List\nclass Bad( val x:Int)\n');
    expect((await ktlint(dir)).status).not.toBe(0);
  }, 60_000);
});

describe('kotlinc', () => {
  it('compiles the runtime, the Room stub and every fixture in one invocation', async () => {
    const classes = path.join(testAppRoot, 'build/compile-test-classes');
    rmSync(classes, { recursive: true, force: true });
    const sources = [runtimeSources, runtimeRoomSources, roomStubSources, ...fixtures.map((f) => path.join(outRoot, f.name)), screenRoot];
    const r = await kotlinc(sources, mavenClasspath(), classes);
    console.log(`kotlinc: ${fixtures.length} fixtures + crm in push mode + the one-interface screen (live and push) + runtime + Room stub in ${r.ms} ms`);
    expect(r.output.split('\n').filter((l) => l.includes('error:'))).toEqual([]);
    expect(r.status).toBe(0);
  }, 900_000);
});
