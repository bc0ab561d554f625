#!/usr/bin/env bash
# Swagger UI's "Try it out" as a person uses it (make swagger-ui-check): headless Chromium
# (Debian's package, installed when missing) driven by Playwright (PyPI, into a venv) opens
# /swagger-ui/ on a fresh dev server, authorises a citizen's bearer token, and submits a
# petition through the upload form Swagger UI builds from the spec — the `data` JSON in its
# textarea and a PNG in a `files` part: the answer must be 201 with the file listed. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

PLAYWRIGHT_VERSION=1.65.3
chromium_bin=$(command -v chromium || true)
if [ -z "$chromium_bin" ]; then
  echo "installing chromium (Debian)" >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2
  chromium_bin=$(command -v chromium)
fi
cache=${KAPI_CI_CACHE:-$HOME/.cache/kapi-ci}
venv="$cache/playwright-$PLAYWRIGHT_VERSION"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import playwright' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  echo "installing playwright $PLAYWRIGHT_VERSION (PyPI) into $venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION" >&2
fi

start_server "${PORT:-18085}"
CHROMIUM="$chromium_bin" "$venv/bin/python" scripts/swagger_ui_check.py "$BASE_URL"
