"""Schemathesis against the running server's OpenAPI document, on SQLite and on PostgreSQL,
as an admin (who may call every operation): generated requests, valid and invalid, never
get a 5xx, and every answer conforms to the document — its status is listed, its content
type and body match the schema (problem+json for errors), schema-violating requests are
refused, 405s name the allowed methods. A fresh token is issued whenever the fuzzer revokes
its own (tests/support/fuzz_auth.py). Time is bounded: 15 examples per operation, two for
the slow export (tests/web/schemathesis.toml), a fixed seed: about 90 s a database."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.api import PASSWORD
from tests.support.databases import fresh_database
from tests.support.live_server import live_server
from tests.support.paths import REPO

CONFIG = Path(__file__).with_name("schemathesis.toml")
# positive_data_acceptance is off: it wants every request the schema allows to succeed,
# and ours answers 422 to rules no static schema states (see schemathesis.toml).
CHECKS = ("--checks", "all", "--exclude-checks", "positive_data_acceptance")
TIME_LIMIT_SECONDS = 420  # a hard stop per database, well above the ~2 min a run takes
NO_LIMIT = 10**6  # failed logins: the fuzzer logs in with made-up names from one address


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_every_answer_conforms_and_none_is_a_server_error(kind: str, tmp_path: Path) -> None:
    st = Path(sys.executable).parent / "st"
    assert st.exists() or shutil.which("st"), "schemathesis is part of the test extras"
    with fresh_database(kind, tmp_path) as url, live_server(
        tmp_path, url, login_failures_per_account=NO_LIMIT,
        login_failures_per_address=NO_LIMIT, login_names_per_address=NO_LIMIT,
    ) as server:
        env = {**os.environ, "SCHEMATHESIS_HOOKS": "tests.support.fuzz_auth",
               "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
               "BASS_FUZZ_URL": server.url, "BASS_FUZZ_USER": "admin",
               "BASS_FUZZ_PASSWORD": PASSWORD}
        run = subprocess.run(
            [str(st), "--config-file", str(CONFIG), "run", f"{server.url}/openapi.json",
             *CHECKS, "--phases", "examples,coverage,fuzzing",
             "--max-examples", "15", "--seed", "2026", "--workers", "1",
             "--request-timeout", "60", "--suppress-health-check", "all",
             "--report", "junit", "--report-dir", str(tmp_path / "report")],
            capture_output=True, text=True, timeout=TIME_LIMIT_SECONDS, check=False, env=env,
            cwd=REPO)
    summary = run.stdout[-6000:] + run.stderr[-2000:]
    assert run.returncode == 0, summary
    counted = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert counted, summary
    generated, passed = int(counted.group(1)), int(counted.group(2))
    assert generated == passed and generated > 1000, summary  # 54 operations were exercised
    assert "Authentication failed" not in run.stdout, summary
