/**
 * Everything the CLI prints to stderr goes through a Reporter, in the chosen diagnostics format.
 * Colour only for the `human` format, only when stderr is a TTY, never with NO_COLOR set.
 */
import type { Diagnostic } from '@sync/core';
import {
  formatDiagnostic,
  formatMessage,
  type DiagnosticFormat,
} from '@sync/core/diagnostics/format';

export interface TextSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function useColor(
  stderr: TextSink,
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stderr.isTTY === true;
}

export class Reporter {
  constructor(
    private readonly stderr: TextSink,
    readonly format: DiagnosticFormat,
    private readonly cwd: string,
    private readonly color: boolean,
  ) {}

  private line(text: string): void {
    this.stderr.write(`${text}\n`);
  }

  diagnostic(d: Diagnostic): void {
    this.line(
      formatDiagnostic(d, this.format, {
        cwd: this.cwd,
        color: this.color && this.format === 'human',
      }),
    );
  }

  error(message: string, file?: string): void {
    this.line(
      formatMessage('error', message, this.format, { cwd: this.cwd, color: this.color, file }),
    );
  }

  warning(message: string, file?: string): void {
    this.line(
      formatMessage('warning', message, this.format, { cwd: this.cwd, color: this.color, file }),
    );
  }

  info(message: string): void {
    this.line(formatMessage('info', message, this.format, { cwd: this.cwd }));
  }

  /** Sub-items of an error: indented for humans, one issue each for Xcode, Gradle and JSON. */
  problems(items: readonly string[]): void {
    for (const item of items) {
      if (this.format === 'human') this.line(`  - ${item}`);
      else this.error(item);
    }
  }

  /** Raw multi-line text (stack traces): indented, or JSON-wrapped in json format. */
  raw(text: string): void {
    if (this.format === 'json') this.info(text);
    else this.line(text);
  }
}
