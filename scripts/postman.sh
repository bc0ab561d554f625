#!/usr/bin/env bash
# Runs the Postman collection with newman against a fresh dev server (make postman).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

NEWMAN=.ci-tools/npm/node_modules/.bin/newman
if [ ! -x "$NEWMAN" ]; then
  echo "installing newman into .ci-tools/npm" >&2
  npm install --no-audit --no-fund --silent --prefix .ci-tools/npm newman@6 >&2
fi

start_server "${PORT:-18080}"
"$NEWMAN" run postman/kapi.postman_collection.json \
  --environment postman/kapi.postman_environment.json \
  --env-var "baseUrl=$BASE_URL" \
  --bail failure --color off
