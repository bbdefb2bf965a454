/** What the end-to-end run and the screenshot share: ports, the build, and the two servers. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { appDir, log, repoRoot, run, Server } from './processes.js';

export const apiPort = Number(process.env.E2E_API_PORT ?? 4110);
export const appPort = Number(process.env.E2E_APP_PORT ?? 4183);
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

/** Builds the workspace, generates the client fresh, and builds the app for the test ports. */
export function prepare(): void {
  if (process.env.E2E_SKIP_BUILD === '1') {
    log('e2e: E2E_SKIP_BUILD=1: reusing the last build (test-apps/react/dist-e2e)');
    return;
  }
  const t0 = Date.now();
  log('e2e: building the workspace, generating the client, building the app');
  run('npm', ['run', 'build', '--silent'], repoRoot);
  // The app imports the live runtime's build (dist/); build it even if the root build skips it.
  run('npx', ['--no-install', 'tsc', '-b', 'packages/react-runtime'], repoRoot);
  run('npm', ['run', 'generate', '--silent'], appDir);
  const env = { VITE_API_BASE_URL: apiUrl, APP_OUT_DIR: 'dist-e2e' };
  run(process.execPath, [vite, 'build', '--logLevel', 'error'], appDir, env);
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
  );
}

export function appPreview(): Server {
  return new Server(
    'app-preview',
    process.execPath,
    [vite, 'preview', '--port', String(appPort), '--strictPort'],
    appDir,
    appUrl,
    { APP_OUT_DIR: 'dist-e2e', APP_PORT: String(appPort) },
  );
}
