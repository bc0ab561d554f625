#!/usr/bin/env bash
# Type-checks live JSON-LD answers against the schema.org vocabulary (make jsonld-check):
# starts a fresh dev server, fetches the JobPosting of a demo posting and of a demo open job,
# writes them as `const x: WithContext<JobPosting> = …` and runs `tsc --strict --noEmit` with
# schema-dts (the vocabulary's TypeScript types). Any property schema.org does not define for
# its type is an excess-property error, so the run fails. schema-dts and typescript are
# installed from the npm registry into a temp dir. KAPI_BIN overrides the binary, PORT the port.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

SCHEMA_DTS_VERSION=2.1.0
TYPESCRIPT_VERSION=7.0.2

start_server "${PORT:-18082}"
work="$SERVER_DIR/jsonld"
mkdir -p "$work"
echo "installing schema-dts $SCHEMA_DTS_VERSION and typescript $TYPESCRIPT_VERSION into a temp dir" >&2
npm install --no-save --no-audit --no-fund --no-package-lock --silent --prefix "$work" \
  "schema-dts@$SCHEMA_DTS_VERSION" "typescript@$TYPESCRIPT_VERSION" >&2

posting_id=$(curl -fsS "$BASE_URL/api/v1/postings?per_page=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
talep_no=$(curl -fsS "$BASE_URL/api/v1/open-jobs?mode=quick&per_page=1" |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["talep_no"])')
curl -fsS "$BASE_URL/api/v1/postings/$posting_id/job-posting" >"$work/posting.json"
curl -fsS "$BASE_URL/api/v1/open-jobs/$talep_no/job-posting" >"$work/open-job.json"

python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
out = ['import type { JobPosting, WithContext } from "schema-dts";']
for name, file in [("posting", "posting.json"), ("openJob", "open-job.json")]:
    ld = json.load(open(f"{work}/{file}", encoding="utf-8"))
    out.append(f"export const {name}: WithContext<JobPosting> = {json.dumps(ld, ensure_ascii=False, indent=2)};")
open(f"{work}/check.ts", "w", encoding="utf-8").write("\n".join(out) + "\n")
PY

"$work/node_modules/.bin/tsc" --strict --noEmit --module nodenext --moduleResolution nodenext \
  --target es2022 "$work/check.ts"
echo "jsonld-check: the JobPosting of posting $posting_id and of open job $talep_no type-check against schema-dts $SCHEMA_DTS_VERSION" >&2
