#!/usr/bin/env bash
# Runs a command with KAPI_TEST_POSTGRES_URL pointing at a PostgreSQL server the tests may
# create databases on:
#   1. KAPI_TEST_POSTGRES_URL if already set;
#   2. else a local server at 127.0.0.1:5432 (user postgres, database test) if one answers;
#   3. else a throwaway cluster in a temp dir when the PostgreSQL binaries are installed
#      (stopped and removed afterwards);
#   4. else the command runs without it: the SQLite suite runs and the PostgreSQL suite is
#      reported as NOT RUN — loudly. Under CI=true that is a failure, never a skip.
set -euo pipefail

log() { printf '\033[1m[with-postgres]\033[0m %s\n' "$*" >&2; }

if [ -n "${KAPI_TEST_POSTGRES_URL:-}" ]; then
  log "using KAPI_TEST_POSTGRES_URL from the environment"
  exec "$@"
fi

if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432 \
   && psql -h 127.0.0.1 -U postgres -d test -tAc 'select 1' >/dev/null 2>&1; then
  export KAPI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:5432/test"
  log "using the local PostgreSQL at 127.0.0.1:5432"
  exec "$@"
fi

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$bindir" ] && [ -x "$bindir/initdb" ]; then
  tmp=$(mktemp -d /tmp/kapi-pg.XXXXXX)
  port=$(( 20000 + RANDOM % 20000 ))
  as_pg=()
  if [ "$(id -u)" = "0" ]; then
    chown postgres "$tmp" 2>/dev/null || true
    as_pg=(runuser -u postgres --)
  fi
  log "starting a throwaway PostgreSQL cluster in $tmp on port $port"
  "${as_pg[@]}" "$bindir/initdb" -D "$tmp/data" -U postgres -A trust >/dev/null
  "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -o "-p $port -k $tmp -c listen_addresses=127.0.0.1" -l "$tmp/log" -w start >/dev/null
  cleanup() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$tmp/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$tmp"; }
  trap cleanup EXIT
  "${as_pg[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres test
  export KAPI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/test"
  "$@"
  exit $?
fi

if [ "${CI:-}" = "true" ]; then
  log "ERROR: no PostgreSQL available under CI=true; the PostgreSQL suite must run in CI"
  exit 1
fi
log "=================================================================="
log "WARNING: no PostgreSQL found. Only the SQLite suite will run;"
log "the PostgreSQL suite DID NOT RUN. Set KAPI_TEST_POSTGRES_URL or"
log "install PostgreSQL (Debian: apt-get install postgresql)."
log "=================================================================="
exec "$@"
