#!/usr/bin/env bash
# Drives /open311/v2 with Open311 clients nobody here wrote (make open311-client): a fresh
# venv gets `georeport` (PyPI; reads in JSON and XML) and `civicbot` (PyPI; its Open311Client
# posts a request with api_key and resolves the token, JSON only); a fresh dev server on a
# new SQLite database issues an integrator key through the API; scripts/open311_client.py
# then goes through discovery, services, a service definition, a POST with api_key and the
# request and token look-ups. What neither client covers (discovery; POST and token in XML)
# is asked over plain HTTP and parsed with xmltodict, the parser georeport itself uses.
# Exits non-zero on any failure. KAPI_BIN overrides the binary, PORT the port.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-server.sh

GEOREPORT_VERSION=0.3.1
CIVICBOT_VERSION=0.4.0

start_server "${PORT:-18083}"
venv="$SERVER_DIR/venv"
python3 -m venv "$venv"
echo "installing georeport $GEOREPORT_VERSION and civicbot $CIVICBOT_VERSION into a fresh venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "georeport==$GEOREPORT_VERSION" "civicbot==$CIVICBOT_VERSION" >&2
"$venv/bin/python" scripts/open311_client.py "$BASE_URL"
