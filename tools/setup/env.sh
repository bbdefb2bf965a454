# The test set-up shared by `npm test` (tools/test-all.sh) and CI (.ci/run, which runs `npm test`).
# Sourced, not run: the throwaway Postgres cluster must be stopped by the caller's shell on exit.
#
#   source tools/setup/env.sh
#   setup_packages || exit 1   # Debian packages: installed with apt-get as root, else named with the command to run
#   setup_postgres || exit 1   # DATABASE_URL: the given one, or a throwaway cluster stopped and deleted on exit
#   setup_python   || exit 1   # Python virtual environments of the Python suites, when there are any
#
# Nothing is ever skipped silently: a missing piece is installed, or named with what to run and a
# non-zero status.

setup_log() { printf '== setup: %s\n' "$*"; }
setup_err() { printf 'npm test: %s\n' "$*" >&2; }

setup_is_root() { [ "$(id -u)" = 0 ]; }

# --- what the suites need ----------------------------------------------------------------------
# Each check answers "present?"; setup_packages installs (root) or names (not root) what is absent.

# PostgreSQL's server binaries (initdb, pg_ctl, postgres): Debian installs them per major version.
setup_pg_bindir() {
  if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then
    printf '%s\n' "$PG_BINDIR"
    return 0
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
    printf '%s\n' "$d"
    return 0
  fi
  return 1
}
setup_have_postgresql() { setup_pg_bindir >/dev/null; }
setup_have_maven() { command -v mvn >/dev/null 2>&1; }
# A JDK (javac), release 17 or later: the Kotlin JUnit run compiles for and runs on JVM 17.
setup_have_jdk() {
  command -v javac >/dev/null 2>&1 || return 1
  local major
  major=$(javac -version 2>&1 | sed -n 's/^javac \([0-9]*\).*/\1/p')
  [ -n "$major" ] && [ "$major" -ge 17 ]
}
# The same places tools/e2e/processes.ts looks.
setup_have_chromium() {
  local c
  for c in "${CHROMIUM_PATH:-}" /usr/lib/chromium/chromium /usr/bin/chromium; do
    [ -n "$c" ] && [ -x "$c" ] && return 0
  done
  return 1
}
# The Kotlin JUnit run polls its dev server with curl.
setup_have_curl() { command -v curl >/dev/null 2>&1; }
setup_have_python_venv() { command -v python3 >/dev/null 2>&1 && python3 -c 'import ensurepip, venv' >/dev/null 2>&1; }

# The requirements files of Python suites whose venv this script makes (packages/*/requirements.txt).
setup_python_requirements() { ls packages/*/requirements.txt 2>/dev/null | sort; }
# Every Python suite, whoever makes its venv: packages/fastapi/run-tests.sh (requirements.lock) and
# tools/schemathesis/run.py make their own; they need Python 3 with venv all the same.
setup_python_suites() { ls packages/*/requirements.txt packages/*/requirements.lock tools/*/requirements.txt 2>/dev/null | sort; }

# Lines of "<debian package>|<what needs it>" for what is missing on this machine.
setup_missing() {
  if [ -z "${DATABASE_URL:-}" ]; then
    setup_have_postgresql || echo "postgresql|PostgreSQL (the Postgres half of the dev-server suite; or set DATABASE_URL)"
  fi
  setup_have_maven || echo "maven|Maven (fetches the Kotlin JUnit run's jars)"
  setup_have_jdk || echo "openjdk-17-jdk-headless|a JDK 17 (the Kotlin JUnit run)"
  setup_have_chromium || echo "chromium|Chromium (the end-to-end run in a real browser)"
  setup_have_curl || echo "curl|curl (the Kotlin JUnit run's dev-server health check)"
  if [ -n "$(setup_python_suites)" ]; then
    setup_have_python_venv || echo "python3-venv|Python 3 with venv (the Python suites)"
  fi
  return 0
}

# Installs what is missing as root (one `apt-get update` first); otherwise prints one line per
# missing piece with the command that installs it, and fails.
setup_packages() {
  local missing pkgs=() line
  missing=$(setup_missing)
  if [ -z "$missing" ]; then
    setup_log "system packages: all present"
    return 0
  fi
  while IFS= read -r line; do pkgs+=("${line%%|*}"); done <<<"$missing"
  if ! setup_is_root; then
    while IFS= read -r line; do
      setup_err "missing ${line#*|}: run \`sudo apt-get install -y ${line%%|*}\`"
    done <<<"$missing"
    setup_err "not running as root, so nothing was installed; install the above (all at once: \`sudo apt-get update && sudo apt-get install -y ${pkgs[*]}\`) and run npm test again"
    return 1
  fi
  setup_log "installing ${pkgs[*]} (apt-get, as root)"
  export DEBIAN_FRONTEND=noninteractive
  # Another apt-get on the machine holds dpkg's lock for a while: wait for it rather than fail.
  local wait=(-o DPkg::Lock::Timeout=600)
  apt-get "${wait[@]}" update -qq || { setup_err "apt-get update failed"; return 1; }
  apt-get "${wait[@]}" install -y -qq "${pkgs[@]}" >/dev/null || {
    setup_err "apt-get install -y ${pkgs[*]} failed"
    return 1
  }
  missing=$(setup_missing)
  if [ -n "$missing" ]; then
    while IFS= read -r line; do setup_err "still missing after apt-get: ${line#*|}"; done <<<"$missing"
    return 1
  fi
  setup_log "installed ${pkgs[*]}"
}

# --- a throwaway PostgreSQL cluster ------------------------------------------------------------

SETUP_PG_DIR=''
SETUP_PG_USER=''

setup_free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close()})'
}

# Runs a PostgreSQL binary as the cluster's owner: root may not run postgres, so as root that is
# the `postgres` user Debian's package creates (else `nobody`).
setup_pg_as_owner() {
  if [ -n "$SETUP_PG_USER" ]; then
    runuser -u "$SETUP_PG_USER" -- "$@"
  else
    "$@"
  fi
}

# Stops and deletes the clusters of earlier runs whose shell is gone (killed with SIGKILL).
setup_pg_sweep() {
  local dir pid bindir
  bindir=$(setup_pg_bindir) || return 0
  for dir in "${TMPDIR:-/tmp}"/sync-patterns-pg.*; do
    [ -f "$dir/owner.pid" ] || continue
    pid=$(cat "$dir/owner.pid")
    kill -0 "$pid" 2>/dev/null && continue
    if [ -f "$dir/data/postmaster.pid" ]; then
      runuser -u "$(stat -c %U "$dir/data")" -- "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 ||
        "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    setup_log "removed the cluster of an earlier run that did not stop it ($dir)"
  done
}

# Uses DATABASE_URL when given. Otherwise initdb's a cluster in a temp dir, starts it on a free
# port (TCP on 127.0.0.1 only, its socket in the temp dir), creates the database, exports
# DATABASE_URL, and arranges for the cluster to be stopped and deleted when the shell exits
# (normally, on failure, or on Ctrl-C / SIGTERM).
setup_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then
    setup_log "PostgreSQL: using the given DATABASE_URL"
    return 0
  fi
  local bindir port attempt password opts
  bindir=$(setup_pg_bindir) || {
    setup_err "missing PostgreSQL: run \`sudo apt-get install -y postgresql\`, or set DATABASE_URL"
    return 1
  }
  setup_pg_sweep
  SETUP_PG_USER=''
  if setup_is_root; then
    SETUP_PG_USER=postgres
    id -u postgres >/dev/null 2>&1 || SETUP_PG_USER=nobody
  fi
  SETUP_PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sync-patterns-pg.XXXXXX") || return 1
  trap setup_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  echo "$$" >"$SETUP_PG_DIR/owner.pid"
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$SETUP_PG_DIR/pwfile"
  [ -z "$SETUP_PG_USER" ] || chown -R "$SETUP_PG_USER" "$SETUP_PG_DIR"
  # The superuser `sync` (the suites create a database per server) with a random password over
  # TCP; the socket in the (private) temp dir is for the owner only.
  if ! setup_pg_as_owner "$bindir/initdb" -D "$SETUP_PG_DIR/data" -U sync --pwfile="$SETUP_PG_DIR/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >"$SETUP_PG_DIR/initdb.log" 2>&1; then
    setup_err "initdb failed:"
    cat "$SETUP_PG_DIR/initdb.log" >&2
    return 1
  fi
  # A throwaway cluster: no durability needed, so no fsync (faster on a loaded machine).
  opts="-c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -k $SETUP_PG_DIR"
  for attempt in 1 2 3 4 5; do
    port=$(setup_free_port) || return 1
    if setup_pg_as_owner "$bindir/pg_ctl" -D "$SETUP_PG_DIR/data" -l "$SETUP_PG_DIR/postgres.log" -w -t 60 \
      -o "-p $port $opts" start >/dev/null 2>&1; then
      break
    fi
    port=''
  done
  if [ -z "$port" ]; then
    setup_err "the throwaway PostgreSQL cluster did not start; its log:"
    cat "$SETUP_PG_DIR/postgres.log" >&2
    return 1
  fi
  if ! setup_pg_as_owner "$bindir/createdb" -h "$SETUP_PG_DIR" -p "$port" -U sync sync_test; then
    setup_err "createdb sync_test failed"
    return 1
  fi
  export DATABASE_URL="postgres://sync:$password@127.0.0.1:$port/sync_test"
  export SETUP_PG_PORT="$port"
  setup_log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}'): throwaway cluster on 127.0.0.1:$port ($SETUP_PG_DIR), stopped and deleted on exit"
}

setup_cleanup() {
  local status=$?
  if [ -n "$SETUP_PG_DIR" ] && [ -d "$SETUP_PG_DIR" ]; then
    local bindir
    bindir=$(setup_pg_bindir)
    if [ -f "$SETUP_PG_DIR/data/postmaster.pid" ]; then
      setup_pg_as_owner "$bindir/pg_ctl" -D "$SETUP_PG_DIR/data" -m fast -w -t 30 stop >/dev/null 2>&1 ||
        setup_pg_as_owner "$bindir/pg_ctl" -D "$SETUP_PG_DIR/data" -m immediate stop >/dev/null 2>&1
    fi
    rm -rf "$SETUP_PG_DIR"
    setup_log "PostgreSQL: throwaway cluster stopped and deleted"
  fi
  SETUP_PG_DIR=''
  return $status
}

# --- Python suites -----------------------------------------------------------------------------
# HOOK for the Python suites (the FastAPI integration, once it lands as e.g. packages/fastapi with
# a pinned requirements.txt): each package with a requirements.txt gets its own virtual
# environment, <package>/.venv, made afresh whenever requirements.txt changes. Its test target
# runs <package>/.venv/bin/python. No requirements file: nothing to do.
setup_python() {
  local req pkg venv
  for req in $(setup_python_requirements); do
    pkg=$(dirname "$req")
    venv="$pkg/.venv"
    if [ -x "$venv/bin/python" ] && [ -f "$venv/requirements.txt" ] && cmp -s "$req" "$venv/requirements.txt"; then
      continue
    fi
    setup_log "Python: $venv from $req"
    rm -rf "$venv"
    if ! python3 -m venv "$venv" || ! "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"; then
      setup_err "could not make $venv from $req"
      rm -rf "$venv"
      return 1
    fi
    cp "$req" "$venv/requirements.txt"
  done
  return 0
}
