/**
 * `sync-patterns dev` from source, for benchmarks that run the dev server in its own process
 * (as in real use): `tsx tools/bench/serve-dev.ts --spec <file> --port 0 --quiet`.
 */
import { devCommand } from '../../packages/dev-server/src/cli.ts';

process.exitCode = await devCommand(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
});
