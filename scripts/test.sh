#!/usr/bin/env bash
# Quick start 2: set up .venv/ from the lock (requirements/test.txt) and Debian's Chromium for
# the browser tests, then lint, type-check, check layering and test. Arguments go to pytest.
# (scripts/test-newest.sh runs the same checks in .venv-newest/ with `--no-setup`.)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${VENV:-.venv}"
if [ "${1:-}" = --no-setup ]; then shift; else bash scripts/setup.sh test; fi
if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing Debian's chromium for the browser tests" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
"$venv/bin/ruff" check src tests benchmarks
"$venv/bin/mypy"
"$venv/bin/lint-imports"
"$venv/bin/python" -m pytest "$@"
