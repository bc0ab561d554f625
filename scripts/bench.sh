#!/usr/bin/env bash
# make bench: the HTTP benchmark (scripts/bench.py) against the release build.
#   make bench                     SQLite, scales 10k, 100k, 1M → docs/benchmarks.md
#   make bench BENCH_DB=postgres   PostgreSQL → docs/benchmarks-postgres.md
# Environment: BENCH_SCALES (10000,100000,1000000), BENCH_DURATION (10 s per endpoint),
# BENCH_CONNECTIONS (16), BENCH_PORT (18380), BENCH_KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
BENCH_DB=${BENCH_DB:-sqlite}

if ! command -v wrk >/dev/null 2>&1; then
  echo "[bench] installing wrk (Debian package)" >&2
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
  fi
fi

echo "[bench] cargo build --release (kapi, bench-load)" >&2
${CARGO:-cargo} build --release -q -p kapi-api --bin kapi -p kapi-tests --bin bench-load

if [ "$BENCH_DB" = "postgres" ]; then
  # A server the benchmark may create databases on (the local one, or a throwaway cluster).
  exec scripts/with-postgres.sh python3 scripts/bench.py --db postgres "$@"
fi
exec python3 scripts/bench.py --db sqlite "$@"
