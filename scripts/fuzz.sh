#!/usr/bin/env bash
# Property-based fuzzing with schemathesis against a fresh dev server (make fuzz): one run per
# kind of actor, each with that actor's token over the operations of its role (the tags in
# scripts/fuzz_plan.py), then the operations that need no token, then the dev helpers (last:
# they move the clock the tokens are checked against). Together the runs cover every
# operation (checked first). Each run has schemathesis' phases: the spec's examples,
# coverage, fuzzing (positive and negative data) and stateful sequences (links inferred
# from the answers). Fails on any 5xx, a response that does not match the spec, or a status
# code the spec does not document.
#
# FUZZ_EXAMPLES (default 20) bounds the test cases per operation, FUZZ_SEED fixes the data,
# FUZZ_ACTORS (default: all) names the runs to do, e.g. FUZZ_ACTORS="citizen anonymous".
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

VENV=.ci-tools/venv
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "installing schemathesis into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet 'schemathesis>=4,<5' >&2
fi

# The dev spec: the runs need the dev helpers (outbox, clock) the prod contract leaves out.
SPEC=openapi/openapi.dev.json
python3 scripts/fuzz_plan.py "$SPEC" --check

# The fuzzers hammer the logins, identity checks, code requests and public searches from one
# address: raise those limits so the handlers behind them get fuzzed too (429 stays
# documented and is exercised by the black-box tests). One-time codes keep their limit per
# destination.
export KAPI_RATE_LIMIT_LOGIN=${KAPI_RATE_LIMIT_LOGIN:-100000/60}
export KAPI_RATE_LIMIT_LOGIN_ADDRESS=${KAPI_RATE_LIMIT_LOGIN_ADDRESS:-100000/60}
export KAPI_RATE_LIMIT_OTP_CALLER=${KAPI_RATE_LIMIT_OTP_CALLER:-100000/60}
export KAPI_RATE_LIMIT_OTP_ADDRESS=${KAPI_RATE_LIMIT_OTP_ADDRESS:-100000/60}
export KAPI_RATE_LIMIT_IDENTITY_CHECK=${KAPI_RATE_LIMIT_IDENTITY_CHECK:-100000/60}
export KAPI_RATE_LIMIT_IDENTITY_CHECK_ADDRESS=${KAPI_RATE_LIMIT_IDENTITY_CHECK_ADDRESS:-100000/60}
export KAPI_RATE_LIMIT_SEARCH=${KAPI_RATE_LIMIT_SEARCH:-100000/60}
start_server "${PORT:-18081}"
started=$(date +%s)

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)[\"$1\"])"; }
post() { curl -fsS -X POST "$BASE_URL$1" -H 'Content-Type: application/json' -d "$2" ${3:+-H "Authorization: Bearer $3"}; }
staff() { post /api/v1/auth/staff/login "{\"username\":\"$1\",\"password\":\"Kapi2026\"}" | json_field access_token; }
citizen() { post /api/v1/auth/e-devlet/login "{\"tckn\":\"$1\",\"password\":\"Kapi2026\"}" | json_field access_token; }
employer() { post /api/v1/auth/employer/login "{\"tckn\":\"$1\",\"password\":\"Kapi2026\"}" | json_field access_token; }
tckn() { # a valid TCKN from nine digits
  python3 -c "d=[int(c) for c in '$1']; a=(sum(d[0:9:2])*7-sum(d[1:8:2]))%10; print('$1'+str(a)+str((sum(d)+a)%10))"
}
# An Açık Kapı desk user registered by the Ankara province administrator, logged in with the
# SMS code read from the dev outbox.
officer() { # officer KIND NINE_DIGITS MOBILE UNITS_JSON
  local id; id=$(tckn "$2")
  post /api/v1/admin/petition-users \
    "{\"kind\":\"$1\",\"tckn\":\"$id\",\"first_name\":\"Fuzz\",\"last_name\":\"Deneme\",\"mobile\":\"$3\",\"province\":6,\"districts\":[],\"units\":$4}" \
    "$(staff ankara.valilik)" >/dev/null
  local challenge code
  challenge=$(post /api/v1/auth/petition-officer/otp "{\"tckn\":\"$id\",\"mobile\":\"$3\"}" | json_field challenge_id)
  code=$(curl -fsS "$BASE_URL/api/v1/dev/outbox?recipient=$3&limit=1" | python3 -c 'import json,re,sys; print(re.search(r"\b\d{6}\b", json.load(sys.stdin)[0]["body"]).group(0))')
  post /api/v1/auth/petition-officer/login "{\"challenge_id\":\"$challenge\",\"tckn\":\"$id\",\"code\":\"$code\"}" | json_field access_token
}

declare -A TOKEN
TOKEN[citizen]=$(citizen 12345678950)          # Mehmet Demir: SGK-authorised, so e-İzin employer flows open
TOKEN[employer_user]=$(employer 45678901280)   # the demo employer's administrator
TOKEN[iskur_staff]=$(staff iskur.ankara)
TOKEN[institution_staff]=$(staff kurum.ik)
TOKEN[ministry_staff]=$(staff bakanlik.degerlendirici)
TOKEN[desk_officer]=$(officer desk_officer 700000001 5330000901 '[]')
TOKEN[unit_officer]=$(officer unit_officer 700000002 5330000902 '["55481037"]')
TOKEN[civil_authority]=$(staff ankara.mia)
TOKEN[province_admin]=$(staff ankara.valilik)
TOKEN[system_admin]=$(staff admin)
# The demo integrator account's key (X-Api-Key), not a bearer token.
INTEGRATOR_KEY=kapi-demo-integrator-key
curl -fsS "$BASE_URL/api/v1/integrators/me" -H "X-Api-Key: $INTEGRATOR_KEY" >/dev/null \
  || { echo "the demo integrator key does not work" >&2; exit 1; }
for actor in "${!TOKEN[@]}"; do # every token works before the runs start
  curl -fsS "$BASE_URL/api/v1/auth/me" -H "Authorization: Bearer ${TOKEN[$actor]}" >/dev/null \
    || { echo "the $actor token does not work" >&2; exit 1; }
done

# Two runs at a time, in separate processes (one worker each: schemathesis' threads trip a
# CPython 3.11 AST bug). Groups run one after the other; accounts a run could change (an HR
# account deactivated, a desk user removed) are used up before the group whose
# administrators could change them; the dev helpers move the clock, so they come last.
FUZZ_GROUPS=(
  "citizen|employer_user iskur_staff"
  "institution_staff ministry_staff integrator|desk_officer unit_officer civil_authority"
  "province_admin|system_admin"
  "anonymous|"
  "dev|"
)
if [ -n "${FUZZ_ACTORS:-}" ]; then FUZZ_GROUPS=("$FUZZ_ACTORS|"); fi
LOGS=$(mktemp -d /tmp/kapi-fuzz.XXXXXX)

run_actor() { # run_actor ACTOR: its schemathesis run, output in $LOGS/ACTOR.log
  local actor=$1 ops auth=()
  ops=$(python3 scripts/fuzz_plan.py "$SPEC" "$actor") || return 1
  if [ -n "${TOKEN[$actor]:-}" ]; then auth=(--header "Authorization: Bearer ${TOKEN[$actor]}"); fi
  if [ "$actor" = integrator ]; then auth=(--header "X-Api-Key: $INTEGRATOR_KEY"); fi
  {
    echo "==> schemathesis as $actor ($(tr '|' '\n' <<<"$ops" | wc -l) operations)"
    "$VENV/bin/schemathesis" run "$SPEC" \
      --url "$BASE_URL" \
      "${auth[@]}" \
      --include-operation-id-regex "$ops" \
      --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
      --max-examples "${FUZZ_EXAMPLES:-20}" \
      --seed "${FUZZ_SEED:-20261123}" \
      --workers 1 \
      --warnings off \
      --no-color
  } >"$LOGS/$actor.log" 2>&1
}
run_lane() { local a; for a in "$@"; do run_actor "$a" || echo "$a" >>"$LOGS/failed"; done; }

runs=0
for group in "${FUZZ_GROUPS[@]}"; do
  # A run may have moved the dev clock: every group starts on the real time.
  curl -fsS -X DELETE "$BASE_URL/api/v1/dev/clock" >/dev/null
  left=${group%%|*}
  right=${group#*|}
  run_lane $left &
  lane_a=$!
  run_lane $right &
  lane_b=$!
  wait $lane_a $lane_b
  for a in $left $right; do
    cat "$LOGS/$a.log"
    runs=$((runs + 1))
  done
done
echo "schemathesis: $runs runs in $(( $(date +%s) - started ))s" >&2
if [ -s "$LOGS/failed" ]; then
  echo "schemathesis found problems in the runs of: $(tr '\n' ' ' <"$LOGS/failed")" >&2
  rm -rf "$LOGS"
  exit 1
fi
rm -rf "$LOGS"
