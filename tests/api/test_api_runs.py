"""Long runs through the API: optimise and simulate stored scenarios as jobs, compared with
the optimiser and the simulation run directly; roles, bad requests, cancelling; and the job
runner itself with work that waits on events."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import yaml
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.jobs import JobContext, JobRunner, QueueFull
from bassplan.api.schemas import JobPublic
from bassplan.data import load_region, load_scenario
from bassplan.domain.errors import InfeasiblePlanError, InputError
from bassplan.domain.phrase import phrase
from bassplan.store.jobs import MAX_RESULT_BYTES
from tests.support.api import TestClient, assert_problem, bearer
from tests.support.paths import EXAMPLES

EXAMPLE = EXAMPLES / "optimer_kardiologi.yaml"
NAME = "Kardiologi"
FINISHED = ("done", "failed", "cancelled", "interrupted")
DEADLINE_SECONDS = 120.0  # a guard against hanging, not a timing assertion


def store_example(client: TestClient, headers: dict[str, str], name: str = NAME,
                  text: str | None = None) -> None:
    """Store the cardiology optimisation example (or ``text``) as scenario ``name``."""
    body = {"name": name, "yaml": text or EXAMPLE.read_text(encoding="utf-8")}
    response = client.post("/api/scenarios", json=body, headers=headers)
    assert response.status_code == 201, response.text


def finished(job: dict[str, Any]) -> bool:
    return job["status"] in FINISHED


def job_of(client: TestClient, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    response = client.get(f"/api/jobs/{job_id}", headers=headers)
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    return job


def wait_for(client: TestClient, headers: dict[str, str], job_id: str,
             until: Callable[[dict[str, Any]], bool] = finished) -> list[dict[str, Any]]:
    """Poll the job until ``until`` holds for it; every state seen, in order."""
    seen = [job_of(client, headers, job_id)]
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not until(seen[-1]):
        assert time.monotonic() < deadline, f"job still {seen[-1]['status']}"
        time.sleep(0.01)
        seen.append(job_of(client, headers, job_id))
    return seen


def start(client: TestClient, headers: dict[str, str], kind: str, body: dict[str, Any],
          name: str = NAME) -> dict[str, Any]:
    response = client.post(f"/api/scenarios/{name}/{kind}", json=body, headers=headers)
    assert response.status_code == 202, response.text
    job: dict[str, Any] = response.json()
    assert response.headers["location"] == f"/api/jobs/{job['id']}"
    assert job["kind"] == kind and job["scenario"] == name
    return job


def test_an_optimise_job_gives_the_optimisers_plan(client: TestClient) -> None:
    from bassplan.optimise import optimise

    headers = bearer(client, "planner")
    store_example(client, headers)
    job = start(client, headers, "optimise", {"specialties": ["kardiologi"]})
    final = wait_for(client, headers, job["id"])[-1]
    assert final["status"] == "done", final
    assert final["progress"] == 1.0 and final["error"] is None
    region = load_region(None)
    plan = optimise(region, load_scenario(EXAMPLE, region), ["kardiologi"], time_limit=60)
    result = final["result"]
    [part] = result["specialties"]
    expected = plan.specialty("kardiologi")
    assert part["strength_positions"] == list(expected.strength_positions)
    assert part["outreach"] == [{"site": c.site, "days_per_week": c.days_per_week,
                                 "team": c.team} for c in expected.outreach]
    assert part["patient_hours"] == pytest.approx(expected.patient_hours)
    assert part["share_within"] == pytest.approx(expected.access_share)
    assert result["status"] == plan.status and result["saved_as"] is None
    written = yaml.safe_load(result["scenario_yaml"])
    assert written["strength_positions"]["kardiologi"] == list(expected.strength_positions)


def test_save_as_stores_a_plan_that_evaluates_to_the_same_positions(client: TestClient) -> None:
    headers = bearer(client, "planner")
    store_example(client, headers)
    job = start(client, headers, "optimise",
                {"specialties": ["kardiologi"], "save_as": "Kardiologi plan", "gap": 0.0})
    final = wait_for(client, headers, job["id"])[-1]
    assert final["status"] == "done", final
    assert final["result"]["saved_as"] == "Kardiologi plan"
    stored = client.get("/api/scenarios/Kardiologi plan", headers=headers).json()
    assert stored["yaml"] == final["result"]["scenario_yaml"]
    assert stored["created_by"] == final["requested_by"]
    evaluated = client.post("/api/scenarios/Kardiologi plan/evaluate", headers=headers)
    assert evaluated.status_code == 200, evaluated.text
    planned = final["result"]["specialties"][0]["strength_positions"]
    heads = {h["specialty_id"]: h for h in evaluated.json()["specialties"]}
    assert heads["kardiologi"]["strength_positions"] == planned
    audit = client.get("/api/audit", headers=bearer(client, "admin")).json()
    assert any(e["entity"] == "scenario" and e["action"] == "create"
               and e["after"]["name"] == "Kardiologi plan"
               and e["user_id"] == final["requested_by"] for e in audit)


def test_a_simulate_job_bands_what_run_many_gives(client: TestClient) -> None:
    from bassplan.model.evaluate import evaluate
    from bassplan.simulate import SimulationSettings, simulation_input
    from bassplan.simulate.runner import run_many

    headers = bearer(client, "planner")
    store_example(client, headers)
    job = start(client, headers, "simulate", {"replications": 5, "days": 60, "seed": 7})
    seen = wait_for(client, headers, job["id"])
    final = seen[-1]
    assert final["status"] == "done", final
    progress = [s["progress"] for s in seen]
    assert progress == sorted(progress) and progress[-1] == 1.0
    region = load_region(None)
    inp = simulation_input(evaluate(region, load_scenario(EXAMPLE, region)),
                           SimulationSettings(days=60))
    [runs], _ = run_many([inp], 5, 7, workers=1)
    routine = runs[0].classes.index("routine")
    rows = {row["specialty"]: row for row in final["result"]["specialties"]}
    assert final["result"]["replications"] == 5
    for s, specialty in enumerate(runs[0].specialty_ids):
        overtime = np.percentile([r.overtime_hours[s] for r in runs], [5, 50, 95])
        assert [rows[specialty]["overtime_hours"][p] for p in ("p5", "p50", "p95")] == \
            pytest.approx(overtime.tolist())
        waits = [r.wait_p90_days[s, routine] for r in runs]
        band = rows[specialty]["wait_p90_routine_days"]
        if np.isnan(waits).all():
            assert band["p50"] is None
        else:
            assert band["p50"] == pytest.approx(np.nanpercentile(waits, 50))


def test_users_see_their_own_jobs_and_an_admin_sees_everyones(client: TestClient) -> None:
    planner = bearer(client, "planner")
    store_example(client, planner)
    job = start(client, planner, "simulate", {"replications": 1, "days": 7})
    viewer, program = bearer(client, "viewer"), bearer(client, "program")
    for path in (f"/api/scenarios/{NAME}/optimise", f"/api/scenarios/{NAME}/simulate",
                 f"/api/jobs/{job['id']}/cancel"):
        assert_problem(client.post(path, json={}, headers=viewer), 403)
    for other in (viewer, program):  # someone else's job is as if it did not exist
        assert client.get("/api/jobs", headers=other).json() == []
        assert_problem(client.get(f"/api/jobs/{job['id']}", headers=other), 404)
    assert_problem(client.post(f"/api/jobs/{job['id']}/cancel", headers=program), 404)
    admin = bearer(client, "admin")
    assert [j["id"] for j in client.get("/api/jobs", headers=admin).json()] == [job["id"]]
    assert job_of(client, admin, job["id"])["requested_by"] == job["requested_by"]
    assert job["request"] == {"replications": 1, "days": 7, "seed": 1}
    wait_for(client, planner, job["id"])


def test_bad_run_requests_are_problems_that_name_the_cause(client: TestClient) -> None:
    headers = bearer(client, "planner")
    store_example(client, headers)
    optimise = f"/api/scenarios/{NAME}/optimise"
    body = assert_problem(client.post(optimise, json={"specialties": ["kardiologi", "hjerte"]},
                                      headers=headers), 422)
    assert "'hjerte'" in str(body["detail"]) and body["where"] == "specialties[1]"
    body = assert_problem(client.post(optimise, json={"time_limit_seconds": 900},
                                      headers=headers), 422)
    assert "time_limit_seconds" in str(body["detail"])
    body = assert_problem(client.post(f"/api/scenarios/{NAME}/simulate",
                                      json={"replications": 0}, headers=headers), 422)
    assert "replications" in str(body["detail"])
    assert_problem(client.post("/api/scenarios/Ukendt/simulate", json={}, headers=headers), 404)
    body = assert_problem(client.post(optimise, json={"save_as": NAME}, headers=headers), 409)
    assert NAME in str(body["detail"])
    assert_problem(client.get("/api/jobs/nope", headers=headers), 404)
    assert_problem(client.post("/api/jobs/nope/cancel", headers=headers), 404)
    assert client.get("/api/jobs", headers=headers).json() == []


def test_an_infeasible_plan_fails_the_job_with_the_reason_in_words(client: TestClient) -> None:
    headers = bearer(client, "planner")
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    data["optimisation"].update(access_minutes=5, access_share=1.0, max_strength_positions=1)
    store_example(client, headers, "Umulig", yaml.safe_dump(data, allow_unicode=True))
    job = start(client, headers, "optimise", {"specialties": ["kardiologi"],
                                              "save_as": "Aldrig"}, name="Umulig")
    final = wait_for(client, headers, job["id"])[-1]
    assert final["status"] == "failed" and final["result"] is None
    assert "cannot be met" in final["error"] and "\n" not in final["error"]
    assert_problem(client.get("/api/scenarios/Aldrig", headers=headers), 404)


def test_cancelling_a_queued_and_a_running_simulation(client: TestClient) -> None:
    headers = bearer(client, "planner")
    store_example(client, headers)
    long = start(client, headers, "simulate", {"replications": 500, "days": 365})
    queued = start(client, headers, "simulate", {"replications": 1, "days": 7})
    cancelled = client.post(f"/api/jobs/{queued['id']}/cancel", headers=headers).json()
    assert cancelled["status"] == "cancelled" and cancelled["started_at"] is None
    seen = wait_for(client, headers, long["id"],
                    until=lambda job: finished(job) or job["progress"] > 0.0)
    assert seen[-1]["status"] == "running"
    client.post(f"/api/jobs/{long['id']}/cancel", headers=headers)
    final = wait_for(client, headers, long["id"])[-1]
    assert final["status"] == "cancelled" and final["result"] is None
    assert 0.0 < final["progress"] < 1.0
    assert job_of(client, headers, queued["id"])["status"] == "cancelled"
    listed = client.get("/api/jobs", headers=headers).json()
    assert [j["id"] for j in listed] == [queued["id"], long["id"]]
    again = client.post(f"/api/jobs/{long['id']}/cancel", headers=headers).json()
    assert again["status"] == "cancelled" and again["finished_at"] == final["finished_at"]


# — the runner on its own —


def gated(started: threading.Event, release: threading.Event, steps: int = 1) -> Any:
    """Work that reports half-way, signals ``started`` and waits for ``release``."""

    def work(job: JobContext) -> dict[str, Any]:
        job.report(0.5, "half-way")
        started.set()
        for _ in range(steps):
            release.wait(DEADLINE_SECONDS)
            job.report(0.75, "nearly")
        return {"answer": 42}

    return work


def settle(runner: JobRunner, job_id: str) -> str:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while (status := runner.get(job_id).status) not in FINISHED:
        assert time.monotonic() < deadline
        time.sleep(0.005)
    return status


def test_the_runner_shows_progress_and_queues_jobs_one_at_a_time(
        sessions: sessionmaker[Session]) -> None:
    runner = JobRunner(sessions)
    started, release = threading.Event(), threading.Event()
    first = runner.submit("simulate", "a", 1, gated(started, release))
    second = runner.submit("optimise", "b", 2, lambda job: {"b": True})
    assert started.wait(DEADLINE_SECONDS)
    running = runner.get(first.id)
    assert (running.status, running.progress, running.message) == (
        "running", 0.5, phrase("half-way"))
    waiting = runner.get(second.id)
    assert waiting.status == "queued"
    assert JobPublic.of(waiting, "da").message == "Venter på, at tidligere kørsler bliver færdige."
    assert JobPublic.of(waiting).message == "Waiting for earlier jobs to finish."
    release.set()
    assert settle(runner, second.id) == "done"
    assert JobPublic.of(runner.get(second.id), "da").message == "Færdig."
    done = runner.get(first.id)
    assert (done.status, done.progress, done.result) == ("done", 1.0, {"answer": 42})
    assert done.started_at is not None and done.finished_at is not None
    assert [j.id for j in runner.recent()] == [second.id, first.id]
    runner.shutdown()


def test_the_runner_stops_a_running_job_at_its_next_report(
        sessions: sessionmaker[Session]) -> None:
    runner = JobRunner(sessions)
    started, release = threading.Event(), threading.Event()
    job = runner.submit("simulate", "a", 1, gated(started, release))
    assert started.wait(DEADLINE_SECONDS)
    assert runner.cancel(job.id).cancel_requested
    release.set()
    assert settle(runner, job.id) == "cancelled"
    assert runner.get(job.id).result is None
    runner.shutdown()


def test_the_runner_reports_errors_in_one_line_and_survives_bugs(
        sessions: sessionmaker[Session]) -> None:
    runner = JobRunner(sessions)

    def infeasible(job: JobContext) -> dict[str, Any]:
        raise InfeasiblePlanError("access within 5 min", "kardiologi", "60 %")

    def bug(job: JobContext) -> dict[str, Any]:
        raise ZeroDivisionError("a\nb")

    failed = runner.submit("optimise", "a", 1, infeasible)
    broken = runner.submit("optimise", "a", 1, bug)
    fine = runner.submit("optimise", "a", 1, lambda job: {})
    assert settle(runner, fine.id) == "done"
    assert runner.get(failed.id).error == (
        "access within 5 min cannot be met at kardiologi; the best reachable is 60 %")
    assert runner.get(broken.id).status == "failed"
    assert "ZeroDivisionError" in str(runner.get(broken.id).error)
    runner.shutdown()


def test_the_runner_lists_the_newest_jobs_and_bounds_the_queue(
        sessions: sessionmaker[Session]) -> None:
    runner = JobRunner(sessions, max_waiting=2)
    ids = []
    for _ in range(5):
        ids.append(runner.submit("simulate", "a", 1, lambda job: {}).id)
        settle(runner, ids[-1])
    assert [j.id for j in runner.recent(limit=3)] == ids[:1:-1]
    assert runner.get(ids[0]).status == "done"  # older ones stay in the store
    started, release = threading.Event(), threading.Event()
    runner.submit("simulate", "a", 1, gated(started, release))
    assert started.wait(DEADLINE_SECONDS)
    runner.submit("simulate", "a", 1, lambda job: {})
    runner.submit("simulate", "a", 1, lambda job: {})
    with pytest.raises(QueueFull):
        runner.submit("simulate", "a", 1, lambda job: {})
    release.set()
    runner.shutdown()


def test_a_failed_jobs_error_reads_in_the_asked_language(
        sessions: sessionmaker[Session]) -> None:
    def work(job: JobContext) -> dict[str, Any]:
        raise InputError("optimise", "", "gap", "'x' is not a number",
                         words=phrase("rule_not_number", raw="x"))

    runner = JobRunner(sessions)
    job = runner.submit("optimise", "a", 1, work)
    assert settle(runner, job.id) == "failed"
    failed = runner.get(job.id)
    assert failed.error == "optimise: field 'gap': 'x' is not a number"
    assert JobPublic.of(failed).error == failed.error
    assert JobPublic.of(failed, "da").error == "optimise: feltet 'gap': 'x' er ikke et tal"
    assert JobPublic.of(failed, "da").message == "Fejlet."
    runner.shutdown()


def test_a_result_too_large_for_the_store_fails_the_job_in_words(
        sessions: sessionmaker[Session]) -> None:
    runner = JobRunner(sessions)
    # {"x":["…"]} is the text plus 10 bytes: one byte over the bound, and exactly at it
    big = runner.submit("simulate", "a", 1, lambda job: {"x": ["a" * (MAX_RESULT_BYTES - 9)]})
    fits = runner.submit("simulate", "a", 1, lambda job: {"x": ["a" * (MAX_RESULT_BYTES - 10)]})
    odd = runner.submit("simulate", "a", 1, lambda job: {"x": float("nan")})
    assert settle(runner, fits.id) == "done"
    assert len(runner.get(fits.id).result["x"][0]) == MAX_RESULT_BYTES - 10  # type: ignore[index]
    failed = runner.get(big.id)
    assert (failed.status, failed.result) == ("failed", None)
    assert failed.error == "the result is 5.0 MB as JSON; a job keeps at most 5.0 MB"
    assert runner.get(odd.id).status == "failed"
    assert "not plain JSON" in str(runner.get(odd.id).error)
    runner.shutdown()
