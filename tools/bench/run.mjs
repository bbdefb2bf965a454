#!/usr/bin/env node
// `npm run bench [all | name…]`: runs benchmarks one after another (all of them by default, or
// with `all`), lets each print its own figures, and closes with one line per goal of
// tools/bench/goals.json:  goal <name>: <value> <unit> (target <target>) met|missed
//
// Convention (tools/bench/README.md): the benchmarks are those listed in tools/bench/goals.json
// ("benches", in run order), then every other `tools/bench/<name>.ts` whose source prints a goal
// line (a string starting with `goal `), in name order; other files there are modules and helper
// scripts. A benchmark reports a goal by printing a line that starts with `goal <name>: ` on
// stdout. Benchmarks print measurements and ratios against a baseline taken in the same run; they
// assert nothing, so they are not part of `npm test`. The exit status is 1 when a benchmark failed
// (not when a goal is missed).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const { benches: LISTED, goals: GOALS } = JSON.parse(
  readFileSync(path.join(here, 'goals.json'), 'utf8'),
);
const PRINTS_GOALS = /[`'"]goal /;
const discovered = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .filter((n) => !LISTED.includes(n))
  .filter((n) => PRINTS_GOALS.test(readFileSync(path.join(here, `${n}.ts`), 'utf8')))
  .sort();
const ALL = [...LISTED.filter((n) => existsSync(path.join(here, `${n}.ts`))), ...discovered];
const GOAL_LINE = /^goal ([^:]+): /;

const args = process.argv.slice(2);
const names = args.length === 0 || (args.length === 1 && args[0] === 'all') ? ALL : args;
for (const name of names) {
  if (!ALL.includes(name)) {
    console.error(`unknown benchmark "${name}" (known: all, ${ALL.join(', ')})`);
    process.exit(2);
  }
}

/** Runs one benchmark, echoing its output, and returns its exit code and the goal lines it printed. */
function run(name) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(here, `${name}.ts`)],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const goals = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) if (GOAL_LINE.test(line)) goals.push(line.trimEnd());
    });
    child.on('close', (code, signal) => {
      if (GOAL_LINE.test(pending)) goals.push(pending.trimEnd());
      resolve({ code: code ?? (signal ? 1 : 0), goals });
    });
  });
}

const started = Date.now();
const printed = new Map(); // goal name → line
const ran = new Map(); // bench name → exit code
let status = 0;
for (const name of names) {
  console.log(`\n== bench ${name}`);
  const { code, goals } = await run(name);
  ran.set(name, code);
  if (code !== 0) {
    status = 1;
    console.log(`== bench ${name} FAILED (exit ${code})`);
  }
  for (const line of goals) printed.set(GOAL_LINE.exec(line)[1], line);
}

const partial = names.length !== ALL.length;
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(
  `\n== goals (${partial ? names.join(', ') : 'all benchmarks'}; ${((Date.now() - started) / 60000).toFixed(1)} min; load average ${load} on ${os.cpus().length} cores; node ${process.version})`,
);
for (const goal of GOALS) {
  if (printed.has(goal.name)) {
    console.log(printed.get(goal.name));
    printed.delete(goal.name);
    continue;
  }
  // Not printed: say why. A goal whose benchmark was not selected is left out of a partial run.
  const owner = goal.bench;
  if (partial && !(owner && ran.has(owner))) continue;
  const why = !owner || !ALL.includes(owner)
    ? 'bench missing'
    : ran.get(owner) !== 0
      ? 'bench failed'
      : 'bench printed no figure';
  console.log(`goal ${goal.name}: not measured (${why}) missed`);
}
// goals a benchmark printed that goals.json does not list yet
for (const line of printed.values()) console.log(line);
process.exit(status);
