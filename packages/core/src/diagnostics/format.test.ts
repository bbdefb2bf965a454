import { describe, expect, it } from 'vitest';
import { formatDiagnostic, formatMessage } from './format.js';
import type { Diagnostic } from '../ir/types.js';

function diag(severity: 'error' | 'warning', extra: Partial<Diagnostic> = {}): Diagnostic {
  return {
    severity,
    code: severity === 'error' ? 'SP1003' : 'SP2001',
    message: severity === 'error' ? 'something is wrong' : 'something is odd',
    file: 'openapi.yaml',
    pointer: '/paths/~1contacts/get',
    line: 12,
    column: 7,
    ...extra,
  };
}

const cwd = '/work/my app';

describe('formatDiagnostic', () => {
  const error = diag('error', { file: 'spec/openapi.yaml', hint: 'use x-sync: live' });

  it('human', () => {
    expect(formatDiagnostic(error, 'human')).toBe(
      'spec/openapi.yaml:12:7: error SP1003: something is wrong\n  hint: use x-sync: live\n  at #/paths/~1contacts/get',
    );
    expect(
      formatDiagnostic(
        diag('warning', { line: undefined, column: undefined, pointer: '' }),
        'human',
      ),
    ).toBe('openapi.yaml: warning SP2001: something is odd');
    expect(
      formatDiagnostic(diag('warning', { column: undefined, pointer: '#/info' }), 'human'),
    ).toBe('openapi.yaml:12: warning SP2001: something is odd\n  at #/info');
    const colored = formatDiagnostic(error, 'human', { color: true });
    expect(colored).toContain('\u001b[1;31merror\u001b[0m');
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(formatDiagnostic(error, 'human'));
  });

  it('xcode: absolute path, severity, code in brackets, hint as a note, one line each', () => {
    expect(formatDiagnostic({ ...error, message: 'two\n  lines' }, 'xcode', { cwd })).toBe(
      '/work/my app/spec/openapi.yaml:12:7: error: two lines [SP1003]\n/work/my app/spec/openapi.yaml:12:7: note: use x-sync: live',
    );
    expect(
      formatDiagnostic(diag('warning', { file: '/abs/openapi.yaml', line: undefined }), 'xcode', {
        cwd,
      }),
    ).toBe('/abs/openapi.yaml: warning: something is odd [SP2001]');
  });

  it('gradle: e:/w: and a file URL', () => {
    expect(formatDiagnostic(error, 'gradle', { cwd })).toBe(
      'e: file:///work/my%20app/spec/openapi.yaml:12:7 something is wrong (hint: use x-sync: live) [SP1003]',
    );
    expect(formatDiagnostic(diag('warning'), 'gradle', { cwd })).toBe(
      'w: file:///work/my%20app/openapi.yaml:12:7 something is odd [SP2001]',
    );
  });

  it('json: one line, fixed key order, no undefined members', () => {
    const line = formatDiagnostic(diag('warning', { column: undefined }), 'json');
    expect(line).not.toContain('\n');
    expect(Object.keys(JSON.parse(line))).toEqual([
      'severity',
      'code',
      'message',
      'file',
      'pointer',
      'line',
    ]);
  });
});

describe('formatMessage', () => {
  it('renders CLI messages per format', () => {
    expect(formatMessage('error', 'boom', 'human')).toBe('error: boom');
    expect(formatMessage('error', 'boom', 'xcode')).toBe('error: boom');
    expect(formatMessage('warning', 'hmm', 'xcode', { cwd, file: 'x.yaml' })).toBe(
      '/work/my app/x.yaml: warning: hmm',
    );
    expect(formatMessage('error', 'boom', 'gradle')).toBe('e: boom');
    expect(formatMessage('info', 'done', 'gradle')).toBe('done');
    expect(JSON.parse(formatMessage('info', 'done', 'json'))).toEqual({
      severity: 'info',
      code: 'CLI',
      message: 'done',
    });
  });
});
