/** `sync-patterns check-backend`: loads the spec, runs {@link BackendChecker}, prints a summary. */
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { CommandContext } from '../context.js';
import { UsageError } from '../errors.js';
import { BackendChecker } from './check.js';

export interface CheckBackendArgs {
  spec?: string;
  url?: string;
  shapes?: string;
  token?: string;
  timeout?: string;
  settle?: string;
}

function ms(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`--${name} must be a positive number of milliseconds, not '${value}'`);
  return n;
}

function httpUrl(value: string, name: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new UsageError(`--${name} must be an http(s) URL, not '${value}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw new UsageError(`--${name} must be an http(s) URL, not '${value}'`);
  return value;
}

export async function runCheckBackend(
  args: CheckBackendArgs,
  ctx: CommandContext,
): Promise<number> {
  const { io, reporter } = ctx;
  if (args.spec === undefined) throw new UsageError('missing --spec <file>');
  if (args.url === undefined) throw new UsageError('missing --url <api base URL>');
  const apiUrl = httpUrl(args.url, 'url');
  const shapesUrl = args.shapes === undefined ? null : httpUrl(args.shapes, 'shapes');
  const timeoutMs = ms(args.timeout, 'timeout', 10_000);
  const settleMs = ms(args.settle, 'settle', 1_000);
  const specAbs = path.resolve(io.cwd, args.spec);
  const st = await stat(specAbs).catch(() => null);
  if (!st?.isFile()) throw new UsageError(`spec file not found: ${args.spec}`);

  const core = await ctx.services.loadCore();
  const result = await core.loadSpec(specAbs, { cwd: io.cwd });
  let errors = 0;
  for (const d of result.diagnostics) {
    if (d.severity === 'error') {
      errors += 1;
      reporter.diagnostic(d);
    }
  }
  if (errors > 0 || result.ir === null) {
    reporter.error(
      `the spec has ${errors} error${errors === 1 ? '' : 's'}: fix them first (sync-patterns validate --spec ${args.spec})`,
    );
    return 1;
  }
  const out = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  out(
    `check-backend: ${apiUrl}${shapesUrl ? ` (shapes: ${shapesUrl})` : ' (no --shapes: txid checks skipped)'}`,
  );
  const summary = await new BackendChecker({
    ir: result.ir,
    apiUrl,
    shapesUrl,
    token: args.token ?? io.env.SYNC_PATTERNS_TOKEN ?? null,
    timeoutMs,
    settleMs,
    out,
  }).run();
  out(
    `check-backend: ${summary.passed} passed, ${summary.failed} failed, ${summary.warnings} warnings, ${summary.skipped} skipped`,
  );
  return summary.failed > 0 ? 1 : 0;
}
