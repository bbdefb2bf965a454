/**
 * tools/setup/env.sh, the set-up `npm test` and CI share: what it installs (as root, with a fake
 * apt-get), what it tells a user who is not root, and the throwaway PostgreSQL cluster's life.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** Runs `script` in bash after sourcing env.sh, in the repo root, without DATABASE_URL. */
function setup(script: string, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-test-'));
  temps.push(dir);
  const base = { ...process.env };
  delete base.DATABASE_URL;
  const r = spawnSync('bash', ['-c', `source tools/setup/env.sh\n${script}`], {
    cwd: root,
    env: { ...base, T: dir, ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, dir };
}

// Chromium, Maven and PostgreSQL absent until the fake apt-get "installs" them; the rest present.
const fakeMachine = `
setup_have_chromium() { [ -f "$T/installed" ]; }
setup_have_maven() { [ -f "$T/installed" ]; }
setup_have_postgresql() { [ -f "$T/installed" ]; }
setup_have_jdk() { true; }
setup_have_curl() { true; }
apt-get() { echo "apt-get $*" >>"$T/apt.log"; case " $* " in *" install "*) touch "$T/installed" ;; esac; }
`;

describe('setup_packages', () => {
  it('as root: one apt-get update, then one install of exactly what is missing', () => {
    const r = setup(`${fakeMachine}\nsetup_is_root() { true; }\nsetup_packages`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(path.join(r.dir, 'apt.log'), 'utf8').trim().split('\n')).toEqual([
      'apt-get -o DPkg::Lock::Timeout=600 update -qq',
      'apt-get -o DPkg::Lock::Timeout=600 install -y -qq postgresql maven chromium',
    ]);
    expect(r.stdout).toContain('installing postgresql maven chromium');
  });

  it('as root with nothing missing: no apt-get at all', () => {
    const r = setup(
      `${fakeMachine}\ntouch "$T/installed"\nsetup_is_root() { true; }\nsetup_packages`,
    );
    expect(r.status).toBe(0);
    expect(existsSync(path.join(r.dir, 'apt.log'))).toBe(false);
  });

  it('fails when apt-get did not provide a missing piece', () => {
    const r = setup(
      `${fakeMachine}\napt-get() { return 0; }\nsetup_is_root() { true; }\nsetup_packages`,
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('still missing after apt-get: Chromium');
  });

  it('not root: one line per missing piece with the command to run, nothing installed, exit 1', () => {
    const r = setup(`${fakeMachine}\nsetup_is_root() { false; }\nsetup_packages`);
    expect(r.status).toBe(1);
    expect(existsSync(path.join(r.dir, 'apt.log'))).toBe(false);
    const lines = r.stderr.trim().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      'npm test: missing PostgreSQL (the Postgres half of the dev-server suite; or set DATABASE_URL): run `sudo apt-get install -y postgresql`',
      "npm test: missing Maven (fetches the Kotlin JUnit run's jars): run `sudo apt-get install -y maven`",
      'npm test: missing Chromium (the end-to-end run in a real browser): run `sudo apt-get install -y chromium`',
    ]);
    expect(lines[3]).toContain('sudo apt-get install -y postgresql maven chromium');
  });

  it('does not ask for PostgreSQL when DATABASE_URL is given', () => {
    const r = setup(`${fakeMachine}\nsetup_is_root() { false; }\nsetup_packages`, {
      DATABASE_URL: 'postgres://u:p@db.example:5432/x',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).not.toContain('postgresql');
  });
});

describe('setup_postgres', () => {
  it('uses the given DATABASE_URL and starts nothing', () => {
    const r = setup('setup_postgres && echo "url=$DATABASE_URL dir=$SETUP_PG_DIR"', {
      DATABASE_URL: 'postgres://u:p@db.example:5432/x',
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('url=postgres://u:p@db.example:5432/x dir=\n');
  });

  it('names the fix when PostgreSQL is not installed and no DATABASE_URL is given', () => {
    const r = setup('setup_pg_bindir() { return 1; }\nsetup_postgres');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('run `sudo apt-get install -y postgresql`, or set DATABASE_URL');
  });

  // A real cluster (~4 s): needs PostgreSQL's binaries, which `npm test` installs before it runs.
  const installed = spawnSync('bash', ['-c', 'source tools/setup/env.sh; setup_pg_bindir'], {
    cwd: root,
  });
  it.skipIf(installed.status !== 0)(
    'starts a throwaway cluster, exports its DATABASE_URL, and stops and deletes it on exit',
    () => {
      const r = setup(`
set -e
setup_postgres
echo "dir=$SETUP_PG_DIR"
echo "url=$DATABASE_URL"
pid=$(head -1 "$SETUP_PG_DIR/data/postmaster.pid")
echo "pid=$pid"
node -e '
  const pg = require(process.argv[1]);
  const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
  c.connect().then(() => c.query("select current_database() as db")).then((r) => {
    console.log("db=" + r.rows[0].db); return c.end();
  }).catch((e) => { console.error(e); process.exit(1); });
' "$PWD/node_modules/pg"
exit 3`);
      // The script's own status survives the cleanup.
      expect(r.status, r.stderr).toBe(3);
      const value = (key: string) => new RegExp(`^${key}=(.*)$`, 'm').exec(r.stdout)?.[1] ?? '';
      expect(value('url')).toMatch(/^postgres:\/\/sync:[0-9a-f]+@127\.0\.0\.1:\d+\/sync_test$/);
      expect(value('db')).toBe('sync_test');
      expect(r.stdout).toContain('throwaway cluster stopped and deleted');
      expect(existsSync(value('dir'))).toBe(false);
      // Gone, or a zombie its (re)parent has not reaped yet: either way, not running.
      const stat = `/proc/${value('pid')}/stat`;
      const state = existsSync(stat) ? readFileSync(stat, 'utf8').split(') ')[1]?.[0] : 'gone';
      expect(['gone', 'Z', 'X']).toContain(state);
    },
    60_000,
  );
});

describe('setup_python (the hook for the Python suites)', () => {
  it('does nothing without a requirements file', () => {
    const r = setup('cd "$T" && setup_python && ls -A "$T"');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('');
  });

  it("makes a package's .venv from its requirements.txt, again only when the file changes", () => {
    const r = setup(`
set -e
cd "$T" && mkdir -p packages/fastapi && echo '# pinned requirements' >packages/fastapi/requirements.txt
setup_python
packages/fastapi/.venv/bin/python -c 'import sys; print("venv=" + str(sys.prefix != sys.base_prefix))'
setup_python
echo '# changed' >>packages/fastapi/requirements.txt
setup_python`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('venv=True');
    const made = r.stdout.split('\n').filter((l) => l.includes('Python: packages/fastapi/.venv'));
    expect(made).toHaveLength(2);
  }, 60_000);
});
