#!/usr/bin/env bash
# Idempotent set-up on Debian: apt packages only where missing, then .venv in the checkout.
# A second run checks and returns quickly.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt offscreen and under a display
  libglib2.0-0 libegl1 libgl1 libx11-6 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-render0
  libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth
  # Chinese glyphs
  fonts-wqy-microhei
)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  # Another apt-get or an unattended upgrade may hold the package lock: wait for it, saying so.
  LOCK=/var/lib/dpkg/lock-frontend
  if command -v flock >/dev/null && [ -e "$LOCK" ] && ! $SUDO flock -n "$LOCK" true 2>/dev/null; then
    echo "setup: another package manager is running; waiting for it to finish (up to 10 min)…" >&2
  fi
  WAIT=(-o DPkg::Lock::Timeout=600)
  $SUDO apt-get "${WAIT[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get "${WAIT[@]}" install -y -qq \
    --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
# One stamp per pyproject.toml and kind: the test install holds the app's, so `setup.sh` after
# `setup.sh test` installs nothing again.
stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$stamp-${1:-app}" ] && [ ! -f "$stamp-test" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  if [ "${1:-app}" = test ]; then
    .venv/bin/python -m pip install -q -e '.[test]'
  else
    .venv/bin/python -m pip install -q -e .
  fi
  touch "$stamp-${1:-app}"
fi
# Byte-compiled now, so no start of the window compiles modules (an editable install is
# never compiled by pip, and PYTHONDONTWRITEBYTECODE stops Python from caching them).
.venv/bin/python -m compileall -q src >/dev/null
if [ "${1:-app}" = test ]; then
  bash scripts/coldsweat.sh  # the Fever server the sync tests run against
fi
if [ "${1:-app}" = app ] && [ "$(uname)" = Linux ]; then
  .venv/bin/reader install-desktop >/dev/null  # menu entry and icon
fi
