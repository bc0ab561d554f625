#!/usr/bin/env bash
# Crash durability test: scripts/crash-test.sh [sqlite|postgres|both] [--short]
# Starts Kapı on a fresh database, drives concurrent petition submissions and work-permit
# status changes, kill -9s the server mid-load, restarts it and checks that every
# acknowledged write is there and consistent and nothing is half-written
# (scripts/crash_test.py). Uses target/release/kapi when it is there (target/debug/kapi
# with --short, as CI built it), or KAPI_BIN; builds the bench-load data loader.
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-sqlite}
shift || true
short=""
for a in "$@"; do [ "$a" = "--short" ] && short="--short"; done

target=${CARGO_TARGET_DIR:-target}
if [ -n "$short" ]; then profile=debug; cargo_flags=(); else profile=release; cargo_flags=(--release); fi
if [ -z "${KAPI_BIN:-}" ]; then
  KAPI_BIN="$target/$profile/kapi"
  [ -x "$KAPI_BIN" ] || ${CARGO:-cargo} build -q "${cargo_flags[@]}" -p kapi-api --bin kapi
fi
${CARGO:-cargo} build -q "${cargo_flags[@]}" -p kapi-tests --bin bench-load
export KAPI_BIN KAPI_LOADER="$target/$profile/bench-load"

run() {
  if [ "$1" = "postgres" ]; then
    scripts/with-postgres.sh python3 scripts/crash_test.py postgres "${@:2}"
  else
    python3 scripts/crash_test.py sqlite "${@:2}"
  fi
}
if [ "$db" = "both" ]; then
  run sqlite $short && run postgres $short
else
  run "$db" $short
fi
