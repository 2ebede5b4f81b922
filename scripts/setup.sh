#!/usr/bin/env bash
# Set up .venv/ from the lock files: exactly the versions the suite passed with.
#   bash scripts/setup.sh          the application (requirements/main.txt)
#   bash scripts/setup.sh test     the application and the test tools (requirements/test.txt)
# Installs only when a lock file changed since the last set-up.
set -euo pipefail
cd "$(dirname "$0")/.."
lock=requirements/main.txt
[ "${1:-}" = test ] && lock=requirements/test.txt
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.bassplan-lock"
digest() { echo "$(cat requirements/build.txt "$1" pyproject.toml | sha256sum | cut -d' ' -f1) $1"; }
want="$(digest "$lock")"
have="$(cat "$stamp" 2>/dev/null || true)"
# the test lock holds the application's versions too (it is compiled first, main from it)
if [ "$have" != "$want" ] && [ "$have" != "$(digest requirements/test.txt)" ]; then
  pip_q=(-m pip install -q --disable-pip-version-check)
  .venv/bin/python "${pip_q[@]}" --require-hashes --no-deps -r requirements/build.txt -r "$lock"
  .venv/bin/python "${pip_q[@]}" --no-deps --no-build-isolation -e .
  echo "$want" > "$stamp"
fi
