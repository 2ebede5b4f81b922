#!/usr/bin/env bash
# Quick start 2: set up .venv/ from the lock (requirements/test.txt) and Debian's Chromium for
# the browser tests and the meeting-pack PDF (poppler-utils reads the PDF back in its test),
# then lint, type-check, check layering and test. Arguments go to pytest.
# (scripts/test-newest.sh runs the same checks in .venv-newest/ with `--no-setup`.)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${VENV:-.venv}"
if [ "${1:-}" = --no-setup ]; then shift; else bash scripts/setup.sh test; fi
if { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftotext ]; } \
    && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium and poppler-utils for the browser and PDF tests" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils >/dev/null
fi
"$venv/bin/ruff" check src tests benchmarks
"$venv/bin/mypy"
"$venv/bin/lint-imports"
"$venv/bin/python" -m pytest "$@"
