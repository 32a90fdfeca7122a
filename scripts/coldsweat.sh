#!/usr/bin/env bash
# Idempotent: coldsweat (a Fever API server) in .venv-coldsweat/ of the checkout, for the sync
# tests (tests/sync/). Its own venv: it pins Flask, peewee and urllib3 1.x, which Reader's
# venv must not get. A second run checks and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=0.10.2
VENV=.venv-coldsweat
PY=${PYTHON:-python3}
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
if [ ! -f "$VENV/.installed-$VERSION" ]; then
  "$VENV/bin/python" -m pip install -q --upgrade pip
  "$VENV/bin/python" -m pip install -q "coldsweat==$VERSION"
  touch "$VENV/.installed-$VERSION"
fi
