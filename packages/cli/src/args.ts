/**
 * Command-line parsing (node:util parseArgs, strict). Every problem is a {@link UsageError}.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  isDiagnosticFormat,
  DIAGNOSTIC_FORMATS,
  type DiagnosticFormat,
} from '@sync/core/diagnostics/format';
import { UsageError } from './errors.js';

export type CommandName = 'validate' | 'ir' | 'generate' | 'dev' | 'check-backend';

export type ParsedArgs =
  | { command: 'help'; topic?: CommandName }
  | { command: 'version' }
  | { command: 'dev'; argv: string[] }
  | { command: 'validate' | 'ir'; spec?: string; format?: DiagnosticFormat; verbose: boolean }
  | {
      command: 'check-backend';
      spec?: string;
      url?: string;
      shapes?: string;
      token?: string;
      timeout?: string;
      settle?: string;
      format?: DiagnosticFormat;
      verbose: boolean;
    }
  | {
      command: 'generate';
      target?: string;
      spec?: string;
      out?: string;
      check: boolean;
      config?: string;
      format?: DiagnosticFormat;
      quiet: boolean;
      verbose: boolean;
    };

type Options = NonNullable<ParseArgsConfig['options']>;

const COMMON: Options = {
  help: { type: 'boolean', short: 'h' },
  verbose: { type: 'boolean' },
  format: { type: 'string' },
};

const COMMAND_OPTIONS: Record<Exclude<CommandName, 'dev'>, Options> = {
  validate: { ...COMMON, spec: { type: 'string' } },
  ir: { ...COMMON, spec: { type: 'string' } },
  generate: {
    ...COMMON,
    target: { type: 'string' },
    spec: { type: 'string' },
    out: { type: 'string' },
    check: { type: 'boolean' },
    config: { type: 'string' },
    quiet: { type: 'boolean' },
  },
  'check-backend': {
    ...COMMON,
    spec: { type: 'string' },
    url: { type: 'string' },
    shapes: { type: 'string' },
    token: { type: 'string' },
    timeout: { type: 'string' },
    settle: { type: 'string' },
  },
};

export const HELP: Record<'main' | CommandName, string> = {
  main: `sync-patterns — typed local-first clients for React, Swift and Kotlin from an annotated OpenAPI spec

Usage:
  sync-patterns validate --spec <file> [--format human|xcode|gradle|json] [--verbose]
  sync-patterns ir       --spec <file>
  sync-patterns generate --target react|swift|kotlin --spec <file> --out <dir> [--check] [--config <file>] [--format …] [--quiet]
  sync-patterns dev      --spec <file> [--port 4100] [--database-url postgres://…] [--data-dir <dir>] [--seed <file>] [--auth <file>] [--shapes-only]
  sync-patterns check-backend --spec <file> --url <api> [--shapes <shape url>] [--token <token>]
  sync-patterns --help | --version

Run 'sync-patterns <command> --help' for details. Exit codes: 0 ok, 1 spec errors or --check drift, 2 usage errors.
`,
  validate: `Usage: sync-patterns validate --spec <file> [--format human|xcode|gradle|json] [--verbose]

Loads and validates the spec; prints errors and warnings to stderr.
  --spec <file>    the annotated OpenAPI document (YAML or JSON)
  --format <fmt>   diagnostics format: human (default), xcode (default when XCODE_VERSION_ACTUAL is set), gradle, json
  --verbose        list the files read; stack traces for internal errors
Exit 0 when valid (warnings allowed), 1 on any error, 2 on usage errors.
`,
  ir: `Usage: sync-patterns ir --spec <file>

Prints the normalised IR as JSON (2-space indent) on stdout. Diagnostics go to stderr.
`,
  generate: `Usage: sync-patterns generate --target react|swift|kotlin --spec <file> --out <dir> [--check] [--config <file>] [--format …] [--quiet]

Generates the client for one target into --out. Only changed files are rewritten; files that
sync-patterns did not generate are never touched.
  --target <name>  react, swift or kotlin
  --spec <file>    the spec (default: \`spec\` from the config)
  --out <dir>      output folder (default: \`targets.<target>.out\` from the config)
  --check          write nothing; exit 1 and list files that differ, are missing or are stale
  --config <file>  config file (default: ./sync-patterns.config.yaml when present)
  --format <fmt>   diagnostics format: human, xcode, gradle, json
  --quiet          no summary line
  --verbose        stack traces for internal errors
`,
  dev: `Usage: sync-patterns dev --spec <file> [--port 4100] [--host 127.0.0.1] [--database-url postgres://…] [--data-dir <dir>] [--seed <file>] [--auth <file>] [--allow-anonymous] [--shapes-only] [--quiet]

Runs a stateful backend made from the spec: every entity operation's REST API, backed by Postgres
(embedded PGlite by default), plus an Electric-compatible shape feed at /v1/shape.
Run 'sync-patterns dev --help' for the options.
`,
  'check-backend': `Usage: sync-patterns check-backend --spec <file> --url <api> [--shapes <shape url>] [--token <token>] [--timeout <ms>] [--settle <ms>]

Checks that a running backend keeps the sync contract (docs/backend-contract.md) for every live
entity of the spec: create, update and delete with Idempotency-Key and their replays (same answer,
written once), the answered x-sync-txid arriving on the shape feed with the change, 404 and 422
answers, X-HTTP-Method-Override and the CORS headers the outbox needs. It WRITES rows (and
deletes them again): point it at a development or staging backend nobody else writes to.
  --spec <file>      the annotated OpenAPI document the backend serves
  --url <api>        the API's base URL (the spec's paths are appended), e.g. http://localhost:8000
  --shapes <url>     the Electric shape endpoint, e.g. http://localhost:3000/v1/shape; without it
                     the txid and written-once-on-the-shape checks are skipped
  --token <token>    sent as Authorization: Bearer <token> (default: $SYNC_PATTERNS_TOKEN)
  --timeout <ms>     how long to wait for an answer or a change on the shape (default 10000)
  --settle <ms>      quiet window after a replay in which no change may arrive (default 1000)
Prints one PASS/FAIL/WARN/SKIP line per check. Exit 0 when nothing failed, 1 on any failure, 2 on usage errors.
`,
};

function isCommand(value: string): value is CommandName {
  return (
    value === 'validate' ||
    value === 'ir' ||
    value === 'generate' ||
    value === 'dev' ||
    value === 'check-backend'
  );
}

function usageFromParseError(error: unknown, command: string): UsageError {
  const e = error as { code?: string; message?: string };
  const message = e.message ?? String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new UsageError(`unknown option ${quoted ?? ''} for '${command}'`.replace('  ', ' '));
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      const option = quoted?.split(' ')[0] ?? 'an option';
      return new UsageError(`option ${option} needs a value`);
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return new UsageError(`unexpected argument ${quoted ?? ''} for '${command}'`);
    default:
      return new UsageError(message);
  }
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined)
    throw new UsageError('missing command (validate, ir, generate, dev or check-backend)');
  if (first === '--help' || first === '-h' || first === 'help') {
    const topic = rest[0];
    return topic !== undefined && isCommand(topic)
      ? { command: 'help', topic }
      : { command: 'help' };
  }
  if (first === '--version' || first === '-v' || first === '-V') return { command: 'version' };
  if (!isCommand(first)) {
    throw new UsageError(
      first.startsWith('-')
        ? `unknown option ${first} (expected a command first)`
        : `unknown command '${first}'`,
    );
  }
  if (first === 'dev') return { command: 'dev', argv: rest };

  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...rest],
      options: COMMAND_OPTIONS[first],
      strict: true,
      allowPositionals: false,
    }) as {
      values: Record<string, string | boolean | undefined>;
    });
  } catch (error) {
    throw usageFromParseError(error, first);
  }
  if (values.help === true) return { command: 'help', topic: first };

  const str = (name: string): string | undefined => {
    const v = values[name];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw new UsageError(`option --${name} needs a value`);
    return v;
  };
  const formatValue = str('format');
  if (formatValue !== undefined && !isDiagnosticFormat(formatValue)) {
    throw new UsageError(
      `unknown format '${formatValue}' (expected ${DIAGNOSTIC_FORMATS.join(', ')})`,
    );
  }
  const format = formatValue as DiagnosticFormat | undefined;
  const verbose = values.verbose === true;

  if (first === 'generate') {
    return {
      command: 'generate',
      target: str('target'),
      spec: str('spec'),
      out: str('out'),
      check: values.check === true,
      config: str('config'),
      format,
      quiet: values.quiet === true,
      verbose,
    };
  }
  if (first === 'check-backend') {
    return {
      command: 'check-backend',
      spec: str('spec'),
      url: str('url'),
      shapes: str('shapes'),
      token: str('token'),
      timeout: str('timeout'),
      settle: str('settle'),
      format,
      verbose,
    };
  }
  return { command: first, spec: str('spec'), format, verbose };
}

/** The format used before/without `--format`: xcode inside an Xcode build phase, else human. */
export function defaultFormat(env: Readonly<Record<string, string | undefined>>): DiagnosticFormat {
  return env.XCODE_VERSION_ACTUAL ? 'xcode' : 'human';
}
