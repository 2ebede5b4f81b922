"""Long runs in the store, so they outlive the process that ran them: every optimise and
simulate job with its request, status, progress and result (JSON text, at most
MAX_RESULT_BYTES) or error line; marking the jobs a stopped server left unfinished as
interrupted; and simulation results saved under a name with their scenario (audited)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bassplan.domain.errors import BassError, InputError
from bassplan.domain.phrase import Phrase, phrase, phrase_from_data, phrase_to_data
from bassplan.store.audit import delete_audited, record, snapshot
from bassplan.store.errors import AlreadyExists, NotFound
from bassplan.store.fields import Rules
from bassplan.store.lookup import one_by
from bassplan.store.models import JobRecord, SavedSimulation, Scenario, now_utc

MAX_RESULT_BYTES = 5_000_000  # a job's result as UTF-8 JSON (measured: ~3 kB for either kind)
MAX_MESSAGE_CHARS = 500  # the jobs.message column
MAX_ERROR_CHARS = 2_000  # an error line is cut here (it is one line of words)
KEEP_FINISHED = 1_000  # finished jobs kept in the table; older ones are pruned at startup
LIST_LIMIT = 100  # jobs a listing returns at most, newest first
UNFINISHED = ("queued", "running")
KIND_NOUNS = {"optimise": "an optimisation", "simulate": "a simulation"}
INTERRUPTED_MESSAGE = phrase("job_interrupted")
INTERRUPTED_ERROR = ("the server stopped (a restart or a crash) before this job finished; "
                     "start it again")
SAVED = Rules("saved_simulation", SavedSimulation, frozenset({"name"}), frozenset({"name"}))


class ResultTooLarge(BassError):  # noqa: N818 (reads as the condition it names)
    """A job's result is larger than the database keeps."""

    def __init__(self, size: int) -> None:
        self.size = size
        super().__init__(f"the result is {size / 1e6:.1f} MB as JSON; a job keeps at most "
                         f"{MAX_RESULT_BYTES / 1e6:.1f} MB")


def encode_result(result: Mapping[str, Any]) -> str:
    """The result as JSON text; ResultTooLarge above MAX_RESULT_BYTES, BassError if it is
    not plain JSON (NaN, infinities and objects are refused, not silently changed)."""
    try:
        text = json.dumps(result, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as exc:
        raise BassError(f"the result is not plain JSON ({exc})") from None
    size = len(text.encode("utf-8"))
    if size > MAX_RESULT_BYTES:
        raise ResultTooLarge(size)
    return text


def decode(text: str | None) -> dict[str, Any] | None:
    """A stored JSON object (a result or a request) back as a dict."""
    if text is None:
        return None
    value: dict[str, Any] = json.loads(text)
    return value


def phrase_text(words: Phrase) -> str:
    """A phrase as the JSON text the ``message`` and ``error_words`` columns hold."""
    text = json.dumps(phrase_to_data(words), ensure_ascii=False, separators=(",", ":"))
    if len(text) > MAX_MESSAGE_CHARS:  # a parameter ran long: keep the key, cut the values
        text = json.dumps(phrase_to_data(Phrase(words.key)), ensure_ascii=False)
    return text


def phrase_of(text: str) -> Phrase:
    """The phrase a ``message`` column holds."""
    return phrase_from_data(json.loads(text))


def phrase_or_none(text: str | None) -> Phrase | None:
    """The phrase an ``error_words`` column holds, if any."""
    return None if text is None else phrase_of(text)


def _cut(text: str | None, limit: int) -> str | None:
    """The text, cut to ``limit`` characters (ending in …) if longer."""
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


# — jobs —


def add_job(
    sessions: sessionmaker[Session],
    *,
    job_id: str,
    kind: str,
    scenario: str,
    requested_by: int | None,
    request: Mapping[str, Any],
    message: Phrase,
    created_at: datetime,
    scenario_id: int | None = None,
    scenario_version: int | None = None,
) -> JobRecord:
    """Store a new queued job."""
    row = JobRecord(id=job_id, kind=kind, scenario=scenario, scenario_id=scenario_id,
                    scenario_version=scenario_version, requested_by=requested_by,
                    request=json.dumps(dict(request), sort_keys=True), status="queued",
                    progress=0.0, message=phrase_text(message),
                    created_at=created_at)
    with sessions.begin() as session:
        session.add(row)
    return row


def write_job(
    sessions: sessionmaker[Session],
    job_id: str,
    *,
    status: str,
    progress: float,
    message: Phrase,
    started_at: datetime | None,
    finished_at: datetime | None,
    result: str | None = None,
    error: str | None = None,
    error_words: Phrase | None = None,
) -> None:
    """Write a job's current state (``result`` already encoded by encode_result)."""
    if result is not None and len(result.encode("utf-8")) > MAX_RESULT_BYTES:
        raise ResultTooLarge(len(result.encode("utf-8")))
    values = {"status": status, "progress": progress,
              "message": phrase_text(message), "started_at": started_at,
              "finished_at": finished_at, "result": result,
              "error": _cut(error, MAX_ERROR_CHARS),
              "error_words": None if error_words is None else phrase_text(error_words)}
    with sessions.begin() as session:
        session.execute(update(JobRecord).where(JobRecord.id == job_id).values(**values))


def get_job(sessions: sessionmaker[Session], job_id: str) -> JobRecord:
    """The job with this id; NotFound if none."""
    with sessions() as session:
        return one_by(session, JobRecord, JobRecord.id, job_id, "job")


def list_jobs(
    sessions: sessionmaker[Session],
    *,
    requested_by: int | None = None,
    scenario: str | None = None,
    limit: int = LIST_LIMIT,
) -> list[JobRecord]:
    """Jobs newest first, at most ``limit``; only one user's and one scenario's if given."""
    query = select(JobRecord).order_by(JobRecord.created_at.desc(), JobRecord.id)
    if requested_by is not None:
        query = query.where(JobRecord.requested_by == requested_by)
    if scenario is not None:
        query = query.where(JobRecord.scenario == scenario)
    with sessions() as session:
        return list(session.scalars(query.limit(limit)))


def interrupt_unfinished(sessions: sessionmaker[Session]) -> int:
    """Mark every queued or running job as interrupted (a server starting finds them left
    by one that stopped); returns how many."""
    values = {"status": "interrupted", "message": phrase_text(INTERRUPTED_MESSAGE),
              "error": INTERRUPTED_ERROR, "finished_at": now_utc()}
    with sessions.begin() as session:
        query = update(JobRecord).where(JobRecord.status.in_(UNFINISHED)).values(**values)
        return int(session.execute(query).rowcount)  # type: ignore[attr-defined]


def prune_finished(sessions: sessionmaker[Session], keep: int = KEEP_FINISHED) -> int:
    """Delete finished jobs beyond the newest ``keep`` (saved simulations keep their own
    copy of the result); returns how many were deleted."""
    with sessions.begin() as session:
        kept = (select(JobRecord.id).where(JobRecord.status.not_in(UNFINISHED))
                .order_by(JobRecord.created_at.desc(), JobRecord.id).limit(keep))
        old = select(JobRecord.id).where(JobRecord.status.not_in(UNFINISHED),
                                         JobRecord.id.not_in(kept.scalar_subquery()))
        ids = list(session.scalars(old))
        if ids:
            session.execute(delete(JobRecord).where(JobRecord.id.in_(ids)))
        return len(ids)


# — simulation results saved with their scenario —


def _check_name(name: str) -> str:
    """The name stripped; InputError if blank, too long or holding control characters."""
    SAVED.check({"name": name}, "new", creating=True)
    if any(ord(c) < 32 or 127 <= ord(c) < 160 for c in name):
        raise InputError(SAVED.kind, "new", "name", "must not contain control characters")
    return name.strip()


def save_simulation(
    sessions: sessionmaker[Session],
    *,
    scenario: str,
    job_id: str,
    name: str,
    actor_id: int | None,
) -> SavedSimulation:
    """Keep a finished simulation job of ``scenario`` with it under ``name``; InputError if
    the job is not a finished simulation of that scenario, AlreadyExists if the scenario has
    a saved result of that name. Audited without the result itself (its size is noted)."""
    name = _check_name(name)
    try:
        with sessions.begin() as session:
            owner = one_by(session, Scenario, Scenario.name, scenario, "scenario")
            job = one_by(session, JobRecord, JobRecord.id, job_id, "job")
            if job.kind != "simulate" or job.status != "done" or job.result is None:
                raise InputError(SAVED.kind, f"job {job_id}", "job_id",
                                 f"is {KIND_NOUNS.get(job.kind, job.kind)} that is "
                                 f"{job.status}; only a finished simulation can be saved")
            if job.scenario_id != owner.id:
                raise InputError(SAVED.kind, f"job {job_id}", "job_id",
                                 f"simulated scenario '{job.scenario}', not '{scenario}'")
            taken = select(SavedSimulation.id).where(SavedSimulation.scenario_id == owner.id,
                                                     SavedSimulation.name == name)
            if session.scalars(taken).first() is not None:
                raise AlreadyExists("saved simulation", name)
            row = SavedSimulation(scenario_id=owner.id, name=name, job_id=job.id,
                                  scenario_version=job.scenario_version, settings=job.request,
                                  result=job.result, saved_by=actor_id, saved_at=now_utc())
            session.add(row)
            session.flush()
            record(session, actor_id=actor_id, action="create", entity=SAVED.kind,
                   entity_id=row.id, before=None, after=_audited(row))
            return row
    except IntegrityError:
        raise AlreadyExists("saved simulation", name) from None  # a concurrent save won


def _audited(row: SavedSimulation) -> dict[str, Any]:
    """The saved result's audit snapshot: every column but the result, and its size."""
    data = snapshot(row)
    data["result"] = f"{len(row.result.encode('utf-8'))} bytes of JSON"
    return data


def list_saved_simulations(
    sessions: sessionmaker[Session], *, scenario: str
) -> list[SavedSimulation]:
    """The scenario's saved simulation results, newest first; NotFound if no such scenario."""
    with sessions() as session:
        row = one_by(session, Scenario, Scenario.name, scenario, "scenario")
        query = (select(SavedSimulation).where(SavedSimulation.scenario_id == row.id)
                 .order_by(SavedSimulation.saved_at.desc(), SavedSimulation.id.desc()))
        return list(session.scalars(query))


def _saved(session: Session, scenario: str, saved_id: int) -> SavedSimulation:
    owner = one_by(session, Scenario, Scenario.name, scenario, "scenario")
    row = session.get(SavedSimulation, saved_id)
    if row is None or row.scenario_id != owner.id:
        raise NotFound("saved simulation", str(saved_id))
    return row


def get_saved_simulation(
    sessions: sessionmaker[Session], *, scenario: str, saved_id: int
) -> SavedSimulation:
    """One saved result of the scenario; NotFound if the scenario has none of this id."""
    with sessions() as session:
        return _saved(session, scenario, saved_id)


def delete_saved_simulation(
    sessions: sessionmaker[Session], *, scenario: str, saved_id: int, actor_id: int | None
) -> None:
    """Delete one saved result of the scenario (audited)."""
    with sessions.begin() as session:
        row = _saved(session, scenario, saved_id)
        delete_audited(session, row, entity=SAVED.kind, entity_id=saved_id, actor_id=actor_id,
                       before=_audited(row))

