/**
 * `devCommand`: usage errors (exit 2), a spec with errors (exit 1), a taken port (exit 1 with
 * "port N is in use; pass --port"), and a normal run that serves requests and stops cleanly when
 * its signal aborts (exit 0).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devCommand, type DevIO } from './cli.js';
import { CRM_SPEC, eventually } from './testing/backends.js';

function io(signal?: AbortSignal): DevIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { write: (s: string) => out.push(s) },
    stderr: { write: (s: string) => err.push(s) },
    cwd: process.cwd(),
    env: {},
    ...(signal ? { signal } : {}),
  };
}

describe('devCommand', () => {
  it('rejects bad usage with exit code 2', async () => {
    const a = io();
    expect(await devCommand(['dev'], a)).toBe(2);
    expect(a.err.join('')).toMatch(/--spec is required/);
    expect(await devCommand(['--spec', CRM_SPEC, '--port', 'x'], io())).toBe(2);
    expect(await devCommand(['--spec', CRM_SPEC, '--bogus'], io())).toBe(2);
    const both = io();
    expect(
      await devCommand(['--spec', CRM_SPEC, '--allow-anonymous', '--require-auth'], both),
    ).toBe(2);
    expect(both.err.join('')).toMatch(/contradict/);
  });

  it('answers 401 without a token by default, and serves anonymous callers with --allow-anonymous', async () => {
    for (const [flags, status] of [
      [[], 401],
      [['--allow-anonymous'], 200],
    ] as const) {
      const abort = new AbortController();
      const a = io(abort.signal);
      const run = devCommand(['--spec', CRM_SPEC, '--port', '0', '--quiet', ...flags], a);
      await eventually(() => a.out.join('').includes('http://'), 30_000, 'startup banner');
      const url = /http:\/\/[\d.]+:\d+/.exec(a.out.join(''))?.[0] ?? '';
      expect((await fetch(`${url}/contacts`)).status, flags.join(' ')).toBe(status);
      expect((await fetch(`${url}/v1/shape?table=contacts&offset=-1`)).status).toBe(status);
      const withToken = await fetch(`${url}/contacts`, { headers: { authorization: 'Bearer a' } });
      expect(withToken.status).toBe(200);
      abort.abort();
      expect(await run).toBe(0);
    }
  }, 90_000);

  it('refuses a spec with errors', async () => {
    const a = io();
    expect(await devCommand(['--spec', join(CRM_SPEC, '../../bad/does-not-exist.yaml')], a)).toBe(
      1,
    );
  });

  it('explains a taken port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as AddressInfo).port;
    const a = io();
    expect(await devCommand(['--spec', CRM_SPEC, '--port', String(port), '--quiet'], a)).toBe(1);
    expect(a.err.join('')).toContain(`port ${port} is in use; pass --port`);
    blocker.close();
  }, 60_000);

  it('serves until its signal aborts, then exits 0', async () => {
    const abort = new AbortController();
    const a = io(abort.signal);
    const run = devCommand(['--spec', CRM_SPEC, '--port', '0'], a);
    await eventually(() => a.out.join('').includes('http://'), 30_000, 'startup banner');
    const url = /http:\/\/[\d.]+:\d+/.exec(a.out.join(''))?.[0] ?? '';
    expect((await fetch(`${url}/health`)).status).toBe(200);
    abort.abort();
    expect(await run).toBe(0);
    expect(a.err.join('')).toMatch(/method=GET path=\/health status=200 ms=\d/);
  }, 60_000);
});
