/**
 * Core benchmark: load + normalise time for the 1,000-operation synthetic spec and the largest
 * fixture, beside two baselines measured in the same run: parsing the text alone (js-yaml / JSON), and
 * @readme/openapi-parser's validate() alone. Prints medians over several runs; asserts nothing.
 *
 *   npx tsx tools/bench/core.ts
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { validate } from '@readme/openapi-parser';
import { CORE_SCHEMA, load as loadYaml } from 'js-yaml';
import { stringify } from 'yaml';
import { loadSpec } from '../../packages/core/src/index.js';
import { goodFixtures, repoRoot } from '../golden/cases.js';
import { syntheticSpec } from './synthetic-spec.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function median(fn: () => Promise<unknown> | unknown): Promise<number> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const synthetic = path.join(repoRoot, '.bench/synthetic/openapi.yaml');
mkdirSync(path.dirname(synthetic), { recursive: true });
writeFileSync(synthetic, stringify(syntheticSpec(200)));
const largest = goodFixtures()
  .map((f) => path.join(repoRoot, f.spec))
  .sort((a, b) => statSync(b).size - statSync(a).size)[0]!;

console.log(`core benchmark (median of ${RUNS} runs, Node ${process.version})`);
for (const [label, file] of [
  ['synthetic 1,000 ops', synthetic],
  [`largest fixture (${path.relative(repoRoot, largest)})`, largest],
] as const) {
  const probe = await loadSpec(file, { cwd: repoRoot });
  if (!probe.ir) throw new Error(`${file} does not load: ${probe.diagnostics[0]?.message}`);
  const text = readFileSync(file, 'utf8');
  const parse = await median(() =>
    file.endsWith('.json') ? JSON.parse(text) : loadYaml(text, { schema: CORE_SCHEMA }),
  );
  const parser = await median(() => validate(file));
  const full = await median(() => loadSpec(file, { cwd: repoRoot }));
  const normaliseOnly = await median(() =>
    loadSpec(file, { cwd: repoRoot, skipParserValidation: true }),
  );
  console.log(
    `\n${label}: ${probe.ir.operations.length} operations, ${probe.ir.schemas.length} schemas, ${probe.ir.entities.length} entities`,
  );
  console.log(`  parse text only (baseline)            ${parse.toFixed(1).padStart(8)} ms`);
  console.log(`  @readme/openapi-parser validate       ${parser.toFixed(1).padStart(8)} ms`);
  console.log(
    `  loadSpec without parser validation    ${normaliseOnly.toFixed(1).padStart(8)} ms  (${(normaliseOnly / parse).toFixed(1)}× parse)`,
  );
  console.log(
    `  loadSpec (validate + normalise)       ${full.toFixed(1).padStart(8)} ms  (${(full / parser).toFixed(2)}× validate alone)  target < 1000 ms: ${full < 1000 ? 'met' : 'NOT met'}`,
  );
}
