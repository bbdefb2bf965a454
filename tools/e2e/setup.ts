/**
 * What the end-to-end run and the screenshot share: ports, the build, and the two servers.
 *
 * Ports: free ones, picked by the system (E2E_API_PORT / E2E_APP_PORT force one), and held open by
 * this process until their server starts, so that a second run on the machine, started at the
 * same time, cannot pick them. The API's port is built into the app (VITE_API_BASE_URL), so each
 * run builds the app into its own folder, test-apps/react/dist-e2e/run-<pid>.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  appDir,
  log,
  newestRun,
  removeFinishedRuns,
  repoRoot,
  run,
  runName,
  Server,
  withCheckoutLock,
} from './processes.js';

/** A port this process listens on (so nobody else can take it) until `release()`. */
export interface HeldPort {
  port: number;
  release(): Promise<void>;
}

export async function holdPort(forced: string | undefined, variable: string): Promise<HeldPort> {
  const wanted = forced === undefined || forced === '' ? 0 : Number(forced);
  const server = net.createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      fail(
        new Error(
          e.code === 'EADDRINUSE'
            ? `port ${wanted} (${variable}) is in use: free it, or unset ${variable} to use a free port`
            : `${variable}: cannot listen on 127.0.0.1:${wanted}: ${e.message}`,
        ),
      ),
    );
    server.listen(wanted, '127.0.0.1', done);
  });
  const port = (server.address() as net.AddressInfo).port;
  let released: Promise<void> | null = null;
  return {
    port,
    release: () => (released ??= new Promise<void>((done) => server.close(() => done()))),
  };
}

const appDist = path.join(appDir, 'dist-e2e');
/** Marks a finished build of the app in dist-e2e/run-<pid>: the API port it was built for. */
const builtFor = '.e2e-api-port';
const skipBuild = process.env.E2E_SKIP_BUILD === '1';
/** With E2E_SKIP_BUILD=1: the last build, and the API port it was built for. */
const reused = skipBuild ? newestRun(appDist, builtFor) : undefined;
const appOutDir = path.join('dist-e2e', reused ?? runName);

/** Holds both ports; an error waits for prepare(), so that the run reports it as a failure. */
async function holdPorts(): Promise<[HeldPort, HeldPort]> {
  if (skipBuild && reused === undefined)
    throw new Error(
      'E2E_SKIP_BUILD=1 but there is no earlier build in test-apps/react/dist-e2e: run once without it',
    );
  const api = await holdPort(
    reused !== undefined
      ? readFileSync(path.join(appDir, appOutDir, builtFor), 'utf8').trim()
      : process.env.E2E_API_PORT,
    reused !== undefined ? `the API port of the reused build ${appOutDir}` : 'E2E_API_PORT',
  );
  return [api, await holdPort(process.env.E2E_APP_PORT, 'E2E_APP_PORT')];
}
const held = await holdPorts().catch((e: unknown) =>
  e instanceof Error ? e : new Error(String(e)),
);
const [heldApi, heldApp]: [HeldPort, HeldPort] =
  held instanceof Error
    ? [
        { port: 0, release: async () => undefined },
        { port: 0, release: async () => undefined },
      ]
    : held;
export const apiPort = heldApi.port;
export const appPort = heldApp.port;
export const apiUrl = `http://127.0.0.1:${apiPort}`;
export const appUrl = `http://127.0.0.1:${appPort}/`;
const vite = path.join(repoRoot, 'node_modules/vite/bin/vite.js');
const cli = path.join(repoRoot, 'packages/cli/bin/sync-patterns.js');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const full = path.join(dir, e);
    return statSync(full).isDirectory() ? files(full) : full.endsWith('.ts') ? [full] : [];
  });
}

/** The live runtime has landed when the generated client exports `createClient`. */
export function runtimeLanded(): boolean {
  const dir = path.join(appDir, 'src/generated');
  if (!existsSync(dir)) return false;
  const exported =
    /export\s+(async\s+)?(function|const)\s+createClient\b|export\s*\{[^}]*\bcreateClient\b/;
  return files(dir).some((f) => exported.test(readFileSync(f, 'utf8')));
}

/**
 * Builds the workspace, generates the client fresh, and builds the app for this run's API port.
 * The build steps write shared files (dist/, the generated client), so the runs of one checkout
 * take turns; the app build goes to this run's own folder.
 */
export async function prepare(): Promise<void> {
  if (held instanceof Error) throw held;
  if (reused !== undefined) {
    log(
      `e2e: E2E_SKIP_BUILD=1: reusing the last build (test-apps/react/${appOutDir}, API port ${apiPort})`,
    );
    return;
  }
  const t0 = Date.now();
  log('e2e: building the workspace, generating the client, building the app');
  await withCheckoutLock('build', () => {
    run('npm', ['run', 'build', '--silent'], repoRoot);
    // The app imports the live runtime's build (dist/); build it even if the root build skips it.
    run('npx', ['--no-install', 'tsc', '-b', 'packages/react-runtime'], repoRoot);
    run('npm', ['run', 'generate', '--silent'], appDir);
    // Earlier runs' app builds, except the newest (E2E_SKIP_BUILD=1 reuses it) and live runs'.
    const newest = newestRun(appDist, builtFor);
    removeFinishedRuns(appDist, newest === undefined ? [] : [newest]);
    const env = { VITE_API_BASE_URL: apiUrl, APP_OUT_DIR: appOutDir };
    run(process.execPath, [vite, 'build', '--logLevel', 'error'], appDir, env);
    writeFileSync(path.join(appDir, appOutDir, builtFor), `${apiPort}\n`);
  });
  log(`e2e: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** `sync-patterns dev`, seeded. Not --quiet: with it the dev server skips --seed. */
export function devServer(dataDir: string | null): Server {
  return new Server(
    'dev-server',
    process.execPath,
    [
      cli,
      'dev',
      '--spec',
      'fixtures/crm/openapi.yaml',
      '--port',
      String(apiPort),
      ...(dataDir === null ? [] : ['--data-dir', dataDir]),
      '--seed',
      'test-apps/react/seed/crm.json',
    ],
    repoRoot,
    `${apiUrl}/health`,
    {},
    heldApi.release,
  );
}

export function appPreview(): Server {
  return new Server(
    'app-preview',
    process.execPath,
    [vite, 'preview', '--port', String(appPort), '--strictPort'],
    appDir,
    appUrl,
    { APP_OUT_DIR: appOutDir, APP_PORT: String(appPort) },
    heldApp.release,
  );
}
