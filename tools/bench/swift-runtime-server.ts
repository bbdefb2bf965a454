/**
 * The dev server of `tools/bench/swift-runtime.ts`, in its own process as in real use: PGlite, the
 * todo fixture (the generated store the Swift benchmark drives), one list and `--rows` todos
 * seeded with one INSERT … SELECT. Prints `{"url": …}` on stdout once it listens, then serves until
 * stdin closes (the bench's end) or SIGTERM.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSpec } from '../../packages/core/src/index.ts';
import { dumpEmptyPglite, startDevServer } from '../../packages/dev-server/src/index.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000' } } });
const here = path.dirname(new URL(import.meta.url).pathname);
const ir = (await loadSpec(path.join(here, '../../fixtures/todo/openapi.yaml'))).ir!;
const server = await startDevServer({
  ir,
  port: 0,
  quiet: true,
  pgliteDump: await dumpEmptyPglite(),
});
const LIST = '11111111-1111-4111-8111-111111111111';
await server.database.exec(`INSERT INTO "lists" ("id", "name") VALUES ('${LIST}', 'Bench')`);
await server.database.exec(`INSERT INTO "todos" ("id", "title", "completed", "list_id")
  SELECT gen_random_uuid(), 'Todo ' || i, false, '${LIST}'
  FROM generate_series(1, ${Number(values.rows)}) AS i`);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
