"""Schemathesis against the running server's OpenAPI schema, as an admin (who may call
every operation): generated requests, valid and invalid, must never get a 5xx answer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from bassplan.store.accounts import create_token
from tests.support.live_server import live_server


def test_no_operation_answers_with_a_server_error(tmp_path: Path) -> None:
    st = Path(sys.executable).parent / "st"
    assert st.exists() or shutil.which("st"), "schemathesis is part of the test extras"
    with live_server(tmp_path) as server:
        token = create_token(server.app.state.sessions, username="admin", name="schemathesis")
        run = subprocess.run(
            [str(st), "run", f"{server.url}/openapi.json",
             "--header", f"Authorization: Bearer {token}",
             "--checks", "not_a_server_error",
             "--phases", "examples,coverage,fuzzing",
             "--max-examples", "25", "--seed", "2026", "--workers", "1",
             "--request-timeout", "60", "--suppress-health-check", "all",
             "--report", "junit", "--report-dir", str(tmp_path / "report")],
            capture_output=True, text=True, timeout=900, check=False)
    summary = run.stdout[-4000:]
    assert run.returncode == 0, summary
    assert "not_a_server_error" in summary or "passed" in summary.lower(), summary
