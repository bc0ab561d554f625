# Sourced by scripts that need a fresh Kapı server: start_server PORT starts the built
# binary on a new SQLite database in a temp dir and waits until it is ready; the server is
# stopped (and its log shown on failure) when the calling script exits.
KAPI_BIN=${KAPI_BIN:-${CARGO_TARGET_DIR:-target}/debug/kapi}

start_server() {
  local port=$1
  SERVER_DIR=$(mktemp -d /tmp/kapi-server.XXXXXX)
  SERVER_LOG="$SERVER_DIR/server.log"
  BASE_URL="http://127.0.0.1:$port"
  [ -x "$KAPI_BIN" ] || { echo "no server binary at $KAPI_BIN (run: cargo build -p kapi-api)" >&2; exit 1; }
  KAPI_PROFILE=dev KAPI_BIND="127.0.0.1:$port" KAPI_DATABASE_URL="$SERVER_DIR/kapi.db" KAPI_DATA_DIR="$SERVER_DIR/data" \
    RUST_LOG=${RUST_LOG:-warn} "$KAPI_BIN" serve >"$SERVER_LOG" 2>&1 &
  SERVER_PID=$!
  trap stop_server EXIT
  for _ in $(seq 1 120); do
    if curl -fsS "$BASE_URL/health/ready" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "the server did not become ready; its log:" >&2
  cat "$SERVER_LOG" >&2
  exit 1
}

stop_server() {
  local rc=$?
  if [ -n "${SERVER_PID:-}" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ $rc -ne 0 ] && [ -f "${SERVER_LOG:-}" ]; then echo "--- server log (last 50 lines) ---" >&2; tail -n 50 "$SERVER_LOG" >&2; fi
  rm -rf "${SERVER_DIR:-/nonexistent}"
  return $rc
}
