#!/usr/bin/env bash
# Property-based fuzzing of every operation with schemathesis against a fresh dev server
# (make fuzz): fails on any 5xx, a response that does not match the spec, or a status code
# the spec does not document.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

VENV=.ci-tools/venv
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "installing schemathesis into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5' >&2
fi

start_server "${PORT:-18081}"
TOKEN=$(curl -fsS -X POST "$BASE_URL/api/v1/auth/staff/login" -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"Kapi2026"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')

"$VENV/bin/schemathesis" run openapi/openapi.json \
  --url "$BASE_URL" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${FUZZ_EXAMPLES:-25}" \
  --seed "${FUZZ_SEED:-20261123}" \
  --workers 2 \
  --no-color
