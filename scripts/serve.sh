#!/usr/bin/env bash
# Quick start 1: set up, then start the BASS dashboard and REST API on the bundled region
# with an SQLite file (bass.sqlite); the first start prints an admin login.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/bass serve "$@"
