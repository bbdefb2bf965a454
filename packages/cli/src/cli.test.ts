import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MANIFEST_FILE, parseManifest } from './manifest.js';
import { packageProvider } from './targets.js';
import {
  cleanupTempDirs,
  diag,
  fakeCore,
  fakeGenerator,
  generatorProvider,
  makeTempDir,
  runCli,
  sleep,
  snapshot,
} from './testing/helpers.js';
import { cliVersion } from './version.js';

let cwd: string;

beforeEach(async () => {
  cwd = await makeTempDir();
  await fs.writeFile(path.join(cwd, 'openapi.yaml'), 'v1\n');
});
afterEach(cleanupTempDirs);

/** A registry with a fake react generator and a fake core, plus spies. */
function setup(
  opts: Parameters<typeof fakeCore>[0] = {},
  produce?: Parameters<typeof fakeGenerator>[1],
) {
  const core = fakeCore(opts);
  const gen = fakeGenerator('react', produce);
  const providers = [generatorProvider(gen.generator, { identity: '@sync/react@0.1.0' })];
  const run = (argv: string[], extra: { env?: Record<string, string>; tty?: boolean } = {}) =>
    runCli(argv, { cwd, providers, services: { loadCore: core.loadCore }, ...extra });
  return { ...core, ...gen, run };
}

/** A stack-trace line. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

const GENERATE = ['generate', '--target', 'react', '--spec', 'openapi.yaml', '--out', 'out'];

describe('usage', () => {
  it('prints the version and help', async () => {
    const { run } = setup();
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${cliVersion()}\n`, stderr: '' });
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/sync-patterns generate --target react\|swift\|kotlin/);
    const genHelp = await run(['generate', '--help']);
    expect(genHelp.code).toBe(0);
    expect(genHelp.stdout).toMatch(/--check/);
  });

  it.each([
    [[], /missing command/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--frob'], /unknown option --frob/],
    [['validate'], /missing --spec/],
    [['validate', '--spec'], /option --spec needs a value/],
    [
      ['validate', '--spec', 'openapi.yaml', '--target', 'react'],
      /unknown option --target for 'validate'/,
    ],
    [['validate', '--spec', 'openapi.yaml', 'extra'], /unexpected argument extra/],
    [['validate', '--spec', 'openapi.yaml', '--format', 'pdf'], /unknown format 'pdf'/],
    [['validate', '--spec', 'nope.yaml'], /spec file not found: nope\.yaml/],
    [['generate', '--spec', 'openapi.yaml', '--out', 'out'], /missing --target/],
    [
      ['generate', '--target', 'elm', '--spec', 'openapi.yaml', '--out', 'out'],
      /unknown target 'elm' \(expected react\)/,
    ],
    [['generate', '--target', 'react', '--out', 'out'], /missing --spec/],
    [['generate', '--target', 'react', '--spec', 'openapi.yaml'], /missing --out/],
    [
      [
        'generate',
        '--target',
        'react',
        '--spec',
        'openapi.yaml',
        '--out',
        'out',
        '--config',
        'nope.yaml',
      ],
      /config file not found: nope\.yaml/,
    ],
  ])('%j → exit 2', async (argv, message) => {
    const { run, loadCore } = setup();
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(STACK); // no stack trace
    expect(result.stdout).toBe('');
    expect(loadCore).not.toHaveBeenCalled();
  });

  it('dev hands its arguments to the dev server, which refuses a missing --spec with exit 2', async () => {
    const { run } = setup();
    const result = await run(['dev', '--port', '4100']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--spec/);
  });

  it('explains a generator package that is not installed (exit 2)', async () => {
    const core = fakeCore();
    const noSuchPackage = packageProvider('swift', '@sync/swift', {
      resolveFrom: cwd,
      importer: () =>
        Promise.reject(
          Object.assign(new Error("Cannot find package '@sync/swift'"), {
            code: 'ERR_MODULE_NOT_FOUND',
          }),
        ),
    });
    const result = await runCli(
      ['generate', '--target', 'swift', '--spec', 'openapi.yaml', '--out', 'ios'],
      {
        cwd,
        providers: [noSuchPackage],
        services: { loadCore: core.loadCore },
      },
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'the swift generator is not available in this build yet (package @sync/swift not found)',
    );
    expect(result.stderr).not.toMatch(STACK);
    await expect(fs.access(path.join(cwd, 'ios'))).rejects.toThrow();
  });

  it('reports internal errors without a stack trace unless --verbose', async () => {
    const loadCore = vi.fn(async () => ({
      loadSpec: vi.fn(async () => Promise.reject(new Error('kaboom'))),
    }));
    const run = (argv: string[]) => runCli(argv, { cwd, services: { loadCore } });
    const quiet = await run(['validate', '--spec', 'openapi.yaml']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe(
      'error: internal error: kaboom (run with --verbose for the stack trace)\n',
    );
    const verbose = await run(['validate', '--spec', 'openapi.yaml', '--verbose']);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/internal error: kaboom\nError: kaboom\n/);
    expect(verbose.stderr).toMatch(STACK);
  });
});

describe('validate and ir', () => {
  it('exits 0 with warnings, printing them to stderr', async () => {
    const { run } = setup({ diagnostics: [diag('warning')] });
    const result = await run(['validate', '--spec', 'openapi.yaml']);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr:
        'openapi.yaml:12:7: warning SP2001: something is odd\n  at #/paths/~1contacts/get\nopenapi.yaml: valid (1 warning)\n',
    });
  });

  it('exits 1 on an error diagnostic', async () => {
    const { run } = setup({
      diagnostics: [diag('error', { hint: 'write this instead' }), diag('warning')],
    });
    const result = await run(['validate', '--spec', 'openapi.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'openapi.yaml:12:7: error SP1003: something is wrong\n  hint: write this instead\n',
    );
    expect(result.stderr).toContain('error: openapi.yaml: 1 error, 1 warning\n');
  });

  it('prints xcode, gradle and json formats', async () => {
    const { run } = setup({ diagnostics: [diag('error', { hint: 'do this' }), diag('warning')] });
    const abs = path.join(cwd, 'openapi.yaml');
    const xcode = await run(['validate', '--spec', 'openapi.yaml', '--format', 'xcode']);
    expect(xcode.stderr.split('\n').slice(0, 3)).toEqual([
      `${abs}:12:7: error: something is wrong [SP1003]`,
      `${abs}:12:7: note: do this`,
      `${abs}:12:7: warning: something is odd [SP2001]`,
    ]);
    const gradle = await run(['validate', '--spec', 'openapi.yaml', '--format', 'gradle']);
    expect(gradle.stderr.split('\n').slice(0, 3)).toEqual([
      `e: file://${abs}:12:7 something is wrong (hint: do this) [SP1003]`,
      `w: file://${abs}:12:7 something is odd [SP2001]`,
      'e: openapi.yaml: 1 error, 1 warning',
    ]);
    const json = await run(['validate', '--spec', 'openapi.yaml', '--format', 'json']);
    const lines = json.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toEqual({ ...diag('error', { hint: 'do this' }) });
    expect(lines[1]).toMatchObject({ severity: 'warning', code: 'SP2001' });
    expect(lines[2]).toMatchObject({ severity: 'error', code: 'CLI' });
  });

  it('defaults to the xcode format inside Xcode, and colours only on a TTY without NO_COLOR', async () => {
    const { run } = setup({ diagnostics: [diag('warning')] });
    const inXcode = await run(['validate', '--spec', 'openapi.yaml'], {
      env: { XCODE_VERSION_ACTUAL: '1600' },
    });
    expect(inXcode.stderr).toMatch(
      /^\/.*openapi\.yaml:12:7: warning: something is odd \[SP2001\]$/m,
    );
    const tty = await run(['validate', '--spec', 'openapi.yaml'], { tty: true });
    expect(tty.stderr).toContain('\u001b[');
    const noColor = await run(['validate', '--spec', 'openapi.yaml'], {
      tty: true,
      env: { NO_COLOR: '1' },
    });
    expect(noColor.stderr).not.toContain('\u001b[');
    const piped = await run(['validate', '--spec', 'openapi.yaml']);
    expect(piped.stderr).not.toContain('\u001b[');
  });

  it('ir prints the IR as 2-space JSON with a trailing newline', async () => {
    const { run } = setup();
    const result = await run(['ir', '--spec', 'openapi.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout.endsWith('}\n')).toBe(true);
    expect(result.stdout).toContain('\n  "irVersion": 2,\n');
    expect(JSON.parse(result.stdout).info.title).toBe('v1');
  });

  it('ir exits 1 and prints nothing on stdout for a spec with errors', async () => {
    const { run } = setup({ diagnostics: [diag('error')] });
    const result = await run(['ir', '--spec', 'openapi.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
  });
});

describe('generate', () => {
  it('writes the files and prints a summary', async () => {
    const { run } = setup();
    const result = await run(GENERATE);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^react: 3 files \(3 written, 0 removed, 0 unchanged\) in \d+ ms\n$/,
    );
    expect(await fs.readFile(path.join(cwd, 'out', 'index.ts'), 'utf8')).toBe(
      'export const title = "v1";\n',
    );
    const manifest = parseManifest(await fs.readFile(path.join(cwd, 'out', MANIFEST_FILE), 'utf8'));
    expect(manifest).toMatchObject({
      generator: 'react@1.0.0',
      generatorPackage: '@sync/react@0.1.0',
      cli: cliVersion(),
      inputs: { '../openapi.yaml': expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect((await run([...GENERATE, '--quiet'])).stderr).toBe('');
  });

  it('prints warnings but still writes', async () => {
    const { run } = setup({ diagnostics: [diag('warning')] });
    const result = await run(GENERATE);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/warning SP2001/);
  });

  it('writes nothing when the spec has errors (exit 1)', async () => {
    const { run, generate } = setup({ diagnostics: [diag('error')] });
    const result = await run(GENERATE);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/1 error; nothing was written/);
    expect(generate).not.toHaveBeenCalled();
    expect((await fs.readdir(cwd)).sort()).toEqual(['openapi.yaml']);
  });

  it.each([
    ['throws', () => Promise.reject(new Error('template exploded'))],
    [
      'reports an error diagnostic',
      () => ({ files: [{ path: 'index.ts', contents: 'broken' }], diagnostics: [diag('error')] }),
    ],
    [
      'returns an unsafe path',
      () => ({ files: [{ path: '../evil.ts', contents: 'x' }], diagnostics: [] }),
    ],
  ])('leaves --out unchanged and no temp folder when the generator %s', async (_label, failing) => {
    const ok = setup();
    expect((await ok.run(GENERATE)).code).toBe(0);
    const before = await snapshot(cwd);
    await fs.writeFile(path.join(cwd, 'openapi.yaml'), 'v2\n'); // force the full path
    const beforeWithSpec = await snapshot(cwd);
    const bad = setup({}, failing as never);
    const result = await bad.run(GENERATE);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/nothing was written/);
    expect(result.stderr).not.toMatch(STACK);
    expect(await snapshot(cwd)).toEqual(beforeWithSpec);
    expect(Object.keys(before).filter((k) => k.startsWith('out'))).toEqual(
      Object.keys(beforeWithSpec).filter((k) => k.startsWith('out')),
    );
    expect((await fs.readdir(cwd)).filter((n) => n.includes('tmp'))).toEqual([]);
  });

  it('refuses to overwrite a user file (exit 1, listed)', async () => {
    const { run } = setup();
    await fs.mkdir(path.join(cwd, 'out'));
    await fs.writeFile(path.join(cwd, 'out', 'index.ts'), '// mine\n');
    const result = await run(GENERATE);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/without touching files sync-patterns did not generate/);
    expect(result.stderr).toMatch(/ {2}- index\.ts exists and was not generated by sync-patterns/);
    expect(await fs.readdir(path.join(cwd, 'out'))).toEqual(['index.ts']);
  });
});

describe('generate --check', () => {
  it('exits 0 when up to date, 1 with a list when not, and writes nothing', async () => {
    const { run } = setup();
    const missing = await run([...GENERATE, '--check']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe(
      [
        `missing  ${MANIFEST_FILE}`,
        'missing  index.ts',
        'missing  models/contact.ts',
        'missing  options.json',
        '',
      ].join('\n'),
    );
    expect(missing.stderr).toMatch(/react: 4 generated files in out are out of date/);
    expect(await fs.readdir(cwd)).toEqual(['openapi.yaml']);

    expect((await run(GENERATE)).code).toBe(0);
    const upToDate = await run([...GENERATE, '--check']);
    expect(upToDate).toEqual({
      code: 0,
      stdout: '',
      stderr: 'react: out is up to date (3 files)\n',
    });
    expect(await run([...GENERATE, '--check', '--quiet'])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });

    await fs.writeFile(path.join(cwd, 'openapi.yaml'), 'v2\n');
    const before = await snapshot(cwd);
    const differs = await run([...GENERATE, '--check']);
    expect(differs.code).toBe(1);
    expect(differs.stdout).toBe(`differs  ${MANIFEST_FILE}\ndiffers  index.ts\n`);
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('reports stale files', async () => {
    const { run } = setup();
    await run(GENERATE);
    const fewer = setup({}, () => ({
      files: [{ path: 'index.ts', contents: 'export const title = "v1";\n' }],
      diagnostics: [],
    }));
    // Same package version and manifest: the fast path would (by design) trust the old output.
    const result = await fewer.run([...GENERATE, '--check'], {
      env: { SYNC_PATTERNS_NO_FAST_PATH: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `differs  ${MANIFEST_FILE}\nstale    models/contact.ts\nstale    options.json\n`,
    );
  });
});

describe('fast path', () => {
  it('skips loading the spec and the generator when nothing changed', async () => {
    const first = setup();
    expect((await first.run(GENERATE)).code).toBe(0);
    expect(first.loadCore).toHaveBeenCalledTimes(1);
    const before = await snapshot(cwd);

    const second = setup();
    const result = await second.run(GENERATE);
    expect(result).toEqual({
      code: 0,
      stdout: '',
      stderr: expect.stringMatching(
        /^react: 3 files \(0 written, 0 removed, 3 unchanged\) in \d+ ms\n$/,
      ),
    });
    expect(second.loadCore).not.toHaveBeenCalled();
    expect(second.loadSpec).not.toHaveBeenCalled();
    expect(second.generate).not.toHaveBeenCalled();
    expect((await second.run([...GENERATE, '--check'])).code).toBe(0);
    expect(second.loadCore).not.toHaveBeenCalled();
    expect(await snapshot(cwd)).toEqual(before);
  });

  it('is not taken when a spec file changed', async () => {
    await fs.writeFile(path.join(cwd, 'components.yaml'), 'c1\n');
    const extraFiles = [path.join(cwd, 'components.yaml')];
    await setup({ extraFiles }).run(GENERATE);
    await sleep(5);
    await fs.writeFile(path.join(cwd, 'components.yaml'), 'c2\n');
    const next = setup({ extraFiles });
    const result = await next.run([...GENERATE, '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /full generation \(the spec, the options, the generator or the CLI changed\)/,
    );
    expect(next.loadSpec).toHaveBeenCalledTimes(1);
    expect(result.stderr).toMatch(/\(0 written, 0 removed, 3 unchanged\)/);
    // …and the manifest now records the new input, so the next run is fast again.
    const third = setup({ extraFiles });
    await third.run(GENERATE);
    expect(third.loadSpec).not.toHaveBeenCalled();
  });

  it('is not taken when a spec file disappeared, an output file was edited, or the options changed', async () => {
    await fs.writeFile(path.join(cwd, 'components.yaml'), 'c1\n');
    await setup({ extraFiles: [path.join(cwd, 'components.yaml')] }).run(GENERATE);

    await fs.rm(path.join(cwd, 'components.yaml'));
    const a = setup();
    await a.run(GENERATE);
    expect(a.loadSpec).toHaveBeenCalledTimes(1);

    await fs.writeFile(path.join(cwd, 'out', 'index.ts'), 'edited by hand\n');
    const b = setup();
    const result = await b.run(GENERATE);
    expect(b.loadSpec).toHaveBeenCalledTimes(1);
    expect(result.stderr).toMatch(/\(1 written, 0 removed, 2 unchanged\)/);
    expect(await fs.readFile(path.join(cwd, 'out', 'index.ts'), 'utf8')).toBe(
      'export const title = "v1";\n',
    );

    await fs.writeFile(
      path.join(cwd, 'sync-patterns.config.yaml'),
      'targets:\n  react: { apiBaseUrl: http://localhost:4100 }\n',
    );
    const c = setup();
    await c.run(GENERATE);
    expect(c.loadSpec).toHaveBeenCalledTimes(1);
    expect(JSON.parse(await fs.readFile(path.join(cwd, 'out', 'options.json'), 'utf8'))).toEqual({
      apiBaseUrl: 'http://localhost:4100',
    });
  });

  it('is not taken when the generator package version changed or the fast path is disabled', async () => {
    await setup().run(GENERATE);
    const core = fakeCore();
    const gen = fakeGenerator('react');
    const upgraded = await runCli(GENERATE, {
      cwd,
      providers: [generatorProvider(gen.generator, { identity: '@sync/react@0.2.0' })],
      services: { loadCore: core.loadCore },
    });
    expect(upgraded.code).toBe(0);
    expect(core.loadSpec).toHaveBeenCalledTimes(1);

    const again = setup();
    await again.run(GENERATE);
    expect(again.loadSpec).toHaveBeenCalledTimes(1); // back to 0.1.0: full path again
    const disabled = setup();
    await disabled.run(GENERATE, { env: { SYNC_PATTERNS_NO_FAST_PATH: '1' } });
    expect(disabled.loadSpec).toHaveBeenCalledTimes(1);
  });

  it('is not taken when a generator linked from a workspace changed after the last run', async () => {
    await setup().run(GENERATE);
    const runLinked = async (changedAt: number) => {
      const core = fakeCore();
      const gen = fakeGenerator('react');
      const provider = generatorProvider(gen.generator, {
        identity: '@sync/react@0.1.0',
        localChangeTime: () => changedAt,
      });
      const result = await runCli(GENERATE, {
        cwd,
        providers: [provider],
        services: { loadCore: core.loadCore },
      });
      expect(result.code).toBe(0);
      return core.loadSpec.mock.calls.length;
    };
    const manifest = path.join(cwd, 'out', MANIFEST_FILE);
    const written = (await fs.stat(manifest)).mtimeMs;
    expect(await runLinked(written - 1000)).toBe(0); // built before the last run: fast
    expect(await runLinked(Date.now() + 60_000)).toBe(1); // rebuilt since: full path
    // The full path found nothing to change; it marks the manifest as checked (mtime only).
    expect((await fs.stat(manifest)).mtimeMs).toBeGreaterThan(written);
    expect(await runLinked(Date.now() - 1000)).toBe(0);
  });

  it('survives moving the project folder (inputs are relative to the output folder)', async () => {
    await setup().run(GENERATE);
    const moved = path.join(await makeTempDir(), 'moved');
    await fs.cp(cwd, moved, { recursive: true });
    const core = fakeCore();
    const gen = fakeGenerator('react');
    const result = await runCli(GENERATE, {
      cwd: moved,
      providers: [generatorProvider(gen.generator, { identity: '@sync/react@0.1.0' })],
      services: { loadCore: core.loadCore },
    });
    expect(result.code).toBe(0);
    expect(core.loadCore).not.toHaveBeenCalled();
  });

  it('answers in well under 0.5 s for 1,500 generated files', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => ({
      path: `models/m${String(i).padStart(4, '0')}.ts`,
      contents: `export interface M${i} {\n${'  field: string;\n'.repeat(60)}}\n`,
    }));
    await setup({}, () => ({ files: many, diagnostics: [] })).run(GENERATE);
    const fast = setup();
    const started = performance.now();
    const result = await fast.run([...GENERATE, '--check']);
    const elapsed = performance.now() - started;
    expect(result.code).toBe(0);
    expect(fast.loadCore).not.toHaveBeenCalled();
    expect(elapsed).toBeLessThan(500);
  });
});

describe('config', () => {
  it('takes spec, out and options from the config, relative to the config file', async () => {
    await fs.mkdir(path.join(cwd, 'api'));
    await fs.writeFile(path.join(cwd, 'api', 'openapi.yaml'), 'from config\n');
    await fs.writeFile(
      path.join(cwd, 'sync-patterns.config.yaml'),
      [
        'spec: ./api/openapi.yaml',
        'targets:',
        '  react: { out: ./web/generated, apiBaseUrl: http://localhost:4100, electricUrl: http://localhost:4100/v1/shape }',
        '',
      ].join('\n'),
    );
    const { run, generate } = setup();
    const result = await run(['generate', '--target', 'react']);
    expect(result.code).toBe(0);
    expect(generate).toHaveBeenCalledWith(
      expect.objectContaining({ info: expect.objectContaining({ title: 'from config' }) }),
      {
        apiBaseUrl: 'http://localhost:4100',
        electricUrl: 'http://localhost:4100/v1/shape',
      },
    );
    expect(await fs.readFile(path.join(cwd, 'web', 'generated', 'index.ts'), 'utf8')).toContain(
      'from config',
    );
  });

  it('lets flags override the config, and resolves --config paths against the config folder', async () => {
    await fs.mkdir(path.join(cwd, 'conf'));
    await fs.writeFile(
      path.join(cwd, 'conf', 'sp.yaml'),
      'spec: ./missing.yaml\ntargets:\n  react: { out: ./gen }\n',
    );
    const { run } = setup();
    const viaConfig = await run(['generate', '--target', 'react', '--config', 'conf/sp.yaml']);
    expect(viaConfig.code).toBe(2);
    expect(viaConfig.stderr).toContain(`spec file not found: ${path.join('conf', 'missing.yaml')}`);
    const overridden = await run([
      'generate',
      '--target',
      'react',
      '--config',
      'conf/sp.yaml',
      '--spec',
      'openapi.yaml',
    ]);
    expect(overridden.code).toBe(0);
    expect(await fs.readdir(path.join(cwd, 'conf', 'gen'))).toContain('index.ts');
    const outFlag = await run([
      'generate',
      '--target',
      'react',
      '--config',
      'conf/sp.yaml',
      '--spec',
      'openapi.yaml',
      '--out',
      'elsewhere',
    ]);
    expect(outFlag.code).toBe(0);
    expect(await fs.readdir(path.join(cwd, 'elsewhere'))).toContain('index.ts');
  });

  it.each([
    [
      'spec: a.yaml\ntargetz: {}\n',
      /sync-patterns\.config\.yaml:2:1: unknown key "targetz" \(allowed: spec, targets\)/,
    ],
    [
      'targets:\n  react:\n    out: ./x\n    apiBaseURL: http://x\n',
      /sync-patterns\.config\.yaml:4:5: unknown key "apiBaseURL" in targets\.react/,
    ],
    [
      'targets:\n  elm: { out: x }\n',
      /:2:3: unknown target "elm" under targets \(expected react\)/,
    ],
    ['targets:\n  react: { out: 42 }\n', /:2:17: targets\.react\.out must be a non-empty string/],
    ['spec: [a, b]\n', /:1:7: spec must be a non-empty string/],
    ['targets:\n  react: { apiBaseUrl: "localhost" }\n', /apiBaseUrl must be an http\(s\) URL/],
    ['targets: [react]\n', /:1:10: `targets` must be a mapping/],
    ['spec: a\nspec: b\n', /:2:1: invalid YAML: Map keys must be unique/],
    ['- just\n- a list\n', /:1:1: the config must be a mapping/],
  ])('rejects a bad config %j (exit 2, with line:col)', async (text, message) => {
    await fs.writeFile(path.join(cwd, 'sync-patterns.config.yaml'), text);
    const { run } = setup();
    const result = await run(GENERATE);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
