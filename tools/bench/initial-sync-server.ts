/**
 * The dev server of `tools/bench/initial-sync.ts`, in its own process as in real use: PGlite, the
 * CRM fixture, `--rows` contacts seeded with one INSERT … SELECT. Prints `{"url": …}` on stdout
 * once it listens, then serves until stdin closes (the bench's end) or SIGTERM.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadSpec } from '../../packages/core/src/index.ts';
import { dumpEmptyPglite, startDevServer } from '../../packages/dev-server/src/index.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const here = path.dirname(new URL(import.meta.url).pathname);
const ir = (await loadSpec(path.join(here, '../../fixtures/crm/openapi.yaml'))).ir!;
const server = await startDevServer({
  ir,
  port: 0,
  quiet: true,
  pgliteDump: await dumpEmptyPglite(),
});
await server.database
  .exec(`INSERT INTO "contacts" ("id", "first_name", "last_name", "email", "status", "tags")
  SELECT gen_random_uuid(), 'First ' || i, 'Last ' || i, 'p' || i || '@example.com', 'lead', '["a","b"]'::jsonb
  FROM generate_series(1, ${Number(values.rows)}) AS i`);
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = () => void server.close().then(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
