/**
 * `sync-patterns dev`: the CLI entry (the CLI's `dev` subcommand calls `devCommand(argv, io)`).
 * Loads the spec, starts the server, prints where it listens and what it serves, and runs until
 * SIGINT / SIGTERM (or `io.signal` aborts), then shuts down gracefully. Exit codes follow the
 * CLI: 0 after a clean stop, 1 when the spec has errors or the server cannot start, 2 on usage.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PortInUseError, startDevServer, type DevServerOptions } from './start.js';

export interface DevIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Stops the server when aborted (tests); SIGINT / SIGTERM always do. */
  signal?: AbortSignal;
}

export const DEV_HELP = `Usage: sync-patterns dev --spec <file> [--port 4100] [--host 127.0.0.1] [--database-url postgres://…] [--data-dir <dir>] [--seed <file>] [--auth <file>] [--allow-anonymous] [--shapes-only] [--quiet]

Runs a stateful backend built from the spec: the REST API of every entity operation, backed by
Postgres, plus an Electric-compatible shape feed at /v1/shape for live entities.
  --spec <file>          the annotated OpenAPI document
  --port <n>             port to listen on (default 4100; 0 = any free port)
  --host <addr>          address to bind (default 127.0.0.1)
  --database-url <url>   use this Postgres instead of the embedded PGlite
  --data-dir <dir>       PGlite: keep the database in this folder (default: in memory)
  --seed <file>          JSON {table: [rows]} loaded into empty tables at startup
  --shapes-only          with --database-url: serve only the shape feed of tables another backend
                         (e.g. FastAPI) creates and writes to; REST answers 404
  --auth <file>          JSON {"principals": [{"token", "id", "roles"}]}: tokens map to principals
                         (an unknown token answers 401), x-rbac applies; without it, a token's
                         text is the principal id
  --allow-anonymous      serve callers without a token on operations that declare security
                         (default: 401, as the spec says)
  --require-auth         the default (kept for older scripts)
  --quiet                no request log
`;

export async function devCommand(argv: readonly string[], io: DevIO): Promise<number> {
  const args = argv[0] === 'dev' ? argv.slice(1) : argv;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        spec: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'database-url': { type: 'string' },
        'data-dir': { type: 'string' },
        seed: { type: 'string' },
        'shapes-only': { type: 'boolean' },
        auth: { type: 'string' },
        'require-auth': { type: 'boolean' },
        'allow-anonymous': { type: 'boolean' },
        quiet: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    io.stderr.write(
      `error: ${error instanceof Error ? error.message : String(error)}\n\n${DEV_HELP}`,
    );
    return 2;
  }
  if (values.help === true) {
    io.stdout.write(DEV_HELP);
    return 0;
  }
  const str = (k: string): string | undefined =>
    typeof values[k] === 'string' ? (values[k] as string) : undefined;
  const spec = str('spec');
  const portText = str('port') ?? '4100';
  const port = Number(portText);
  const usage =
    spec === undefined
      ? '--spec is required'
      : !/^\d+$/.test(portText) || port > 65535
        ? `--port must be 0–65535, not "${portText}"`
        : null;
  const dataDir = str('data-dir');
  const databaseUrl = str('database-url');
  const shapesOnly = values['shapes-only'] === true;
  if (values['allow-anonymous'] === true && values['require-auth'] === true) {
    io.stderr.write(
      `error: --allow-anonymous and --require-auth contradict each other (401 without a token is the default)\n\n${DEV_HELP}`,
    );
    return 2;
  }
  if (shapesOnly && (databaseUrl === undefined || str('seed') !== undefined)) {
    io.stderr.write(
      `error: --shapes-only ${databaseUrl === undefined ? 'needs --database-url (the Postgres your backend writes to)' : 'cannot be combined with --seed (your backend owns the data)'}\n\n${DEV_HELP}`,
    );
    return 2;
  }
  if (
    usage !== null ||
    spec === undefined ||
    (dataDir !== undefined && databaseUrl !== undefined)
  ) {
    io.stderr.write(
      `error: ${usage ?? '--data-dir is for PGlite; it cannot be combined with --database-url'}\n\n${DEV_HELP}`,
    );
    return 2;
  }

  const core = await import('@sync/core');
  const loaded = await core.loadSpec(resolve(io.cwd, spec));
  for (const d of loaded.diagnostics) io.stderr.write(`${core.formatDiagnostic(d, 'human')}\n`);
  if (loaded.ir === null || loaded.diagnostics.some((d) => d.severity === 'error')) {
    io.stderr.write('sync-patterns dev: the spec has errors; nothing started\n');
    return 1;
  }
  const seed = str('seed');
  const options: DevServerOptions = {
    ir: loaded.ir,
    port,
    host: str('host') ?? '127.0.0.1',
    quiet: values.quiet === true,
    log: (line) => io.stderr.write(`${line}\n`),
    ...(databaseUrl !== undefined ? { databaseUrl } : {}),
    ...(dataDir !== undefined ? { dataDir: resolve(io.cwd, dataDir) } : {}),
    ...(seed !== undefined ? { seed: resolve(io.cwd, seed) } : {}),
    ...(shapesOnly ? { shapesOnly } : {}),
    ...(str('auth') !== undefined ? { auth: resolve(io.cwd, str('auth') ?? '') } : {}),
    ...(values['allow-anonymous'] === true ? { allowAnonymous: true } : {}),
  };
  let server;
  try {
    server = await startDevServer(options);
  } catch (error) {
    io.stderr.write(
      `sync-patterns dev: ${error instanceof PortInUseError ? error.message : error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
  const db =
    databaseUrl !== undefined
      ? shapesOnly
        ? 'Postgres, shapes only'
        : 'Postgres'
      : dataDir !== undefined
        ? `PGlite in ${dataDir}`
        : 'PGlite in memory (pass --data-dir to keep data)';
  const live = loaded.ir.entities.filter((e) => e.sync.mode === 'live').map((e) => e.table);
  io.stdout.write(`sync-patterns dev: ${server.url} (${db})\n`);
  io.stdout.write(`  shapes: ${server.url}/v1/shape?table=<${live.join('|') || 'none'}>\n`);
  io.stdout.write(
    shapesOnly
      ? '  REST: not served (--shapes-only); Ctrl-C stops\n'
      : `  ${loaded.ir.operations.length} operations; Ctrl-C stops\n`,
  );

  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted === true) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  io.stderr.write('sync-patterns dev: stopping…\n');
  await server.close();
  return 0;
}
