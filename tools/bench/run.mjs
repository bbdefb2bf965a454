#!/usr/bin/env node
// `npm run bench [name…]`: runs the benchmarks one after another (all of them by default) and lets
// each print its own figures. Benchmarks print measurements and ratios against a baseline taken in
// the same run; they assert nothing, so they are not part of `npm test`.
//   names: core, cli-check, dev-server, react-runtime, outbox-drain, react-generate, initial-sync
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ALL = ['core', 'cli-check', 'dev-server', 'react-runtime', 'outbox-drain', 'react-generate', 'initial-sync'];
const names = process.argv.slice(2).length ? process.argv.slice(2) : ALL;
let status = 0;
for (const name of names) {
  if (!ALL.includes(name)) {
    console.error(`unknown benchmark "${name}" (known: ${ALL.join(', ')})`);
    process.exit(2);
  }
  console.log(`\n== bench ${name}`);
  const r = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'tools/bench', `${name}.ts`)],
    { stdio: 'inherit', cwd: root },
  );
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
