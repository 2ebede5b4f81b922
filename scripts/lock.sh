#!/usr/bin/env bash
# Refresh the lock files from pyproject.toml's ranges, with hashes. Then run
# `bash scripts/test.sh` and commit requirements/ when it passes.
#   bash scripts/lock.sh          the newest releases that fit (every pin may move)
#   bash scripts/lock.sh --keep   keep every pin that still fits; only new or changed
#                                 requirements are resolved (adding one package moves nothing else)
set -euo pipefail
cd "$(dirname "$0")/.."
upgrade=(--upgrade)
[ "${1:-}" = --keep ] && upgrade=()
[ -x .venv-lock/bin/pip-compile ] || {
  python3 -m venv .venv-lock
  .venv-lock/bin/python -m pip install -q --disable-pip-version-check "pip-tools==7.6.2"
}
compile=(.venv-lock/bin/pip-compile --quiet "${upgrade[@]}" --generate-hashes --allow-unsafe
         --strip-extras --no-emit-index-url --no-emit-find-links)
"${compile[@]}" --extra test -o requirements/test.txt pyproject.toml
"${compile[@]}" -c requirements/test.txt -o requirements/main.txt pyproject.toml
"${compile[@]}" -c requirements/test.txt -o requirements/build.txt requirements/build.in
echo "requirements/ refreshed; now: bash scripts/test.sh" >&2
