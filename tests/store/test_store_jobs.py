"""Jobs and saved simulation results in the store, on SQLite and PostgreSQL: results come
back exactly as written, unfinished jobs are marked interrupted, old finished ones pruned,
and a saved result is linked to its scenario (refused for anything but a finished
simulation of that scenario, deleted with it, audited without its bulk)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest

from bassplan.domain.errors import InputError
from bassplan.domain.phrase import phrase
from bassplan.store import jobs, repository
from bassplan.store.accounts import create_user
from bassplan.store.audit import list_audit
from bassplan.store.errors import AlreadyExists, NotFound
from tests.support.paths import EXAMPLES

if TYPE_CHECKING:
    from tests.support.databases import Db

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
# floats whose shortest repr needs all 17 digits, tiny and huge magnitudes, the largest seed
# the API accepts, a negative zero and Danish text: JSON text must give each back exactly
RESULT: dict[str, Any] = {
    "replications": 50, "days": 365, "seed": 2**63 - 1,
    "specialties": [{"specialty": "kardiologi", "site": "Næstved",
                     "overtime_hours": {"p5": 0.1 + 0.2, "p50": 1 / 3, "p95": 2 / 3},
                     "wait_p90_routine_days": {"p5": None, "p50": 1e-300,
                                               "p95": 1.7976931348623157e308},
                     "share": -0.0}],
}


def _setup(db: Db) -> tuple[int, int, int]:
    """Two users and the cardiology example stored; (user id, other user id, scenario id)."""
    a = create_user(db.sessions, username="anna", display_name="Anna", password="korrekt-hest-1",
                    role="planner")
    b = create_user(db.sessions, username="bo", display_name="Bo", password="korrekt-hest-1",
                    role="planner")
    text = (EXAMPLES / "optimer_kardiologi.yaml").read_text(encoding="utf-8")
    row = repository.create_scenario(db.sessions, name="Kardiologi", yaml_text=text)
    return a.id, b.id, row.id


def _job(db: Db, job_id: str, *, by: int, scenario_id: int | None, kind: str = "simulate",
         status: str = "done", at: datetime = T0, result: dict[str, Any] | None = None,
         scenario: str = "Kardiologi") -> None:
    """A job added, then written in ``status`` (with ``result`` when done)."""
    jobs.add_job(db.sessions, job_id=job_id, kind=kind, scenario=scenario, requested_by=by,
                 request={"replications": 50, "days": 365, "seed": 1},
                 message=phrase("job_waiting"),
                 created_at=at, scenario_id=scenario_id, scenario_version=1)
    if status != "queued":
        finished = at + timedelta(minutes=2) if status not in jobs.UNFINISHED else None
        text = jobs.encode_result(result) if result is not None else None
        jobs.write_job(db.sessions, job_id, status=status, progress=0.4,
                       message=phrase("job_started"),
                       started_at=at + timedelta(seconds=1), finished_at=finished, result=text)


def test_a_result_comes_back_exactly_as_written(db: Db) -> None:
    user, _, scenario = _setup(db)
    _job(db, "a" * 32, by=user, scenario_id=scenario, result=RESULT)
    row = jobs.get_job(db.sessions, "a" * 32)
    back = jobs.decode(row.result)
    assert back == RESULT
    assert json.dumps(back) == json.dumps(RESULT)  # -0.0 stays -0.0; every digit kept
    assert (row.status, row.progress, row.kind, row.requested_by) == ("done", 0.4, "simulate",
                                                                      user)
    assert jobs.decode(row.request) == {"replications": 50, "days": 365, "seed": 1}
    assert row.created_at == T0 and row.finished_at == T0 + timedelta(minutes=2)
    with pytest.raises(NotFound):
        jobs.get_job(db.sessions, "b" * 32)


def test_results_above_the_bound_are_refused_in_words(db: Db) -> None:
    user, _, scenario = _setup(db)
    _job(db, "c" * 32, by=user, scenario_id=scenario, status="running")
    text = "a" * (jobs.MAX_RESULT_BYTES - 7)  # with {"x":""} (8 bytes) around: one too many
    with pytest.raises(jobs.ResultTooLarge, match=r"5\.0 MB as JSON; a job keeps at most 5\.0"):
        jobs.encode_result({"x": text})
    assert len(jobs.encode_result({"x": text[1:]})) == jobs.MAX_RESULT_BYTES
    # 'æ' is two bytes in UTF-8: the bound counts bytes, not characters
    with pytest.raises(jobs.ResultTooLarge):
        jobs.encode_result({"x": "æ" * (jobs.MAX_RESULT_BYTES // 2)})
    with pytest.raises(jobs.ResultTooLarge):
        jobs.write_job(db.sessions, "c" * 32, status="done", progress=1.0,
                       message=phrase("job_finished"),
                       started_at=T0, finished_at=T0, result="1" * (jobs.MAX_RESULT_BYTES + 1))
    assert jobs.get_job(db.sessions, "c" * 32).status == "running"


def test_listing_is_newest_first_per_user_and_scenario(db: Db) -> None:
    anna, bo, scenario = _setup(db)
    for k in range(4):
        _job(db, f"{k}" * 32, by=anna if k % 2 == 0 else bo, scenario_id=scenario,
             at=T0 + timedelta(minutes=k), scenario="Kardiologi" if k < 3 else "Andet")
    ids = [row.id[0] for row in jobs.list_jobs(db.sessions)]
    assert ids == ["3", "2", "1", "0"]
    assert [r.id[0] for r in jobs.list_jobs(db.sessions, requested_by=anna)] == ["2", "0"]
    assert [r.id[0] for r in jobs.list_jobs(db.sessions, scenario="Andet")] == ["3"]
    assert [r.id[0] for r in jobs.list_jobs(db.sessions, limit=2)] == ["3", "2"]


def test_a_start_marks_unfinished_jobs_interrupted_and_prunes_old_ones(db: Db) -> None:
    user, _, scenario = _setup(db)
    statuses = ("queued", "running", "done", "failed", "cancelled", "done")
    for k, status in enumerate(statuses):
        _job(db, f"{k}" * 32, by=user, scenario_id=scenario, status=status,
             at=T0 + timedelta(minutes=k), result={"k": k} if status == "done" else None)
    before = datetime.now(UTC)
    assert jobs.interrupt_unfinished(db.sessions) == 2
    rows = {row.id[0]: row for row in jobs.list_jobs(db.sessions)}
    for key in "01":
        row = rows[key]
        assert (row.status, row.message, row.error) == (
            "interrupted", jobs.phrase_text(jobs.INTERRUPTED_MESSAGE), jobs.INTERRUPTED_ERROR)
        assert row.finished_at is not None and row.finished_at >= before - timedelta(seconds=1)
        assert row.progress == (0.0 if key == "0" else 0.4)  # how far it got is kept
    assert [rows[k].status for k in "2345"] == ["done", "failed", "cancelled", "done"]
    assert jobs.interrupt_unfinished(db.sessions) == 0
    # six finished jobs now; keeping four drops the two oldest
    assert jobs.prune_finished(db.sessions, keep=4) == 2
    assert sorted(r.id[0] for r in jobs.list_jobs(db.sessions)) == ["2", "3", "4", "5"]


def test_a_saved_simulation_is_linked_to_its_scenario(db: Db) -> None:
    user, other, scenario = _setup(db)
    _job(db, "s" * 32, by=user, scenario_id=scenario, result=RESULT)
    saved = jobs.save_simulation(db.sessions, scenario="Kardiologi", job_id="s" * 32,
                                 name="  Basis 50 år ", actor_id=user)
    assert saved.name == "Basis 50 år" and saved.scenario_id == scenario
    listed = jobs.list_saved_simulations(db.sessions, scenario="Kardiologi")
    assert [s.id for s in listed] == [saved.id]
    back = jobs.get_saved_simulation(db.sessions, scenario="Kardiologi", saved_id=saved.id)
    assert jobs.decode(back.result) == RESULT
    assert jobs.decode(back.settings) == {"replications": 50, "days": 365, "seed": 1}
    assert (back.job_id, back.scenario_version, back.saved_by) == ("s" * 32, 1, user)
    [entry] = list_audit(db.sessions, entity="saved_simulation")
    after = json.loads(entry.after or "{}")
    assert entry.action == "create" and after["name"] == "Basis 50 år"
    assert after["result"] == f"{len(jobs.encode_result(RESULT).encode())} bytes of JSON"
    with pytest.raises(AlreadyExists):
        jobs.save_simulation(db.sessions, scenario="Kardiologi", job_id="s" * 32,
                             name="Basis 50 år", actor_id=other)
    # the scenario renamed: the link holds (by id), the job keeps the name it ran under
    repository.update_scenario(db.sessions, name="Kardiologi", expected_version=1,
                               new_name="Hjerte")
    assert [s.name for s in jobs.list_saved_simulations(db.sessions, scenario="Hjerte")] == [
        "Basis 50 år"]
    with pytest.raises(NotFound):
        jobs.get_saved_simulation(db.sessions, scenario="Kardiologi", saved_id=saved.id)
    # deleting the scenario deletes its saved results; its jobs stay, unlinked
    repository.delete_scenario(db.sessions, name="Hjerte")
    with pytest.raises(NotFound):
        jobs.list_saved_simulations(db.sessions, scenario="Hjerte")
    job = jobs.get_job(db.sessions, "s" * 32)
    assert job.scenario_id is None and job.scenario == "Kardiologi"
    assert jobs.decode(job.result) == RESULT


@pytest.mark.parametrize(("kind", "status", "name", "field", "rule"), [
    ("optimise", "done", "Plan", "job_id", "is an optimisation that is done"),
    ("simulate", "running", "Plan", "job_id", "is a simulation that is running"),
    ("simulate", "failed", "Plan", "job_id", "is a simulation that is failed"),
    ("simulate", "done", "   ", "name", "must not be empty"),
    ("simulate", "done", "a" * 201, "name", "at most 200 characters"),
    ("simulate", "done", "a\nb", "name", "control characters"),
    ("simulate", "done", "a\x00b", "name", "control characters"),
])
def test_only_a_finished_simulation_is_saved_under_a_plain_name(
    db: Db, kind: str, status: str, name: str, field: str, rule: str
) -> None:
    user, _, scenario = _setup(db)
    _job(db, "j" * 32, by=user, scenario_id=scenario, kind=kind, status=status,
         result=RESULT if status == "done" else None)
    with pytest.raises(InputError) as caught:
        jobs.save_simulation(db.sessions, scenario="Kardiologi", job_id="j" * 32, name=name,
                             actor_id=user)
    assert caught.value.field == field and rule in caught.value.rule
    assert jobs.list_saved_simulations(db.sessions, scenario="Kardiologi") == []
    assert list_audit(db.sessions, entity="saved_simulation") == []


def test_a_job_is_saved_only_with_the_scenario_it_simulated(db: Db) -> None:
    user, _, scenario = _setup(db)
    text = (EXAMPLES / "optimer_kardiologi.yaml").read_text(encoding="utf-8")
    repository.create_scenario(db.sessions, name="Andet", yaml_text=text)
    _job(db, "k" * 32, by=user, scenario_id=scenario, result=RESULT)
    with pytest.raises(InputError, match="simulated scenario 'Kardiologi', not 'Andet'"):
        jobs.save_simulation(db.sessions, scenario="Andet", job_id="k" * 32, name="X",
                             actor_id=user)
    with pytest.raises(NotFound):
        jobs.save_simulation(db.sessions, scenario="Kardiologi", job_id="z" * 32, name="X",
                             actor_id=user)
    with pytest.raises(NotFound):
        jobs.save_simulation(db.sessions, scenario="Ingen", job_id="k" * 32, name="X",
                             actor_id=user)
    saved = jobs.save_simulation(db.sessions, scenario="Kardiologi", job_id="k" * 32,
                                 name="X", actor_id=user)
    with pytest.raises(NotFound):
        jobs.delete_saved_simulation(db.sessions, scenario="Andet", saved_id=saved.id,
                                     actor_id=user)
    jobs.delete_saved_simulation(db.sessions, scenario="Kardiologi", saved_id=saved.id,
                                 actor_id=user)
    assert [e.action for e in list_audit(db.sessions, entity="saved_simulation")] == [
        "delete", "create"]
