/**
 * Error classes the CLI turns into exit codes. Anything else that reaches `main` is an internal
 * error (a bug): it is reported with its stack trace only under `--verbose`.
 */

/** Bad invocation: unknown command or option, missing `--spec`, unknown target, bad config. Exit 2. */
export class UsageError extends Error {
  readonly exitCode = 2 as const;
  override name = 'UsageError';
}

/** A user-facing failure that is not a usage error (exit 1): no stack trace is printed. */
export class CliError extends Error {
  readonly exitCode: number = 1;
  override name = 'CliError';
}

/** The writer refused to write, or could not, and left `--out` unchanged. Exit 1. */
export class WriterError extends CliError {
  override name = 'WriterError';
  constructor(
    message: string,
    /** One line per problem (path first), for listing under the message. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}
