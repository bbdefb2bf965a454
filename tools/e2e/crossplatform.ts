/**
 * Cross-platform convergence (issue #12, part 4): one dev server, the React CRM app in Chromium
 * (user A; B watches) and a Kotlin client on the JVM — the crm app's generated
 * `ContactsRepository` and `LiveSync.engine` over SQLite, through test doubles of Android's
 * driver and of Room's generated DAOs (test-apps/kotlin/src/crossplatform, built here with
 * kotlinc from npm and Maven Central jars when its sources changed). Both create, edit and
 * delete the same contacts, each side goes offline for a while (the Kotlin client's network
 * drops, then its engine is stopped and started; the browser goes offline), and at the end
 * A's, B's and the Kotlin client's views equal the server's rows. Figures: a write on one
 * platform → visible on the other, p50 and p95 (n = 12 each way).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { E2E_TOKEN } from './api.js';
import { repoRoot, resultsDir, sleep, workDir } from './processes.js';
import type { Ctx, Scenario } from './scenarios.js';
import { percentile, until } from './scenarios.js';

const script = path.join(repoRoot, 'test-apps/kotlin/cross-platform.sh');
const N = 12;
const RENDER_MS = 10_000;
const SYNC_MS = 30_000;

function check(cond: boolean, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

interface KotlinRow {
  id: string;
  label: string;
  first_name: string;
  last_name: string | null;
  email: string;
  phone: string | null;
  state: string;
}

type Reply = Record<string, unknown> & { ok: boolean; error?: string };

/** Runs `cross-platform.sh <args>`, its output in the scenario's log; rejects on a non-zero exit. */
function runScript(args: string[], log: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`cross-platform.sh ${args[0]} failed (${code}); see kotlin-client.log`)),
    );
  });
}

/** The Kotlin client process, spoken to in JSON lines (CrossPlatformClient.kt). */
class KotlinClient {
  private next = 1;
  private readonly waiting = new Map<number, (r: Reply) => void>();
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let reply: Reply & { id?: number };
      try {
        reply = JSON.parse(line) as Reply & { id?: number };
      } catch {
        return;
      }
      const done = reply.id === undefined ? undefined : this.waiting.get(reply.id);
      if (done !== undefined && reply.id !== undefined) {
        this.waiting.delete(reply.id);
        done(reply);
      }
    });
    child.once('exit', (code) => {
      this.exited = true;
      for (const done of this.waiting.values())
        done({ ok: false, error: `the Kotlin client exited (${code}); see kotlin-client.log` });
      this.waiting.clear();
    });
  }

  static start(apiUrl: string, dbFile: string, log: WriteStream): KotlinClient {
    const child = spawn('bash', [script, 'run', apiUrl, E2E_TOKEN, dbFile], {
      cwd: repoRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    child.stderr!.pipe(log, { end: false });
    return new KotlinClient(child);
  }

  async send(cmd: string, args: Record<string, unknown> = {}): Promise<Reply> {
    if (this.exited) throw new Error('the Kotlin client has exited; see kotlin-client.log');
    const id = this.next++;
    const reply = new Promise<Reply>((resolve) => this.waiting.set(id, resolve));
    this.child.stdin!.write(`${JSON.stringify({ ...args, id, cmd })}\n`);
    const limit = (typeof args.timeoutMs === 'number' ? args.timeoutMs : 0) + 60_000;
    const r = await within(`Kotlin client ${cmd}`, limit, reply);
    if (!r.ok) throw new Error(`Kotlin client, ${cmd} ${JSON.stringify(args)}: ${r.error}`);
    return r;
  }

  /** Resolves with the time the repository's Flow first showed (or stopped showing) `label`. */
  async waitRow(label: string, present = true, timeoutMs = SYNC_MS): Promise<number> {
    return (await this.send('waitRow', { label, present, timeoutMs })).at as number;
  }

  async rows(): Promise<KotlinRow[]> {
    return (await this.send('rows')).rows as KotlinRow[];
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    this.child.stdin!.write(`${JSON.stringify({ id: 0, cmd: 'quit' })}\n`);
    const gone = new Promise<void>((r) => this.child.once('exit', () => r()));
    if ((await Promise.race([gone.then(() => 'exited'), sleep(10_000)])) !== 'exited')
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
  }
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

/** `p`, or an error naming `what` after `limit` ms (no step of the scenario may hang). */
async function within<T>(what: string, limit: number, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${limit} ms`)), limit);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const crossPlatform: Scenario = {
  id: '11-cross-platform',
  title:
    'cross-platform: the React app and a Kotlin client (generated repository + engine) edit the same rows, offline on each side, and converge with the server',
  needsLive: true,
  async run(ctx: Ctx) {
    const { a, b } = ctx;
    const dir = path.join(workDir, 'kotlin-client');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    mkdirSync(resultsDir, { recursive: true });
    const log = createWriteStream(path.join(resultsDir, 'kotlin-client.log'), { flags: 'a' });
    const t0 = Date.now();
    await runScript(['build'], log);
    ctx.note(`Kotlin client built (or up to date) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    const k = KotlinClient.start(ctx.api.baseUrl, path.join(dir, 'crm.db'), log);
    const id = ctx.runId;
    const label = (first: string, last?: string | null) =>
      [first, last].filter((x) => x !== undefined && x !== null && x !== '').join(' ');
    try {
      await k.send('start');
      await k.send('idle', { timeoutMs: 60_000 });
      await a.goto('contacts');
      await b.goto('contacts');
      const everyone = await ctx.api.list('contacts');
      await until('the Kotlin client to show the server’s contacts', SYNC_MS, async () => {
        const rows = await k.rows();
        return everyone.every((s) => rows.some((r) => r.id === s.key));
      });

      // React → Kotlin: a create clicked in A, shown by the Kotlin repository's Flow.
      const toKotlin: number[] = [];
      const fromReact: string[] = [];
      for (let i = 1; i <= N; i++) {
        const name = `XR${String(i).padStart(2, '0')}-${id}`;
        const seen = k.waitRow(name);
        await sleep(50); // the Kotlin side is subscribed before the click
        const inA = a.waitRow(name, RENDER_MS);
        const click = await a.create('contacts', { first_name: name, email: `xr${i}@e2e.example` });
        const at = await seen;
        check((await inA) !== null, `${name}: never rendered in A`);
        toKotlin.push(at - click);
        fromReact.push(name);
      }
      // Kotlin → React: a create through the generated repository, shown in A's list.
      const toReact: number[] = [];
      const fromKotlin: { id: string; name: string }[] = [];
      for (let i = 1; i <= N; i++) {
        const name = `XK${String(i).padStart(2, '0')}-${id}`;
        const inA = a.waitRow(name, SYNC_MS);
        await sleep(50);
        const made = await k.send('create', { first_name: name, email: `xk${i}@e2e.example` });
        const at = await inA;
        check(at !== null, `${name} (made on Kotlin) not visible in A within ${SYNC_MS} ms`);
        toReact.push(at - (made.at as number));
        fromKotlin.push({ id: made.key as string, name });
      }
      const load = loadavg()
        .map((l) => l.toFixed(2))
        .join(' / ');
      ctx.figure(
        `cross-platform: write on React → visible on Kotlin: p50 ${ms(percentile(toKotlin, 50))}, p95 ${ms(percentile(toKotlin, 95))} (n=${N})`,
      );
      ctx.figure(
        `cross-platform: write on Kotlin → visible on React: p50 ${ms(percentile(toReact, 50))}, p95 ${ms(percentile(toReact, 95))} (n=${N}; load average ${load})`,
      );

      // Edits and deletes across: each side edits and deletes the other's rows.
      ctx.note('edits and deletes across');
      await within(
        'A edit',
        60_000,
        a.edit('contacts', fromKotlin[0]!.name, { last_name: 'ByReact' }),
      );
      await k.waitRow(label(fromKotlin[0]!.name, 'ByReact'));
      const r0 = (await ctx.api.list('contacts')).find((r) => r.label === fromReact[0])!;
      await k.send('update', {
        key: r0.key,
        values: { last_name: 'ByKotlin', phone: '+1 555 0111' },
      });
      check(
        (await within(
          'A waitRow',
          SYNC_MS + 30_000,
          a.waitRow(label(fromReact[0]!, 'ByKotlin'), SYNC_MS),
        )) !== null,
        'A never showed the Kotlin edit',
      );
      await within('A remove', 60_000, a.remove('contacts', fromKotlin[1]!.name));
      await k.waitRow(fromKotlin[1]!.name, false);
      const r1 = (await ctx.api.list('contacts')).find((r) => r.label === fromReact[1])!;
      await k.send('delete', { key: r1.key });
      await until('A to drop the row deleted on Kotlin', SYNC_MS, async () =>
        (await a.rows('contacts')).every((r) => r.label !== fromReact[1]),
      );
      ctx.note('edits and deletes crossed both ways');

      ctx.note('Kotlin offline');
      // The Kotlin client offline: its writes wait, the browser's go on; then it reconnects.
      await k.send('offline', { on: true });
      const kOff = `XKoff-${id}`;
      await k.send('create', { first_name: kOff, email: 'xkoff@e2e.example' });
      const r2 = (await ctx.api.list('contacts')).find((r) => r.label === fromReact[2])!;
      const r3 = (await ctx.api.list('contacts')).find((r) => r.label === fromReact[3])!;
      await k.send('update', { key: r2.key, values: { last_name: 'OfflineKotlin' } });
      await k.send('delete', { key: r3.key });
      const rWhile = `XRwhileKoff-${id}`;
      await within(
        'A create',
        60_000,
        a.create('contacts', { first_name: rWhile, email: 'xrwhile@e2e.example' }),
      );
      await within(
        'A edit',
        60_000,
        a.edit('contacts', fromKotlin[2]!.name, { phone: '+1 555 0122' }),
      );
      await sleep(2_000);
      check(
        (await ctx.api.list('contacts')).every((r) => r.label !== kOff),
        'a write made while the Kotlin client was offline reached the server',
      );
      const pendingOnKotlin = (await k.rows()).filter((r) => r.state === 'pending').length;
      check(
        pendingOnKotlin >= 2,
        `expected the Kotlin client's offline writes pending, saw ${pendingOnKotlin}`,
      );
      await k.send('offline', { on: false });
      await k.waitRow(rWhile, true, 60_000);
      check(
        (await within('A waitRow', SYNC_MS + 30_000, a.waitRow(kOff, SYNC_MS))) !== null,
        'A never showed the Kotlin offline create',
      );
      ctx.note(
        'Kotlin offline: 3 writes queued, sent after reconnecting; the browser’s writes arrived',
      );

      ctx.note('Kotlin engine stopped');
      // The Kotlin engine stopped (the app in the background): a write queues, A edits its rows.
      await k.send('stop');
      const kStopped = `XKstopped-${id}`;
      await k.send('create', { first_name: kStopped, email: 'xkstop@e2e.example' });
      await within(
        'A edit',
        60_000,
        a.edit('contacts', fromKotlin[3]!.name, { last_name: 'WhileStopped' }),
      );
      await sleep(1_000);
      await k.send('start');
      await k.waitRow(label(fromKotlin[3]!.name, 'WhileStopped'));
      check(
        (await within('A waitRow', SYNC_MS + 30_000, a.waitRow(kStopped, SYNC_MS))) !== null,
        'A never showed the write made while the engine was stopped',
      );

      ctx.note('browser offline');
      // The browser offline: its writes wait, Kotlin's go on; both edit the same row.
      await within('A setOffline', 60_000, a.setOffline(true));
      const rOff = `XRoff-${id}`;
      await within(
        'A create',
        60_000,
        a.create('contacts', { first_name: rOff, email: 'xroff@e2e.example' }),
      );
      await within(
        'A edit',
        60_000,
        a.edit('contacts', fromKotlin[4]!.name, { last_name: 'FromReactOffline' }),
      );
      await within('A remove', 60_000, a.remove('contacts', fromKotlin[5]!.name));
      const kWhile = `XKwhileRoff-${id}`;
      await k.send('create', { first_name: kWhile, email: 'xkwhile@e2e.example' });
      await k.send('update', { key: fromKotlin[4]!.id, values: { last_name: 'FromKotlin' } });
      await sleep(2_000);
      check(
        (await ctx.api.list('contacts')).every((r) => r.label !== rOff),
        'a write made while the browser was offline reached the server',
      );
      await within('A setOffline', 60_000, a.setOffline(false));
      await k.waitRow(rOff, true, 60_000);
      await until('A to show the Kotlin create made while it was offline', 60_000, async () =>
        (await a.rows('contacts')).some((r) => r.label === kWhile),
      );
      ctx.note('browser offline: 3 writes queued, sent after reconnecting; both edited one row');

      // The end: A, B and the Kotlin client show exactly the server's contacts.
      await k.send('idle', { timeoutMs: 60_000 });
      await until('A outbox to drain', 60_000, async () => (await a.badge()).pending === 0);
      const canon = (rows: { key: string; label: string }[]) =>
        rows
          .map((r) => `${r.key} ${r.label}`)
          .sort()
          .join('\n');
      let diff = '';
      try {
        await until('A, B, Kotlin and the server to agree', SYNC_MS, async () => {
          const server = await ctx.api.list('contacts');
          const want = canon(server);
          const kotlin = await k.rows();
          const views: [string, { key: string; label: string }[]][] = [
            ['A', await a.rows('contacts')],
            ['B', await b.rows('contacts')],
            ['Kotlin', kotlin.map((r) => ({ key: r.id, label: r.label }))],
          ];
          for (const [who, rows] of views) {
            const seen = canon(rows);
            if (seen !== want) {
              const s = new Set(want.split('\n'));
              const v = new Set(seen.split('\n'));
              diff = `${who} shows [${[...v].filter((x) => !s.has(x)).join('; ')}] not on the server and misses [${[...s].filter((x) => !v.has(x)).join('; ')}]`;
              return false;
            }
          }
          // Kotlin's rows field by field, not only their labels.
          for (const s of server) {
            const r = kotlin.find((x) => x.id === s.key)!;
            for (const f of ['first_name', 'last_name', 'email', 'phone'] as const)
              if ((r[f] ?? null) !== ((s.raw[f] as string | null | undefined) ?? null)) {
                diff = `Kotlin's ${f} of ${s.label} is ${JSON.stringify(r[f])}, the server's ${JSON.stringify(s.raw[f])}`;
                return false;
              }
            if (r.state !== 'synced') {
              diff = `Kotlin's ${s.label} is still ${r.state}`;
              return false;
            }
          }
          return true;
        });
      } catch (e) {
        throw new Error(
          `cross-platform convergence: ${diff || (e instanceof Error ? e.message : '')}`,
        );
      }
      const server = await ctx.api.list('contacts');
      const once = (name: string) => server.filter((r) => r.label.startsWith(name)).length;
      for (const name of [kOff, kStopped, kWhile, rOff, rWhile])
        check(once(name) === 1, `${name} is on the server ${once(name)} times`);
      const edited = server.find((r) => r.key === fromKotlin[4]!.id);
      check(
        edited !== undefined &&
          ['FromReactOffline', 'FromKotlin'].includes(edited.raw.last_name as string),
        `the row both sides edited lost both edits: ${JSON.stringify(edited?.raw.last_name)}`,
      );
      ctx.note(
        `converged: A = B = Kotlin = server (${server.length} contacts; the row both edited ends as "${edited.raw.last_name as string}")`,
      );
    } finally {
      await k.stop();
      log.end();
    }
  },
};
