#!/usr/bin/env bash
# Quick start 1: set up, then start the BASS dashboard and REST API on the bundled region
# with an SQLite file (bass.sqlite); the first start prints an admin login.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e .
exec .venv/bin/bass serve "$@"
