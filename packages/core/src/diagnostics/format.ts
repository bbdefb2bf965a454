/**
 * Renders a {@link Diagnostic} for a human, for Xcode, for Gradle / Android Studio, or as JSON.
 *
 * Written here for now; it is meant to move to packages/core/src/diagnostics/format.ts, so it only
 * depends on node:path, node:url and the core types.
 *
 * - `human`:  `spec/openapi.yaml:12:7: error SP1003: message`
 *             `  hint: what to write instead`
 *             `  at #/paths/~1contacts/get`
 * - `xcode`:  `/abs/spec/openapi.yaml:12:7: error: message [SP1003]`
 *             `/abs/spec/openapi.yaml:12:7: note: what to write instead` (when there is a hint)
 *             Xcode turns both lines of a Run Script phase's output into issue-navigator entries.
 * - `gradle`: `e: file:///abs/spec/openapi.yaml:12:7 message (hint: …) [SP1003]` (`w:` for warnings),
 *             the Kotlin compiler's style, which Android Studio links to the file.
 * - `json`:   one JSON object per diagnostic, on one line, keys in a fixed order.
 *
 * The returned text has no trailing newline; it may span several lines (`human`, `xcode`).
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../ir/types.js';

export type DiagnosticFormat = 'human' | 'xcode' | 'gradle' | 'json';

export const DIAGNOSTIC_FORMATS: readonly DiagnosticFormat[] = ['human', 'xcode', 'gradle', 'json'];

export interface FormatOptions {
  /** Folder that relative `file`s are resolved against for `xcode` and `gradle` (default: process.cwd()). */
  cwd?: string;
  /** ANSI colours (only used by `human`). Default false. */
  color?: boolean;
}

const ANSI = {
  red: (s: string) => `\u001b[1;31m${s}\u001b[0m`,
  yellow: (s: string) => `\u001b[1;33m${s}\u001b[0m`,
  dim: (s: string) => `\u001b[2m${s}\u001b[0m`,
  bold: (s: string) => `\u001b[1m${s}\u001b[0m`,
};

export function isDiagnosticFormat(value: string): value is DiagnosticFormat {
  return (DIAGNOSTIC_FORMATS as readonly string[]).includes(value);
}

export function formatDiagnostic(
  d: Diagnostic,
  format: DiagnosticFormat,
  options: FormatOptions = {},
): string {
  switch (format) {
    case 'human':
      return formatHuman(d, options.color === true);
    case 'xcode':
      return formatXcode(d, options.cwd ?? process.cwd());
    case 'gradle':
      return formatGradle(d, options.cwd ?? process.cwd());
    case 'json':
      return formatJson(d);
  }
}

/** `:12:7`, `:12` or `` depending on what is known. */
function position(d: Pick<Diagnostic, 'line' | 'column'>): string {
  if (d.line === undefined) return '';
  return d.column === undefined ? `:${d.line}` : `:${d.line}:${d.column}`;
}

function pointerText(pointer: string): string {
  return pointer.startsWith('#') ? pointer : `#${pointer}`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\r?\n\s*/g, ' ');
}

function formatHuman(d: Diagnostic, color: boolean): string {
  const sev = d.severity === 'error' ? 'error' : 'warning';
  const sevText = color ? (d.severity === 'error' ? ANSI.red(sev) : ANSI.yellow(sev)) : sev;
  const location = d.file ? `${d.file}${position(d)}: ` : '';
  const head = `${color ? ANSI.bold(location) : location}${sevText} ${d.code}: ${d.message}`;
  const lines = [head];
  if (d.hint) lines.push(`  ${color ? ANSI.dim('hint:') : 'hint:'} ${d.hint}`);
  if (d.pointer)
    lines.push(
      `  ${color ? ANSI.dim(`at ${pointerText(d.pointer)}`) : `at ${pointerText(d.pointer)}`}`,
    );
  return lines.join('\n');
}

function formatXcode(d: Diagnostic, cwd: string): string {
  const location = d.file ? `${path.resolve(cwd, d.file)}${position(d)}: ` : '';
  const lines = [`${location}${d.severity}: ${oneLine(d.message)} [${d.code}]`];
  if (d.hint) lines.push(`${location}note: ${oneLine(d.hint)}`);
  return lines.join('\n');
}

function formatGradle(d: Diagnostic, cwd: string): string {
  const prefix = d.severity === 'error' ? 'e:' : 'w:';
  const location = d.file ? `${pathToFileURL(path.resolve(cwd, d.file)).href}${position(d)} ` : '';
  const hint = d.hint ? ` (hint: ${oneLine(d.hint)})` : '';
  return `${prefix} ${location}${oneLine(d.message)}${hint} [${d.code}]`;
}

function formatJson(d: Diagnostic): string {
  // Fixed key order; `undefined` members are dropped by JSON.stringify.
  return JSON.stringify({
    severity: d.severity,
    code: d.code,
    message: d.message,
    hint: d.hint,
    file: d.file,
    pointer: d.pointer,
    line: d.line,
    column: d.column,
  });
}

/**
 * A message from the CLI itself (usage error, writer conflict, summary) in the same format, so that
 * Xcode and Gradle show CLI failures as issues too. `file` is optional and absolute or cwd-relative.
 */
export function formatMessage(
  severity: 'error' | 'warning' | 'info',
  message: string,
  format: DiagnosticFormat,
  options: FormatOptions & { file?: string } = {},
): string {
  const cwd = options.cwd ?? process.cwd();
  switch (format) {
    case 'human': {
      if (severity === 'info') return message;
      const sev = options.color
        ? severity === 'error'
          ? ANSI.red(severity)
          : ANSI.yellow(severity)
        : severity;
      return `${options.file ? `${options.file}: ` : ''}${sev}: ${message}`;
    }
    case 'xcode': {
      if (severity === 'info') return message;
      const location = options.file ? `${path.resolve(cwd, options.file)}: ` : '';
      return `${location}${severity}: ${oneLine(message)}`;
    }
    case 'gradle': {
      if (severity === 'info') return message;
      const location = options.file
        ? `${pathToFileURL(path.resolve(cwd, options.file)).href} `
        : '';
      return `${severity === 'error' ? 'e:' : 'w:'} ${location}${oneLine(message)}`;
    }
    case 'json':
      return JSON.stringify({ severity, code: 'CLI', message, file: options.file });
  }
}
