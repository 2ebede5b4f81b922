"""A real crash: ``bass serve`` killed with SIGKILL while a simulation runs, then started
again on the same database (SQLite and PostgreSQL). The finished job is there with the
same result; the one that was running is interrupted, with the reason in words."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bassplan.store import jobs as stored
from bassplan.store.accounts import create_token, create_user
from bassplan.store.engine import make_engine, session_factory, upgrade
from tests.api.test_api_runs import EXAMPLE, NAME
from tests.support.api import PASSWORD
from tests.support.databases import fresh_database
from tests.support.live_server import free_port

BASS = Path(sys.executable).parent / "bass"
DEADLINE_SECONDS = 120.0  # a guard against hanging, not a timing assertion


@contextmanager
def bass_serve(url: str, folder: Path, run: int) -> Iterator[tuple[subprocess.Popen[bytes],
                                                                   str]]:
    """``bass serve`` on a free loopback port over ``url``; yields the process and its base
    URL once it answers, and kills it afterwards if it still runs."""
    port = free_port()
    env = {**os.environ, "BASS_DATABASE_URL": url, "BASS_SECRET_KEY": "test-secret-key"}
    log = (folder / f"serve-{run}.log").open("wb")
    examples = folder / "no-examples"
    examples.mkdir(exist_ok=True)
    process = subprocess.Popen([str(BASS), "serve", "--port", str(port), "--examples",
                                str(examples)], env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            assert process.poll() is None, (folder / f"serve-{run}.log").read_text()
            assert time.monotonic() < deadline, "bass serve did not start"
            try:
                if httpx.get(f"{base}/api/jobs", timeout=2.0).status_code == 401:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield process, base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)
        log.close()


def job(base: str, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    response = httpx.get(f"{base}/api/jobs/{job_id}", headers=headers, timeout=10.0)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def until(base: str, headers: dict[str, str], job_id: str, done: Any) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not done(state := job(base, headers, job_id)):
        assert time.monotonic() < deadline, state
        time.sleep(0.1)
    return state


def start(base: str, headers: dict[str, str], body: dict[str, Any]) -> str:
    response = httpx.post(f"{base}/api/scenarios/{NAME}/simulate", json=body,
                          headers=headers, timeout=10.0)
    assert response.status_code == 202, response.text
    job_id: str = response.json()["id"]
    return job_id


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_killed_server_keeps_results_and_interrupts_the_running_job(
    kind: str, tmp_path: Path
) -> None:
    with fresh_database(kind, tmp_path, "bass_crash_test") as url:
        upgrade(url)
        engine = make_engine(url)
        sessions = session_factory(engine)
        create_user(sessions, username="planner", display_name="Planner", password=PASSWORD,
                    role="planner")
        token = create_token(sessions, username="planner", name="crash test")
        headers = {"Authorization": f"Bearer {token}"}
        with bass_serve(url, tmp_path, 1) as (process, base):
            created = httpx.post(f"{base}/api/scenarios", headers=headers, timeout=30.0, json={
                "name": NAME, "yaml": EXAMPLE.read_text(encoding="utf-8")})
            assert created.status_code == 201, created.text
            short = start(base, headers, {"replications": 2, "days": 14, "seed": 5})
            finished = until(base, headers, short, lambda j: j["status"] == "done")
            long = start(base, headers, {"replications": 500, "days": 365})
            until(base, headers, long, lambda j: j["progress"] > 0.0)
            # wait until the store, too, has the job running (written at most every second)
            deadline = time.monotonic() + DEADLINE_SECONDS
            while stored.get_job(sessions, long).progress == 0.0:
                assert time.monotonic() < deadline
                time.sleep(0.1)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        left = stored.get_job(sessions, long)
        assert left.status == "running" and 0.0 < left.progress < 1.0  # as the crash left it
        with bass_serve(url, tmp_path, 2) as (_, base):
            assert job(base, headers, short) == finished
            after = job(base, headers, long)
            assert after["status"] == "interrupted" and after["result"] is None
            assert after["progress"] == pytest.approx(left.progress)
            assert after["error"] == ("the server stopped (a restart or a crash) before this "
                                      "job finished; start it again")
            listed = httpx.get(f"{base}/api/jobs", headers=headers, timeout=10.0).json()
            assert [j["id"] for j in listed] == [long, short]
        engine.dispose()
