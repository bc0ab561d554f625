#!/usr/bin/env bash
# Runs the Postman collection with newman against a fresh dev server (make postman).
# The caller builds the binary first (make build); KAPI_BIN overrides its path, PORT the port.
# newman is installed once into .ci-tools/npm (git-ignored) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

NEWMAN_VERSION=6.2.2
NEWMAN=.ci-tools/npm/node_modules/.bin/newman
if [ "$("$NEWMAN" --version 2>/dev/null || true)" != "$NEWMAN_VERSION" ]; then
  echo "installing newman $NEWMAN_VERSION into .ci-tools/npm" >&2
  mkdir -p .ci-tools/npm
  npm install --no-save --no-audit --no-fund --no-package-lock --silent --prefix .ci-tools/npm "newman@$NEWMAN_VERSION" >&2
fi

start_server "${PORT:-18080}"
started=$(date +%s)
# No --bail: one broken step should not hide the others. newman exits non-zero on any failed test,
# and the EXIT trap (lib-server.sh) then prints the server log.
"$NEWMAN" run postman/kapi.postman_collection.json \
  --environment postman/kapi.postman_environment.json \
  --env-var "baseUrl=$BASE_URL" \
  --color off
echo "newman: the collection passed in $(( $(date +%s) - started ))s" >&2
