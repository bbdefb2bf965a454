/**
 * The processes the end-to-end run drives: the build steps, `sync-patterns dev` (stopped and
 * restarted by scenarios) and `vite preview`. Servers run in their own process group, so
 * stopping one stops its children; `stopAll()` runs on every exit path.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const appDir = path.join(repoRoot, 'test-apps/react');
/**
 * Two runs may share a checkout (and a machine): each has its own folders, named after its
 * process (`run-<pid>`), and its own ports (setup.ts). A run clears the folders of runs that are
 * gone, never those of a run still going.
 */
export const runName = `run-${process.pid}`;
export const resultsDir = path.join(repoRoot, 'test-results/e2e', runName);
export const workDir = path.join(repoRoot, 'tmp/e2e', runName);

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the `run-<pid>` folders in `parent` whose process is gone, except those in `keep`. */
export function removeFinishedRuns(parent: string, keep: readonly string[] = []): void {
  if (!existsSync(parent)) return;
  for (const name of readdirSync(parent)) {
    const pid = /^run-(\d+)$/.exec(name)?.[1];
    if (pid === undefined || keep.includes(name) || name === runName || isAlive(Number(pid)))
      continue;
    rmSync(path.join(parent, name), { recursive: true, force: true });
  }
}

/** The newest `run-<pid>` folder in `parent` holding `marker`, if any. */
export function newestRun(parent: string, marker: string): string | undefined {
  if (!existsSync(parent)) return undefined;
  return readdirSync(parent)
    .filter((n) => /^run-\d+$/.test(n) && existsSync(path.join(parent, n, marker)))
    .map((n) => ({ n, t: statSync(path.join(parent, n, marker)).mtimeMs }))
    .sort((a, b) => b.t - a.t)[0]?.n;
}

/**
 * Runs `fn` holding a lock shared by the runs of this checkout (a directory made atomically,
 * holding the owner's pid): the build steps write the same files (dist/, the generated client).
 * A lock whose owner is gone is taken over.
 */
export async function withCheckoutLock<T>(name: string, fn: () => T): Promise<T> {
  const lock = path.join(repoRoot, 'tmp/e2e', `${name}.lock`);
  mkdirSync(path.dirname(lock), { recursive: true });
  let waited = false;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let owner = NaN;
      try {
        owner = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
      } catch {
        // being created, or left by a crash between mkdir and write
      }
      const stale = Number.isNaN(owner)
        ? Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0) > 30_000
        : !isAlive(owner);
      if (stale) {
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (!waited) log(`e2e: waiting for run ${owner} to finish its ${name} (same checkout)`);
      waited = true;
      await sleep(1000);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs a build step; throws with its output when it fails. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): void {
  const r = spawnSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}${r.stderr}`);
}

const running = new Set<Server>();

export class Server {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly name: string,
    private readonly cmd: string,
    private readonly args: string[],
    private readonly cwd: string,
    /** Answers 2xx once the server is up; or a probe that says so (a server that is not HTTP). */
    readonly readyUrl: string | (() => Promise<boolean>),
    private readonly env: NodeJS.ProcessEnv = {},
    /** Runs before each spawn: frees the port held for this server (setup.ts). */
    private readonly beforeSpawn: () => Promise<void> = async () => undefined,
  ) {}

  /** Starts the server (no-op when it runs) and waits until it answers `readyUrl`. */
  async start(): Promise<void> {
    if (this.child !== null) return;
    await this.beforeSpawn();
    mkdirSync(resultsDir, { recursive: true });
    const out = createWriteStream(path.join(resultsDir, `${this.name}.log`), { flags: 'a' });
    const child = spawn(this.cmd, this.args, {
      cwd: this.cwd,
      env: { ...process.env, ...this.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.child = child;
    this.exited = new Promise((done) => child.once('exit', () => done()));
    running.add(this);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null)
        throw new Error(`${this.name} exited (${child.exitCode}); see ${this.name}.log`);
      try {
        const ready =
          typeof this.readyUrl === 'string'
            ? (await fetch(this.readyUrl)).ok
            : await this.readyUrl();
        if (ready) return;
      } catch {
        // not listening yet
      }
      await sleep(150);
    }
    throw new Error(
      `${this.name} did not ${typeof this.readyUrl === 'string' ? `answer ${this.readyUrl}` : 'become ready'} within 60 s`,
    );
  }

  /** SIGKILL to the process group, synchronously (exit handler). */
  kill(): void {
    const pid = this.child?.pid;
    if (pid === undefined) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** SIGTERM to the process group (graceful), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === null || child.pid === undefined) return;
    this.child = null;
    running.delete(this);
    if (child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timeout = sleep(10_000).then(() => 'timeout' as const);
      if ((await Promise.race([this.exited.then(() => 'exited' as const), timeout])) === 'timeout')
        process.kill(-child.pid, 'SIGKILL');
    }
    await this.exited;
  }
}

/** Last resort (a crash): nothing we started outlives this process. */
process.on('exit', () => {
  for (const s of running) s.kill();
});

export async function stopAll(): Promise<void> {
  await Promise.all([...running].reverse().map((s) => s.stop()));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Debian's chromium: found, or installed with apt-get when we run as root (CI). */
export function chromiumPath(): string {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/lib/chromium/chromium',
    '/usr/bin/chromium',
  ].filter((c): c is string => c !== undefined && c !== '');
  const found = () => candidates.find((c) => existsSync(c));
  const hit = found();
  if (hit !== undefined) return hit;
  if (process.getuid?.() !== 0)
    throw new Error('Chromium is missing: run `apt-get install -y chromium` as root');
  log('e2e: Chromium is missing; installing it (apt-get install -y chromium, ~40 s)');
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], repoRoot, env);
  run('apt-get', ['install', '-y', '-qq', 'chromium'], repoRoot, env);
  const installed = found();
  if (installed === undefined) throw new Error('apt-get installed chromium but no binary found');
  return installed;
}

export const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
