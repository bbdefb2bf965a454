/**
 * The real-world corpus gate (`npm run test:corpus`): every spec of `../shared/realworld/`
 * (`plain/` and `annotated/`, see its README) through the real CLI on all three targets, and each
 * target's gates:
 * - every target: `generate` exits 0; generating twice gives byte-equal trees (determinism);
 *   `generate --check` right after is clean;
 * - React: the output type-checks under the strict settings of the React compile gate;
 * - Kotlin: ktlint (the generated .editorconfig) is clean, and kotlinc compiles it against the
 *   runtime and the Room stub (the toolchain of generators/kotlin's compile gate). The plain and
 *   annotated variants of one spec share a Kotlin package and differ in a few files (the live
 *   entities' repositories and models, the live-only files): the plain variant's ktlint and kotlinc
 *   cover the files that differ from the annotated variant's (plus every file that names a
 *   declaration of theirs), compiled against the annotated variant's classes, where sources take
 *   precedence over the classpath. When a plain file names a declaration that only the annotated
 *   variant has, or the annotated variant did not compile, the plain variant compiles in full;
 * - Swift: every file parses with tree-sitter Swift (the syntax gate), and the live SQL runs in
 *   SQLite (the harness of the Swift SQL tests).
 * A spec that must be refused (annotated/petstore3) passes when every target exits 1 with located
 * errors (`file:line:col: error SPxxxx` and a JSON pointer) and writes nothing.
 *
 * Known gaps (tools/corpus/known-gaps.json: spec, target, gate, reason, issue) are failures we
 * expect until their issue lands: a known gap that fails counts as a known gap, not a failure; a
 * known gap that PASSES fails the run, so the list only shrinks (the TanStack DB conformance-suite
 * pattern). The dev-server part of the gate (CRUD of every live entity) is not here yet.
 *
 * Prints one line per spec and target, then `corpus: N passed, M failed, K known gaps`, and writes
 * `.test-results/corpus.json` as `{passed, failed, skipped}` (known gaps count as skipped).
 *
 * Usage: tsx tools/corpus/run.ts [--only <substring>] [--keep]
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { STRICT_OPTIONS } from '../../generators/react/src/testing/compile.js';
import { checkSwiftSyntax } from '../../generators/swift/src/testing/swift-syntax.js';
import { buildDatabaseFromFiles } from '../../generators/swift/src/testing/sql-harness.js';
import { twinPart } from './twin.js';
import { kotlinc, ktlint, mavenClasspath, roomStubSources, runtimeRoomSources, runtimeSources } from '../../generators/kotlin/src/testing/toolchain.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpusDir = path.resolve(repoRoot, '../shared/realworld');
const workDir = path.join(repoRoot, 'tmp/corpus');
const cli = path.join(repoRoot, 'packages/cli/bin/sync-patterns.js');

const TARGETS = ['react', 'kotlin', 'swift'] as const;
type Target = (typeof TARGETS)[number];
type Gate = 'generate' | 'determinism' | 'check' | 'refused' | 'messages' | 'tsc' | 'ktlint' | 'kotlinc' | 'parse' | 'sql';

/**
 * Specs the corpus README says must be refused with located errors (their expected result), and
 * what those errors must (not) say: the `messages` gate.
 */
const REFUSED = new Map<string, { mention: string[]; never: RegExp[] }>([
  [
    'annotated/petstore3.openapi.yaml',
    {
      // "no list operations for /pet, /user or /store/order … on the right path (/store/order,
      // not /order), and none blames an operation for merely sharing the path item".
      mention: ['/pet', '/user', '/store/order'],
      never: [/`GET \/order`/, /PUT \/pet is annotated/],
    },
  ],
]);

interface KnownGap {
  spec: string;
  target: Target;
  gate: Gate;
  reason: string;
  issue: number;
}

interface GateResult {
  gate: Gate;
  ok: boolean;
  ms: number;
  detail: string[];
  /** Printed after the gate's time, e.g. what a partial compile covered. */
  note?: string;
}

// ---------------------------------------------------------------------------------------------

function parseArgs(argv: string[]): { only: string | null; keep: boolean; jobs: number } {
  let only: string | null = null;
  let keep = false;
  let jobs = Math.min(4, Math.max(1, availableParallelism()));
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--only') only = argv[++i] ?? null;
    else if (argv[i] === '--keep') keep = true;
    else if (argv[i] === '--jobs' && /^[1-9]\d*$/.test(argv[i + 1] ?? '')) jobs = Number(argv[++i]);
    else {
      console.error(`unknown argument ${argv[i]}; usage: tsx tools/corpus/run.ts [--only <substring>] [--keep] [--jobs <n>]`);
      process.exit(2);
    }
  }
  return { only, keep, jobs };
}

/** Progress on stderr when it is a terminal (a full run takes minutes); the verdict lines go to stdout. */
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`  … ${text}\n`);
}

function run(cmd: string, args: string[], cwd = repoRoot): Promise<{ code: number | null; out: string; ms: number }> {
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (e) => (out += String(e)));
    child.on('close', (code) => resolve({ code, out, ms: Math.round(performance.now() - start) }));
  });
}

/** Every file under `dir` (relative POSIX paths), sorted. */
function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .flatMap((e) => {
      const full = path.join(dir, e);
      return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
    })
    .sort();
}

function treeHash(dir: string): Map<string, string> {
  return new Map(listFiles(dir).map((f) => [f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex')]));
}

const firstLines = (text: string, n = 8): string[] =>
  text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(0, n);

async function timed(gate: Gate, fn: () => Promise<string[]> | string[]): Promise<GateResult> {
  const start = performance.now();
  let detail: string[];
  try {
    detail = await fn();
  } catch (err) {
    detail = [`threw: ${(err as Error).stack ?? String(err)}`.split('\n').slice(0, 6).join('\n')];
  }
  return { gate, ok: detail.length === 0, ms: Math.round(performance.now() - start), detail };
}

// --- gates -----------------------------------------------------------------------------------

function generateArgs(target: Target, spec: string, out: string, config: string | null): string[] {
  return [cli, 'generate', '--target', target, '--spec', spec, '--out', out, '--quiet', ...(config ? ['--config', config] : [])];
}

/** React: the strict compile gate's options over every .ts file of the output. */
function reactTsc(dir: string): string[] {
  const roots = listFiles(dir)
    .filter((f) => /\.tsx?$/.test(f))
    .map((f) => path.join(dir, f));
  const program = ts.createProgram(roots, STRICT_OPTIONS);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!d.file || d.start === undefined) return `TS${d.code} ${msg}`;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${path.relative(dir, d.file.fileName)}:${line + 1}:${character + 1} TS${d.code} ${msg}`;
  });
}

async function swiftParse(dir: string): Promise<string[]> {
  const problems: string[] = [];
  for (const f of listFiles(dir).filter((x) => x.endsWith('.swift'))) {
    for (const p of await checkSwiftSyntax(readFileSync(path.join(dir, f), 'utf8'))) problems.push(`${f}:${p.line}:${p.column}: ${p.kind} ${JSON.stringify(p.text)}`);
  }
  return problems;
}

async function swiftSql(dir: string): Promise<string[]> {
  const files = listFiles(dir)
    .filter((f) => f.endsWith('.swift'))
    .map((f) => ({ path: f, contents: readFileSync(path.join(dir, f), 'utf8') }));
  const { db, entities, shared } = await buildDatabaseFromFiles(files);
  const problems: string[] = [];
  try {
    for (const [owner, s] of entities) {
      for (const [name, sql] of Object.entries(s)) {
        if (name.startsWith('create') || name.endsWith('Trigger')) continue; // executed by the harness
        try {
          db.prepare(sql).free();
        } catch (err) {
          problems.push(`${owner}.${name}: ${(err as Error).message}`);
        }
      }
    }
    for (const [name, sql] of Object.entries(shared)) {
      try {
        db.prepare(sql).free();
      } catch (err) {
        problems.push(`SyncSharedSQL.${name}: ${(err as Error).message}`);
      }
    }
  } finally {
    db.close();
  }
  return problems;
}

/** A refused spec: exit 1, every error line located with a pointer, nothing written. */
async function refused(target: Target, spec: string, out: string): Promise<{ problems: string[]; output: string }> {
  const r = await run(process.execPath, generateArgs(target, spec, out, null));
  const problems: string[] = [];
  if (r.code !== 1) problems.push(`expected exit 1 (refused), got ${r.code}`);
  if (existsSync(out)) problems.push(`${out} was written`);
  const lines = r.out.split('\n');
  const errors = lines.filter((l) => / error SP\d{4}: /.test(l));
  if (errors.length === 0) problems.push(`no SPxxxx error in the output:\n${firstLines(r.out).join('\n')}`);
  for (const e of errors) if (!/^\S+:\d+:\d+: error SP\d{4}: /.test(e)) problems.push(`not located: ${e}`);
  const pointers = lines.filter((l) => /^\s+at #/.test(l)).length;
  if (pointers < errors.length) problems.push(`${errors.length - pointers} error(s) without a JSON pointer`);
  return { problems, output: r.out };
}

/** What the refusal of `spec` must say (README of the corpus). */
function refusalMessages(output: string, expected: { mention: string[]; never: RegExp[] }): string[] {
  const problems: string[] = [];
  for (const p of expected.mention) if (!output.includes(p)) problems.push(`no error names ${p}`);
  for (const re of expected.never) {
    const line = output.split('\n').find((l) => re.test(l));
    if (line) problems.push(`misleading: ${line.trim()}`);
  }
  return problems;
}

// --- main ------------------------------------------------------------------------------------

/** `plain` or `annotated`. */
const variantOf = (spec: string): string => spec.split('/')[0]!;
/** `openai.openapi.json` for `plain/openai.openapi.json`. */
const baseName = (spec: string): string => spec.split('/').slice(1).join('/');
/** The size of a spec's larger variant, so both variants sort together. */
function groupSize(spec: string): number {
  return Math.max(...['plain', 'annotated'].map((v) => path.join(corpusDir, v, baseName(spec))).map((f) => (existsSync(f) ? statSync(f).size : 0)));
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/** An annotated variant's Kotlin output that compiled, and its classes. */
interface KotlinTwin {
  out: string;
  classes: string;
}

interface Unit {
  spec: string; // `plain/openai.openapi.json`
  target: Target;
  results: GateResult[];
}

async function main(): Promise<number> {
  const { only, keep, jobs } = parseArgs(process.argv.slice(2));
  if (!existsSync(corpusDir)) {
    console.error(`corpus: ${corpusDir} does not exist. The real-world specs live next to the repository in ../shared/realworld/ (plain/ and annotated/, see its README); check it out there, then run again.`);
    return 2;
  }
  if (!existsSync(path.join(repoRoot, 'packages/cli/dist/main.js'))) {
    console.error('corpus: the CLI is not built; run `npm run build` first.');
    return 2;
  }
  const gaps = JSON.parse(readFileSync(path.join(repoRoot, 'tools/corpus/known-gaps.json'), 'utf8')) as { gaps: KnownGap[] };
  const gapOf = (spec: string, target: Target, gate: Gate): KnownGap | undefined =>
    gaps.gaps.find((g) => g.spec === spec && g.target === target && g.gate === gate);

  const specs = ['plain', 'annotated']
    .flatMap((v) => (existsSync(path.join(corpusDir, v)) ? readdirSync(path.join(corpusDir, v)).filter((f) => /\.(json|ya?ml)$/.test(f)).sort().map((f) => `${v}/${f}`) : []))
    .filter((s) => only === null || s.includes(only))
    // Smallest first, so a long run reports most specs early (openai, 3.4 MB, comes last); the
    // annotated variant of a spec right before its plain variant, whose Kotlin gates wait for it.
    .sort((a, b) => groupSize(a) - groupSize(b) || baseName(a).localeCompare(baseName(b)) || (variantOf(a) === 'annotated' ? -1 : 1));
  if (specs.length === 0) {
    console.error(`corpus: no spec in ${corpusDir}/{plain,annotated}${only ? ` matching "${only}"` : ''}.`);
    return 2;
  }
  for (const g of gaps.gaps) {
    if (!specs.includes(g.spec) && only === null) console.log(`warning: known gap for a spec that is not in the corpus: ${g.spec}`);
  }

  // The annotated variant's Kotlin output and classes, for its plain twin (see the header).
  const kotlinTwins = new Map<string, Deferred<KotlinTwin | null>>();
  for (const spec of specs) {
    const twin = `plain/${baseName(spec)}`;
    if (variantOf(spec) === 'annotated' && !REFUSED.has(spec) && specs.includes(twin)) kotlinTwins.set(baseName(spec), deferred());
  }

  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  let passed = 0;
  let failed = 0;
  let known = 0;
  const report: object[] = [];
  /** Prints the unit's line as soon as its gates ran (a long run reports as it goes). */
  const verdict = (unit: Unit): void => {
    const problems: string[] = [];
    const knownFailures: string[] = [];
    for (const r of unit.results) {
      const gap = gapOf(unit.spec, unit.target, r.gate);
      if (r.ok && gap) problems.push(`${r.gate}: passes but is listed as a known gap (issue #${gap.issue}); remove it from tools/corpus/known-gaps.json`);
      else if (!r.ok && gap) knownFailures.push(`${r.gate} (known gap, #${gap.issue})`);
      else if (!r.ok) problems.push(`${r.gate}: ${r.detail.length} problem(s)\n${r.detail.slice(0, 12).map((d) => `      ${d}`).join('\n')}${r.detail.length > 12 ? `\n      … ${r.detail.length - 12} more` : ''}`);
    }
    // A gap listed for a gate that did not run (an earlier gate failed) is neither proven nor refuted.
    const timing = unit.results.map((r) => `${r.gate} ${(r.ms / 1000).toFixed(1)}s${r.note ? ` (${r.note})` : ''}`).join(', ');
    const v = problems.length > 0 ? 'FAIL' : knownFailures.length > 0 ? 'GAP ' : 'PASS';
    if (v === 'FAIL') failed++;
    else if (v === 'GAP ') known++;
    else passed++;
    console.log(`${v} ${unit.spec.padEnd(38)} ${unit.target.padEnd(6)} ${timing}${knownFailures.length ? ` — ${knownFailures.join(', ')}` : ''}`);
    for (const p of problems) console.log(`    ${p}`);
    report.push({ spec: unit.spec, target: unit.target, verdict: v.trim(), gates: unit.results.map((r) => ({ gate: r.gate, ok: r.ok, ms: r.ms, detail: r.detail.slice(0, 50), ...(r.note ? { note: r.note } : {}) })) });
  };

  const started = performance.now();
  const units: Unit[] = [];

  // Kotlin: the runtime and the Room stub once (one promise, shared by concurrent units), then
  // each spec's output against their classes.
  let kotlinClasspath: Promise<string[]> | null = null;
  const kotlinRuntime = (): Promise<string[]> => {
    kotlinClasspath ??= (async () => {
      const maven = mavenClasspath();
      const classes = path.join(workDir, 'kotlin-runtime-classes');
      const r = await kotlinc([runtimeSources, runtimeRoomSources, roomStubSources], maven, classes);
      if (r.status !== 0) throw new Error(`the Kotlin runtime did not compile:\n${firstLines(r.output, 20).join('\n')}`);
      return [...maven, classes];
    })();
    return kotlinClasspath;
  };

  // Units are independent (own output folder, own Kotlin package): run them on a pool of
  // `--jobs` workers (default: the number of CPUs, at most 4). kotlinc and tsc are mostly
  // single-threaded, and openai's two kotlinc runs (plain, annotated) dominate the run.
  const queue = specs.flatMap((spec) => TARGETS.map((target) => ({ spec, target })));
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next; next = queue.shift()) await runUnit(next.spec, next.target);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, queue.length)) }, worker));

  async function runUnit(spec: string, target: Target): Promise<void> {
    const specPath = path.join(corpusDir, spec);
    const slug = spec.replace(/\.openapi\.(json|ya?ml)$/, '').replace(/[^A-Za-z0-9]+/g, '-');
    {
      const unit: Unit = { spec, target, results: [] };
      units.push(unit);
      const out = path.join(workDir, slug, target);
      progress(`${spec} ${target}`);
      const expected = REFUSED.get(spec);
      if (expected) {
        let output = '';
        unit.results.push(
          await timed('refused', async () => {
            const r = await refused(target, specPath, out);
            output = r.output;
            return r.problems;
          }),
        );
        unit.results.push(await timed('messages', () => refusalMessages(output, expected)));
        verdict(unit);
        return;
      }
      // Kotlin: one package per spec (the plain and annotated variants share it, so the plain one
      // can compile against the annotated one's classes).
      let config: string | null = null;
      const twinOut = target === 'kotlin' && variantOf(spec) === 'annotated' ? kotlinTwins.get(baseName(spec)) : undefined;
      const twinIn = target === 'kotlin' && variantOf(spec) === 'plain' ? kotlinTwins.get(baseName(spec)) : undefined;
      if (target === 'kotlin') {
        config = path.join(workDir, `${slug}.config.yaml`);
        const pkg = baseName(spec).replace(/\.openapi\.(json|ya?ml)$/, '').replace(/[^A-Za-z0-9]+/g, '').toLowerCase();
        writeFileSync(config, `targets:\n  kotlin:\n    package: corpus.${pkg}\n`);
      }
      // Whatever happens below, a plain twin waiting for this unit is released.
      let twinResult: KotlinTwin | null = null;
      try {
        await gates();
      } finally {
        twinOut?.resolve(twinResult);
      }
      async function gates(): Promise<void> {
        const gen = await run(process.execPath, generateArgs(target, specPath, out, config));
        unit.results.push({ gate: 'generate', ok: gen.code === 0, ms: gen.ms, detail: gen.code === 0 ? [] : [`exit ${gen.code}`, ...firstLines(gen.out)] });
        if (gen.code !== 0) {
          verdict(unit);
          return;
        }
        unit.results.push(
          await timed('check', async () => {
            const r = await run(process.execPath, [...generateArgs(target, specPath, out, config), '--check']);
            return r.code === 0 ? [] : [`--check exit ${r.code}`, ...firstLines(r.out)];
          }),
        );
        unit.results.push(
          await timed('determinism', async () => {
            const again = `${out}-again`;
            const r = await run(process.execPath, generateArgs(target, specPath, again, config));
            if (r.code !== 0) return [`second generate exit ${r.code}`, ...firstLines(r.out)];
            const a = treeHash(out);
            const b = treeHash(again);
            rmSync(again, { recursive: true, force: true });
            const names = [...new Set([...a.keys(), ...b.keys()])].sort();
            return names.filter((n) => a.get(n) !== b.get(n)).map((n) => `${n} differs between two runs`);
          }),
        );
        if (target === 'react') unit.results.push(await timed('tsc', () => reactTsc(out)));
        if (target === 'swift') {
          unit.results.push(await timed('parse', () => swiftParse(out)));
          unit.results.push(await timed('sql', () => swiftSql(out)));
        }
        if (target === 'kotlin') {
          // The plain twin: only what differs from the annotated variant (null: everything).
          const twin = twinIn ? await twinIn.promise : null;
          const part = twin ? twinPart(out, twin.out) : null;
          const note = part ? `${part.files.length} of ${part.total} files, the rest as annotated` : undefined;
          const ktlintResult = await timed('ktlint', async () => {
            if (part?.files.length === 0) return [];
            const r = await ktlint(out, part?.files);
            const findings = r.output.split('\n').filter((l) => /\.kt:\d+:\d+/.test(l));
            return r.status === 0 ? [] : findings.length > 0 ? findings : firstLines(r.output);
          });
          unit.results.push(note ? { ...ktlintResult, note } : ktlintResult);
          progress(`kotlinc ${spec}`);
          const classes = `${out}-classes`;
          const kotlincResult = await timed('kotlinc', async () => {
            if (part?.files.length === 0) return [];
            const classpath = [...(await kotlinRuntime()), ...(twin ? [twin.classes] : [])];
            const r = await kotlinc(part ? part.files.map((f) => path.join(out, f)) : [out], classpath, classes);
            const errors = r.output.split('\n').filter((l) => l.includes('error:')).map((l) => l.replace(out + path.sep, ''));
            return r.status === 0 ? [] : errors.length > 0 ? errors : firstLines(r.output);
          });
          unit.results.push(note ? { ...kotlincResult, note } : kotlincResult);
          if (twinOut && kotlincResult.ok && unit.results.every((r) => r.ok)) twinResult = { out, classes };
          else rmSync(classes, { recursive: true, force: true });
        }
        verdict(unit);
        // Keep only what a failure needs for inspection (--keep); outputs are large. An annotated
        // Kotlin output its plain twin compiles against stays until the end of the run.
        if (!keep && twinResult === null) rmSync(out, { recursive: true, force: true });
      }
    }
  }

  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`corpus: ${passed} passed, ${failed} failed, ${known} known gaps (${seconds} s)`);
  mkdirSync(path.join(repoRoot, '.test-results'), { recursive: true });
  writeFileSync(path.join(repoRoot, '.test-results/corpus.json'), JSON.stringify({ passed, failed, skipped: known }, null, 2) + '\n');
  const order = (r: object): string => { const u = r as Unit; return `${u.spec}\u0000${u.target}`; };
  report.sort((a, b) => order(a).localeCompare(order(b)));
  writeFileSync(path.join(workDir, 'report.json'), JSON.stringify(report, null, 2) + '\n');
  if (!keep) {
    for (const e of readdirSync(workDir)) if (e !== 'report.json') rmSync(path.join(workDir, e), { recursive: true, force: true });
  }
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main();
