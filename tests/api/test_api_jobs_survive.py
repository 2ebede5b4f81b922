"""Jobs that survive a restart, through the API on SQLite and PostgreSQL: a finished job and a
saved simulation are there for a new app on the same database, with the same numbers; a job
a stopped server left queued or running is interrupted, with the reason in words; who may
save, read and delete saved results."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi import FastAPI

from bassplan.api.app import create_app
from bassplan.data import load_region, load_scenario
from bassplan.domain.phrase import phrase
from bassplan.store import jobs as stored
from bassplan.store.accounts import get_user
from bassplan.store.models import now_utc
from tests.api.test_api_runs import EXAMPLE, NAME, job_of, start, store_example, wait_for
from tests.support.api import TestClient, assert_problem, bearer, seed_users, settings_for
from tests.support.databases import fresh_database

SIM = {"replications": 3, "days": 30, "seed": 11}


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database of each kind, shared by the app instances a test starts."""
    with fresh_database(request.param, tmp_path, "bass_jobs_test") as url:
        yield url


def restarted(url: str) -> TestClient:
    """A client of a new app on the database at ``url`` (its users already stored)."""
    return TestClient(create_app(settings_for(url)))


def app_of(client: TestClient) -> FastAPI:
    app: FastAPI = client.app  # type: ignore[assignment]
    return app


def simulated_overtime(days: int, replications: int, seed: int) -> dict[str, list[float]]:
    """Per specialty the P5, P50 and P95 of overtime hours, from the simulation run
    directly (not through a job), as the oracle for what a stored result holds."""
    from bassplan.model.evaluate import evaluate
    from bassplan.simulate import SimulationSettings, simulation_input
    from bassplan.simulate.runner import run_many

    region = load_region(None)
    inp = simulation_input(evaluate(region, load_scenario(EXAMPLE, region)),
                           SimulationSettings(days=days))
    [runs], _ = run_many([inp], replications, seed, workers=1)
    return {sp: np.percentile([r.overtime_hours[s] for r in runs], [5, 50, 95]).tolist()
            for s, sp in enumerate(runs[0].specialty_ids)}


def overtime_of(result: dict[str, Any]) -> dict[str, list[float]]:
    return {row["specialty"]: [row["overtime_hours"][p] for p in ("p5", "p50", "p95")]
            for row in result["specialties"]}


def test_a_finished_job_and_a_saved_result_outlive_the_app(db_url: str) -> None:
    with TestClient(create_app(settings_for(db_url))) as first:
        seed_users(app_of(first))
        planner = bearer(first, "planner")
        store_example(first, planner)
        job = start(first, planner, "simulate", SIM)
        done = wait_for(first, planner, job["id"])[-1]
        assert done["status"] == "done", done
        response = first.post(f"/api/scenarios/{NAME}/simulations",
                              json={"job_id": job["id"], "name": "Basis"}, headers=planner)
        assert response.status_code == 201, response.text
        saved = response.json()
        assert response.headers["location"] == f"/api/scenarios/{NAME}/simulations/{saved['id']}"
    expected = simulated_overtime(SIM["days"], SIM["replications"], SIM["seed"])
    with restarted(db_url) as second:
        planner = bearer(second, "planner")
        again = job_of(second, planner, job["id"])
        assert again == done  # every field, the result's numbers included
        assert [j["id"] for j in second.get("/api/jobs", headers=planner).json()] == [job["id"]]
        listed = second.get(f"/api/scenarios/{NAME}/simulations",
                            headers=bearer(second, "viewer")).json()
        assert [(s["id"], s["name"], s["job_id"]) for s in listed] == [
            (saved["id"], "Basis", job["id"])]
        assert "result" not in listed[0]
        read = second.get(f"/api/scenarios/{NAME}/simulations/{saved['id']}",
                          headers=bearer(second, "viewer")).json()
        assert read == saved
        assert read["result"] == done["result"]
        assert read["settings"] == SIM and read["scenario_version"] == 1
        got = overtime_of(read["result"])
        assert got.keys() == expected.keys()
        for specialty, band in expected.items():
            assert got[specialty] == pytest.approx(band, rel=1e-12), specialty


def test_jobs_a_stopped_server_left_unfinished_are_interrupted(db_url: str) -> None:
    with TestClient(create_app(settings_for(db_url))) as first:
        seed_users(app_of(first))
        planner = bearer(first, "planner")
        store_example(first, planner)
        long = start(first, planner, "simulate", {"replications": 500, "days": 365})
        queued = start(first, planner, "simulate", SIM)
        wait_for(first, planner, long["id"], until=lambda job: job["progress"] > 0.0)
        # a crash leaves rows as they were: one running job written straight to the store
        sessions = app_of(first).state.sessions
        user = get_user(sessions, username="planner").id
        stored.add_job(sessions, job_id="c" * 32, kind="optimise", scenario=NAME,
                       requested_by=user, request={}, message=phrase("job_waiting"),
                       created_at=now_utc())
        stored.write_job(sessions, "c" * 32, status="running", progress=0.05,
                         message=phrase("job_started"), started_at=now_utc(), finished_at=None)
    # leaving the block stopped the first app: its own jobs ended as interrupted
    with restarted(db_url) as second:
        planner = bearer(second, "planner")
        for job_id, progress in ((long["id"], None), (queued["id"], 0.0), ("c" * 32, 0.05)):
            job = job_of(second, planner, job_id)
            assert job["status"] == "interrupted", job
            assert job["result"] is None and job["finished_at"] is not None
            assert job["message"] == "Interrupted: the server stopped before the job finished."
            assert job["error"] == ("the server stopped (a restart or a crash) before this job "
                                    "finished; start it again")
            if progress is not None:
                assert job["progress"] == progress
        assert 0.0 < job_of(second, planner, long["id"])["progress"] < 1.0
        # an interrupted simulation cannot be saved; a new run can start at once
        body = assert_problem(second.post(f"/api/scenarios/{NAME}/simulations",
                                          json={"job_id": long["id"], "name": "X"},
                                          headers=planner), 422)
        assert "is a simulation that is interrupted" in str(body["detail"])
        fresh = start(second, planner, "simulate", {"replications": 1, "days": 7})
        assert wait_for(second, planner, fresh["id"])[-1]["status"] == "done"


def test_who_may_save_read_and_delete_a_simulation_result(client: TestClient) -> None:
    planner, viewer = bearer(client, "planner"), bearer(client, "viewer")
    program, admin = bearer(client, "program"), bearer(client, "admin")
    store_example(client, planner)
    store_example(client, planner, name="Andet")
    job = start(client, planner, "simulate", {"replications": 1, "days": 7})
    assert wait_for(client, planner, job["id"])[-1]["status"] == "done"
    path = f"/api/scenarios/{NAME}/simulations"
    body = {"job_id": job["id"], "name": "Kort"}
    assert_problem(client.post(path, json=body, headers=viewer), 403)
    assert_problem(client.post(path, json=body, headers=program), 404)  # not their job
    assert client.get(path, headers=planner).json() == []
    # bad saves name the cause
    bad = assert_problem(client.post("/api/scenarios/Andet/simulations", json=body,
                                     headers=planner), 422)
    assert bad["where"] == f"job {job['id']}" and "not 'Andet'" in str(bad["detail"])
    assert_problem(client.post(path, json={**body, "name": ""}, headers=planner), 422)
    assert_problem(client.post(path, json={**body, "name": " \t"}, headers=planner), 422)
    assert_problem(client.post(path, json={**body, "job_id": "f" * 32}, headers=planner), 404)
    assert_problem(client.post("/api/scenarios/Ingen/simulations", json=body,
                               headers=planner), 404)
    optimised = start(client, planner, "optimise", {"specialties": ["kardiologi"]})
    assert wait_for(client, planner, optimised["id"])[-1]["status"] == "done"
    bad = assert_problem(client.post(path, json={**body, "job_id": optimised["id"]},
                                     headers=planner), 422)
    assert "only a finished simulation can be saved" in str(bad["detail"])
    # the owner saves; an admin may save anyone's; names are the scenario's own
    mine = client.post(path, json=body, headers=planner)
    assert mine.status_code == 201, mine.text
    assert_problem(client.post(path, json=body, headers=admin), 409)
    theirs = client.post(path, json={**body, "name": "Admins"}, headers=admin)
    assert theirs.status_code == 201 and theirs.json()["saved_by"] != mine.json()["saved_by"]
    # everyone who reads the scenario sees its saved results
    for headers in (viewer, program):
        assert [s["name"] for s in client.get(path, headers=headers).json()] == [
            "Admins", "Kort"]
    one = f"{path}/{mine.json()['id']}"
    assert client.get(one, headers=viewer).json() == mine.json()
    assert_problem(client.get(f"/api/scenarios/Andet/simulations/{mine.json()['id']}",
                              headers=viewer), 404)
    assert_problem(client.get(f"{path}/0", headers=viewer), 422)
    assert_problem(client.get(f"{path}/{2**40}", headers=viewer), 422)
    assert_problem(client.delete(one, headers=viewer), 403)
    assert client.delete(one, headers=planner).status_code == 204
    assert_problem(client.get(one, headers=viewer), 404)
    audit = client.get("/api/audit", headers=admin).json()
    actions = [(e["action"], e["after"] or e["before"]) for e in audit
               if e["entity"] == "saved_simulation"]
    assert [a for a, _ in actions] == ["delete", "create", "create"]
    assert all(str(snap["result"]).endswith("bytes of JSON") for _, snap in actions)


def test_odd_ids_and_names_are_refused_before_the_database(any_client: TestClient) -> None:
    planner = bearer(any_client, "planner")
    store_example(any_client, planner)
    job = start(any_client, planner, "simulate", {"replications": 1, "days": 7})
    assert wait_for(any_client, planner, job["id"])[-1]["status"] == "done"
    for odd in ("a%00b", "F" * 32, "f" * 33, "%C3%A9" * 32):
        assert_problem(any_client.get(f"/api/jobs/{odd}", headers=planner), 404)
        assert_problem(any_client.post(f"/api/jobs/{odd}/cancel", headers=planner), 404)
    path = f"/api/scenarios/{NAME}/simulations"
    for name, rule in (("a\x00b", "contains a NUL character"),  # refused by the schema
                       ("a\u0085b", "control characters"), ("a\x1bb", "control characters")):
        body = assert_problem(any_client.post(path, json={"job_id": job["id"], "name": name},
                                              headers=planner), 422)
        assert rule in str(body["detail"])
    assert any_client.get(path, headers=planner).json() == []
