#!/usr/bin/env bash
# Quick start 1: set up, then evaluate the bundled baseline against a BASS scenario,
# print the scorecard and write an HTML report to out/bass-rapport.html.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/bass compare examples/baseline.yaml examples/bass_2030.yaml --report out/bass-rapport.html
