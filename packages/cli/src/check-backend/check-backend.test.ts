/**
 * check-backend against `sync-patterns dev` on fixtures/crm (in-process, PGlite): everything
 * passes. Against two broken proxies in front of it (one answers a wrong txid, one drops the
 * Idempotency-Key so that a replay writes again) it fails with the line that names the fault.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpec } from '@sync/core';
import { startDevServer, type DevServer } from '@sync/dev-server';
import { runCli } from '../testing/helpers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const SPEC = path.join(ROOT, 'fixtures/crm/openapi.yaml');

let dev: DevServer;

beforeAll(async () => {
  const { ir } = await loadSpec(SPEC);
  if (ir === null) throw new Error('crm fixture did not load');
  dev = await startDevServer({ ir, port: 0, quiet: true, longPollTimeoutMs: 2_000 });
}, 60_000);
afterAll(async () => {
  await dev.close();
});

/** A proxy to the dev server that may rewrite the request headers and the response headers. */
async function proxy(fault: {
  request?: (h: IncomingMessage['headers']) => IncomingMessage['headers'];
  response?: (h: IncomingMessage['headers']) => IncomingMessage['headers'];
}): Promise<{ url: string; close(): Promise<void> }> {
  const target = new URL(dev.url);
  const server: Server = createServer((req, res) => {
    const headers = fault.request ? fault.request({ ...req.headers }) : req.headers;
    const up = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers,
      },
      (answer) => {
        const out = fault.response ? fault.response({ ...answer.headers }) : answer.headers;
        res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(res);
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

function check(api: string, extra: string[] = [], shapes = true) {
  return runCli(
    [
      'check-backend',
      '--spec',
      SPEC,
      '--url',
      api,
      ...(shapes ? ['--shapes', `${dev.url}/v1/shape`] : []),
      '--timeout',
      '3000',
      '--settle',
      '500',
      // The CRM spec declares bearer security: sync-patterns dev answers 401 without a token.
      '--token',
      'check-backend-tests',
      ...extra,
    ],
    { cwd: ROOT },
  );
}

const lines = (out: string, kind: string) => out.split('\n').filter((l) => l.startsWith(kind));

describe('check-backend', () => {
  it('passes against sync-patterns dev', async () => {
    const r = await check(dev.url);
    expect(lines(r.stdout, 'FAIL')).toEqual([]);
    expect(r.code).toBe(0);
    // Every live entity of the CRM, every kind of check.
    for (const table of ['contacts', 'accounts', 'line_items']) {
      const mine = lines(r.stdout, `PASS ${table}:`).join('\n');
      expect(mine).toMatch(/create's txid \d+ arrives on the shape with the insert/);
      expect(mine).toMatch(/update's txid \d+ arrives on the shape with the update/);
      expect(mine).toMatch(/delete's txid \d+ arrives on the shape with the delete/);
      expect(mine).toMatch(/a replayed create writes nothing/);
      expect(mine).toMatch(/on a missing row answers 404/);
      expect(mine).toMatch(/an invalid create body is answered 422/);
      expect(mine).toMatch(/X-HTTP-Method-Override: PATCH is handled as PATCH/);
    }
    expect(r.stdout).toMatch(/check-backend: \d+ passed, 0 failed/);
  }, 120_000);

  it('fails with a clear line when the answered txid is not the writing transaction', async () => {
    const p = await proxy({
      response: (h) => {
        const t = h['x-sync-txid'];
        if (typeof t === 'string') h['x-sync-txid'] = String(Number(t) + 1000);
        return h;
      },
    });
    try {
      const r = await check(p.url);
      expect(r.code).toBe(1);
      expect(lines(r.stdout, 'FAIL contacts:').join('\n')).toMatch(
        /the create's txid \d+ arrives on the shape with the insert of .* — the insert arrived with txids \[\d+\]: the txid was not read in the writing transaction/,
      );
    } finally {
      await p.close();
    }
  }, 120_000);

  it('fails with a clear line when a replay writes a second time', async () => {
    const p = await proxy({
      request: (h) => {
        delete h['idempotency-key'];
        return h;
      },
    });
    try {
      const r = await check(p.url);
      expect(r.code).toBe(1);
      const failed = lines(r.stdout, 'FAIL contacts:').join('\n');
      expect(failed).toMatch(
        /a replayed create writes nothing .* — the replay wrote again: insert of /,
      );
      expect(failed).toMatch(/a replayed create \(same Idempotency-Key\) answers the first result/);
    } finally {
      await p.close();
    }
  }, 120_000);

  it('without --shapes, skips the txid checks and counts a double write in the list', async () => {
    const ok = await check(dev.url, [], false);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/SKIP contacts: txid on the shape feed \(no --shapes given\)/);
    expect(ok.stdout).toMatch(/PASS contacts: a replayed create writes once \(one row/);
    const p = await proxy({
      request: (h) => {
        delete h['idempotency-key'];
        return h;
      },
    });
    try {
      const r = await check(p.url, [], false);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /FAIL contacts: a replayed create writes once \(one row with this run's values in the list\) — the list holds 2 such rows/,
      );
    } finally {
      await p.close();
    }
  }, 120_000);

  it('reports an unreachable API and usage errors', async () => {
    const r = await runCli(
      ['check-backend', '--spec', SPEC, '--url', 'http://127.0.0.1:9', '--timeout', '2000'],
      { cwd: ROOT },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL api: http:\/\/127\.0\.0\.1:9 is not reachable/);
    const usage = await runCli(['check-backend', '--spec', SPEC], { cwd: ROOT });
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/missing --url/);
    const bad = await runCli(['check-backend', '--spec', SPEC, '--url', 'ftp://x'], { cwd: ROOT });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--url must be an http\(s\) URL/);
  }, 30_000);
});
