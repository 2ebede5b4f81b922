#!/usr/bin/env bash
# The whole suite against the newest releases that pyproject.toml allows, ignoring the lock,
# in its own environment (.venv-newest/), so an upstream break is seen here first.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf .venv-newest
python3 -m venv .venv-newest
.venv-newest/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv-newest/bin/python -m pip install -q --disable-pip-version-check --upgrade -e ".[test]"
.venv-newest/bin/python -m pip list --format=freeze > .venv-newest/versions.txt
VENV=.venv-newest bash scripts/test.sh --no-setup "$@"
