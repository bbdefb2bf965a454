/**
 * Entry point: `main(argv, io, services)` runs one command and returns the exit code.
 * `bin/sync-patterns.js` only imports this module; nothing heavy (@sync/core, generators, yaml) is
 * imported at top level.
 */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Diagnostic } from '@sync/core';
import { HELP, defaultFormat, parseCliArgs, type ParsedArgs } from './args.js';
import type { CliIO, CliServices, CommandContext, CoreApi } from './context.js';
import { CliError, UsageError, WriterError } from './errors.js';
import { runGenerate } from './generate.js';
import { Reporter, useColor, type TextSink } from './reporter.js';
import { GeneratorUnavailableError, defaultRegistry } from './targets.js';
import { cliVersion } from './version.js';

export type { CliIO, CliServices, CoreApi } from './context.js';

let epipeHandled = false;

function processStdout(): TextSink {
  if (!epipeHandled) {
    epipeHandled = true;
    // `sync-patterns ir | head`: a closed pipe is not an error worth a stack trace.
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  return process.stdout;
}

function defaultServices(): CliServices {
  return {
    targets: defaultRegistry(),
    loadCore: async () => (await import('@sync/core')) as CoreApi,
    now: () => performance.now(),
  };
}

export async function main(
  argv: readonly string[],
  io: Partial<CliIO> = {},
  services: Partial<CliServices> = {},
): Promise<number> {
  const fullIO: CliIO = {
    stdout: io.stdout ?? processStdout(),
    stderr: io.stderr ?? process.stderr,
    cwd: io.cwd ?? process.cwd(),
    env: io.env ?? process.env,
  };
  const fullServices: CliServices = { ...defaultServices(), ...services };
  const startedAt = fullServices.now();
  const color = useColor(fullIO.stderr, fullIO.env);
  let reporter = new Reporter(fullIO.stderr, defaultFormat(fullIO.env), fullIO.cwd, color);
  let verbose = argv.includes('--verbose');
  try {
    const args = parseCliArgs(argv);
    if ('format' in args && args.format)
      reporter = new Reporter(fullIO.stderr, args.format, fullIO.cwd, color);
    if ('verbose' in args) verbose = args.verbose;
    const ctx: CommandContext = { io: fullIO, services: fullServices, reporter, startedAt };
    return await run(args, ctx);
  } catch (error) {
    return reportFailure(error, reporter, verbose, argv[0]);
  }
}

function reportFailure(
  error: unknown,
  reporter: Reporter,
  verbose: boolean,
  command: string | undefined,
): number {
  if (error instanceof UsageError) {
    reporter.error(error.message);
    const help =
      command && ['validate', 'ir', 'generate', 'check-backend'].includes(command)
        ? `sync-patterns ${command} --help`
        : 'sync-patterns --help';
    if (reporter.format === 'human' && !(error instanceof GeneratorUnavailableError))
      reporter.info(`Run '${help}' for usage.`);
    if (verbose && error.cause instanceof Error && error.cause.stack)
      reporter.raw(error.cause.stack);
    return error.exitCode;
  }
  if (error instanceof CliError) {
    reporter.error(error.message);
    if (error instanceof WriterError) reporter.problems(error.problems);
    if (verbose && error.cause instanceof Error && error.cause.stack)
      reporter.raw(error.cause.stack);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  reporter.error(
    `internal error: ${message}${verbose ? '' : ' (run with --verbose for the stack trace)'}`,
  );
  if (verbose && error instanceof Error && error.stack) reporter.raw(error.stack);
  return 1;
}

async function run(args: ParsedArgs, ctx: CommandContext): Promise<number> {
  switch (args.command) {
    case 'help':
      ctx.io.stdout.write(HELP[args.topic ?? 'main']);
      return 0;
    case 'version':
      ctx.io.stdout.write(`${cliVersion()}\n`);
      return 0;
    case 'dev': {
      // Loaded only for `dev`: PGlite and the HTTP server stay out of every other command's startup.
      const { devCommand } = await import('@sync/dev-server');
      return devCommand(args.argv, {
        stdout: ctx.io.stdout,
        stderr: ctx.io.stderr,
        cwd: ctx.io.cwd,
        env: ctx.io.env,
      });
    }
    case 'validate':
    case 'ir':
      return runLoad(args, ctx);
    case 'generate':
      return runGenerate(args, ctx);
    case 'check-backend': {
      const { runCheckBackend } = await import('./check-backend/index.js');
      return runCheckBackend(args, ctx);
    }
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `validate` and `ir`: load the spec, print diagnostics, then a summary or the IR. */
async function runLoad(
  args: Extract<ParsedArgs, { command: 'validate' | 'ir' }>,
  ctx: CommandContext,
): Promise<number> {
  const { io, reporter } = ctx;
  if (args.spec === undefined) throw new UsageError('missing --spec <file>');
  const specAbs = path.resolve(io.cwd, args.spec);
  const st = await stat(specAbs).catch(() => null);
  if (!st?.isFile()) throw new UsageError(`spec file not found: ${args.spec}`);

  const core = await ctx.services.loadCore();
  // The parser judges the spec in a worker thread while the IR is built here.
  const result = await core.loadSpec(specAbs, { cwd: io.cwd, parserInWorker: true });
  const diagnostics: readonly Diagnostic[] = result.diagnostics;
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    reporter.diagnostic(d);
    if (d.severity === 'error') errors++;
    else warnings++;
  }
  if (args.verbose) {
    for (const f of result.files) reporter.info(`read ${path.relative(io.cwd, f) || f}`);
  }
  const failed = errors > 0 || result.ir === null;

  if (args.command === 'ir') {
    if (failed) {
      reporter.error(
        errors > 0
          ? `${args.spec}: ${plural(errors, 'error')}`
          : `${args.spec}: the spec could not be loaded`,
      );
      return 1;
    }
    io.stdout.write(`${JSON.stringify(result.ir, null, 2)}\n`);
    return 0;
  }

  const elapsed = Math.round(ctx.services.now() - ctx.startedAt);
  if (failed) {
    reporter.error(
      errors > 0
        ? `${args.spec}: ${plural(errors, 'error')}${warnings > 0 ? `, ${plural(warnings, 'warning')}` : ''}`
        : `${args.spec}: the spec could not be loaded`,
    );
    return 1;
  }
  reporter.info(
    `${args.spec}: valid${warnings > 0 ? ` (${plural(warnings, 'warning')})` : ''}${args.verbose ? ` in ${elapsed} ms` : ''}`,
  );
  return 0;
}
