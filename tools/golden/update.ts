/**
 * `npm run golden:update`: the only writer of golden files. Rewrites every case (or those whose name
 * contains the first argument) and prints what changed; review the result with `git diff`.
 */
import { allCases } from './cases.js';
import { writeGolden } from './harness.js';

const filter = process.argv[2];
let total = 0;
for (const c of await allCases()) {
  if (filter && !c.name.includes(filter)) continue;
  const { written, removed } = writeGolden(c.dir, await c.produce(), c.owns);
  if (written || removed) console.log(`${c.name}: ${written} written, ${removed} removed`);
  total += written + removed;
}
console.log(
  total === 0
    ? 'goldens: nothing changed'
    : `goldens: ${total} file(s) changed — review them with \`git diff\` before committing`,
);
