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
import { generateFixture, kotlinFixtures, testAppRoot } from './testing/fixtures.js';
import { kotlinc, ktlint, mavenClasspath, roomStubSources, runtimeRoomSources, runtimeSources } from './testing/toolchain.js';
import { syntaxErrors } from './testing/tree-sitter.js';

const outRoot = path.join(testAppRoot, 'build/generated');
const fixtures = kotlinFixtures();
const generated = new Map<string, GeneratedFile[]>();

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
}, 120_000);

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
    const r = await kotlinc([runtimeSources, runtimeRoomSources, roomStubSources, ...fixtures.map((f) => path.join(outRoot, f.name))], mavenClasspath(), classes);
    console.log(`kotlinc: ${fixtures.length} fixtures + runtime + Room stub in ${r.ms} ms`);
    expect(r.output.split('\n').filter((l) => l.includes('error:'))).toEqual([]);
    expect(r.status).toBe(0);
  }, 900_000);
});
