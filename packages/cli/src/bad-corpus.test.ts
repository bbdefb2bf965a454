/**
 * The bad-spec corpus through the real core and the real writer: every bad spec exits 1 with a
 * located message, and leaves an existing output folder byte-for-byte and mtime-for-mtime unchanged.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as core from '@sync/core';
import {
  cleanupTempDirs,
  fakeGenerator,
  generatorProvider,
  makeTempDir,
  runCli,
  snapshot,
} from './testing/helpers.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const badDir = path.join(repo, 'fixtures/bad');
const cases = readdirSync(badDir)
  .filter((d) => !d.includes('.'))
  .sort();

describe('bad-spec corpus through the CLI', () => {
  let out: string;
  const services = { loadCore: async () => core };
  const providers = () => [generatorProvider(fakeGenerator('react').generator)];

  beforeAll(async () => {
    out = path.join(await makeTempDir(), 'generated');
    const ok = await runCli(
      [
        'generate',
        '--target',
        'react',
        '--spec',
        path.join(repo, 'fixtures/todo/openapi.yaml'),
        '--out',
        out,
        '--quiet',
      ],
      { cwd: repo, services, providers: providers() },
    );
    expect(ok.code).toBe(0);
  });
  afterAll(cleanupTempDirs);

  it.each(cases)('%s: exit 1, located message, nothing written', async (name) => {
    const spec = readdirSync(path.join(badDir, name)).find((f) => f.startsWith('openapi.'))!;
    const before = await snapshot(path.dirname(out));
    const r = await runCli(
      [
        'generate',
        '--target',
        'react',
        '--spec',
        path.join('fixtures/bad', name, spec),
        '--out',
        out,
      ],
      { cwd: repo, services, providers: providers() },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`fixtures/bad/${name}/${spec.replace('.', '\\.')}:\\d+:\\d+: error SP\\d{4}: `),
    );
    expect(r.stderr).not.toMatch(/\n\s+at .*\.(ts|js):\d+/); // no stack trace
    expect(await snapshot(path.dirname(out))).toEqual(before);
  });

  it('reports the spec, not the generator, when the generator fails on a spec the parser refuses', async () => {
    // Our own passes accept this spec, so the generator starts on its IR while the parser judges
    // it in a worker; the parser's verdict (a located schema error) is what the user sees.
    const failing = fakeGenerator('react', () => {
      throw new Error('generator should not matter here');
    });
    const before = await snapshot(path.dirname(out));
    const r = await runCli(
      [
        'generate',
        '--target',
        'react',
        '--spec',
        'fixtures/bad/24-response-without-description/openapi.yaml',
        '--out',
        out,
      ],
      { cwd: repo, services, providers: [generatorProvider(failing.generator)] },
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'openapi.yaml:10:9: error SP0107: OpenAPI 3.1 schema: paths › /notes › get › responses › 200 is missing the required property "description".',
    );
    expect(failing.generate).toHaveBeenCalled(); // on the draft, while the parser judged
    expect(r.stderr).not.toContain('generator');
    expect(await snapshot(path.dirname(out))).toEqual(before);
  });
});
