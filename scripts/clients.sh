#!/usr/bin/env bash
# Real clients and linters over the published contract, as an integrator would run them:
#   1. openapi-typescript (its Node API, `format: binary` → Blob) → a .d.ts, then `tsc --strict --noEmit` over clients/typescript/usage.ts
#      (openapi-fetch calls: a public list, a login, an authenticated GET, a multipart upload,
#      a PDF download);
#   2. openapi-python-client (clients/python/config.yaml) generates the whole client: any
#      warning fails, every operation must come out as a module, and the package must build
#      as a wheel (a project name pip accepts) and import;
#   3. Spectral (.spectral.yaml, extends spectral:oas): 0 errors;
#   4. Redocly lint (redocly.yaml): 0 errors.
# The tools are the versions pinned in clients/package.json (+ package-lock.json) and
# clients/python/requirements.txt, installed by this script into ~/.cache/kapi-ci (KAPI_CI_CACHE),
# keyed by the pin files' hash, so a second run installs nothing. Every step runs even when
# one fails; the script fails if any did and prints a line per tool.
# Usage: scripts/clients.sh [spec]   (default openapi/openapi.json)
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
spec=${1:-openapi/openapi.json}
spec=$(realpath "$spec")
cache=${KAPI_CI_CACHE:-$HOME/.cache/kapi-ci}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n==> %s\n' "$*"; }
die() { echo "clients: $*" >&2; exit 1; }

# --- installs (cached) ------------------------------------------------------------------
hash_of() { cat "$@" | sha256sum | cut -c1-16; }
npm_dir="$cache/npm-$(hash_of clients/package.json clients/package-lock.json)"
if [ ! -x "$npm_dir/node_modules/.bin/tsc" ]; then
  step "npm ci (pinned tools) into $npm_dir"
  rm -rf "$npm_dir" && mkdir -p "$npm_dir"
  cp clients/package.json clients/package-lock.json "$npm_dir/"
  (cd "$npm_dir" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
fi
bin="$npm_dir/node_modules/.bin"

py_dir="$cache/py-$(hash_of clients/python/requirements.txt)"
if [ ! -x "$py_dir/bin/openapi-python-client" ]; then
  step "pip install (pinned tools) into $py_dir"
  rm -rf "$py_dir"
  python3 -m venv "$py_dir" || die "python3 -m venv failed"
  "$py_dir/bin/pip" install -q --disable-pip-version-check -r clients/python/requirements.txt ||
    die "pip install failed"
fi

declare -A result
failed=0
record() { # record <tool> <ok|FAILED> <detail>
  result[$1]="$2 — $3"
  [ "$2" = ok ] || failed=1
}

# --- 1. TypeScript ----------------------------------------------------------------------
step "openapi-typescript + tsc --strict over clients/typescript/usage.ts"
mkdir -p "$work/ts"
cp clients/typescript/{usage.ts,tsconfig.json,generate.mjs} "$work/ts/"
ln -s "$npm_dir/node_modules" "$work/ts/node_modules"
if (cd "$work/ts" && node generate.mjs "$spec" schema.d.ts) >"$work/ts.log" 2>&1; then
  warnings=$(grep -ciE 'warn' "$work/ts.log")
  cat "$work/ts.log"
  if (cd "$work/ts" && "$bin/tsc" -p tsconfig.json) >"$work/tsc.log" 2>&1; then
    if [ "$warnings" = 0 ]; then
      record typescript ok "schema.d.ts generated, usage.ts type-checks"
    else
      record typescript FAILED "$warnings warning(s) from openapi-typescript"
    fi
  else
    cat "$work/tsc.log"
    record typescript FAILED "$(grep -c 'error TS' "$work/tsc.log") tsc error(s)"
  fi
else
  cat "$work/ts.log"
  record typescript FAILED "openapi-typescript could not generate"
fi

# --- 2. Python ----------------------------------------------------------------------------
step "openapi-python-client generate, build the wheel, import every module"
(cd "$work" && PATH="$py_dir/bin:$PATH" "$py_dir/bin/openapi-python-client" generate --path "$spec" \
  --config "$root/clients/python/config.yaml" --meta setup \
  --output-path "$work/py" --overwrite --fail-on-warning) >"$work/py.log" 2>&1
py_rc=$?
cat "$work/py.log"
# Its warnings: parse problems (`WARNING parsing …`) and failed post hooks (`… is not in PATH`).
py_warnings=$(grep -cE '^WARNING|not in PATH' "$work/py.log")
operations=$(python3 -c '
import json, sys
spec = json.load(open(sys.argv[1]))
print(sum(1 for item in spec["paths"].values() for m in item
          if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")))' "$spec")
modules=$(find "$work/py" -path '*/api/*' -name '*.py' ! -name '__init__.py' 2>/dev/null | wc -l)
if [ $py_rc != 0 ] || [ "$py_warnings" != 0 ]; then
  record python FAILED "$py_warnings warning(s), the generator exited $py_rc"
elif [ "$modules" != "$operations" ]; then
  record python FAILED "$modules operation modules generated for $operations operations"
elif ! "$py_dir/bin/pip" wheel -q --disable-pip-version-check --no-deps --no-build-isolation \
    -w "$work/wheel" "$work/py" >"$work/wheel.log" 2>&1; then
  cat "$work/wheel.log"
  record python FAILED "the generated package does not build"
elif ! "$py_dir/bin/pip" install -q --disable-pip-version-check --no-deps \
    --target "$work/site" "$work"/wheel/*.whl >"$work/wheel.log" 2>&1 ||
  ! PYTHONPATH="$work/site" "$py_dir/bin/python" - "$work/site" <<'PY'
import importlib, pkgutil, sys
from pathlib import Path
site = Path(sys.argv[1])
packages = [p.parent.name for p in site.glob("*/client.py")]
assert len(packages) == 1, packages
package = importlib.import_module(packages[0])
count = 0
for module in pkgutil.walk_packages(package.__path__, packages[0] + "."):
    importlib.import_module(module.name)
    count += 1
print(f"imported {packages[0]} and its {count} modules")
PY
then
  cat "$work/wheel.log"
  record python FAILED "the generated package does not install or import"
else
  record python ok "$modules of $operations operations, no warnings, builds and imports"
fi

# --- 3. Spectral --------------------------------------------------------------------------
step "Spectral (.spectral.yaml)"
"$bin/spectral" lint "$spec" --ruleset "$root/.spectral.yaml" --fail-severity error \
  --format stylish >"$work/spectral.log" 2>&1
sp_rc=$?
cat "$work/spectral.log"
sp_errors=$(grep -cE '^\s+[0-9]+:[0-9]+\s+error\s' "$work/spectral.log")
sp_warnings=$(grep -cE '^\s+[0-9]+:[0-9]+\s+warning\s' "$work/spectral.log")
if [ $sp_rc = 0 ]; then
  record spectral ok "0 errors, $sp_warnings warning(s)"
else
  record spectral FAILED "$sp_errors error(s), $sp_warnings warning(s) (exit $sp_rc)"
fi

# --- 4. Redocly ---------------------------------------------------------------------------
step "Redocly lint (redocly.yaml)"
(cd "$root" && "$bin/redocly" lint "$spec" --config "$root/redocly.yaml" \
  --format stylish) >"$work/redocly.log" 2>&1
rd_rc=$?
cat "$work/redocly.log"
rd_errors=$(grep -cE '^\s+[0-9]+:[0-9]+\s+error\s' "$work/redocly.log")
rd_warnings=$(grep -cE '^\s+[0-9]+:[0-9]+\s+warning\s' "$work/redocly.log")
if [ $rd_rc = 0 ]; then
  record redocly ok "0 errors, $rd_warnings warning(s)"
else
  record redocly FAILED "$rd_errors error(s), $rd_warnings warning(s) (exit $rd_rc)"
fi

step "clients and linters over ${spec#"$root"/}"
for tool in typescript python spectral redocly; do
  printf '  %-10s %s\n' "$tool" "${result[$tool]}"
done
exit $failed
