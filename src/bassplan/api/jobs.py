"""Long runs (optimise, simulate) as in-process jobs kept in the database: one worker thread
runs them in turn so the web server stays responsive, the jobs wait in a queue, and every
job's request, status, progress, message and result or error is written to the ``jobs``
table, so finished jobs outlive a restart. A server starting marks the jobs a stopped one
left queued or running as interrupted; one stopping marks its own the same way.

While a job is queued or running here its live state (progress, a cancel request) is held
in memory and read from there; the database gets every change of status and the progress
at most every PROGRESS_WRITE_SECONDS. Cancelling a queued job drops it; a running job stops
the next time it reports progress (a simulation after its current replication; an
optimisation after the solver returns)."""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any, Literal, cast

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.domain.errors import BassError, InfeasiblePlanError, InputError
from bassplan.domain.phrase import Phrase, phrase
from bassplan.store import jobs as stored
from bassplan.store.errors import NotFound
from bassplan.store.models import JobRecord

log = logging.getLogger(__name__)

JobKind = Literal["optimise", "simulate"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled", "interrupted"]
FINISHED: frozenset[str] = frozenset({"done", "failed", "cancelled", "interrupted"})
MAX_WAITING = 20  # queued jobs at most; more are refused until some have run
PROGRESS_WRITE_SECONDS = 1.0  # a running job's progress reaches the database this often
JOB_ID = re.compile(r"[0-9a-f]{32}")  # uuid4().hex


class QueueFull(BassError):  # noqa: N818 (reads as the condition it names)
    """Too many jobs are waiting; the caller should try again later."""


class _Cancelled(Exception):  # noqa: N818 (a signal, not an error)
    """Raised inside a job's work when someone cancelled it, to unwind it."""


@dataclass(frozen=True)
class Job:
    """A snapshot of one job; ``progress`` is 0..1, ``request`` what was asked (JSON),
    ``result`` JSON-ready when done, ``error`` one line when failed or interrupted; times
    are UTC. ``scenario_id`` and ``scenario_version`` name the stored scenario it ran on."""

    id: str
    kind: JobKind
    scenario: str
    requested_by: int | None
    status: JobStatus
    progress: float
    message: Phrase
    result: dict[str, Any] | None
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    cancel_requested: bool = False
    error_words: Phrase | None = None
    request: dict[str, Any] | None = None
    scenario_id: int | None = None
    scenario_version: int | None = None


def job_of(row: JobRecord) -> Job:
    """The stored job as a snapshot."""
    return Job(id=row.id, kind=cast(JobKind, row.kind), scenario=row.scenario,
               requested_by=row.requested_by, status=cast(JobStatus, row.status),
               progress=float(row.progress), message=stored.phrase_of(row.message),
               result=stored.decode(row.result), error=row.error, created_at=row.created_at,
               started_at=row.started_at, finished_at=row.finished_at,
               request=stored.decode(row.request), scenario_id=row.scenario_id,
               scenario_version=row.scenario_version,
               error_words=stored.phrase_or_none(row.error_words))


class JobContext:
    """What a job's work sees: ``report`` progress and a message (which also stops the work
    if the job was cancelled meanwhile)."""

    def __init__(self, runner: JobRunner, job_id: str) -> None:
        self._runner = runner
        self._job_id = job_id

    def report(self, progress: float, message: Phrase | str) -> None:
        """Record progress (clipped to 0..1) and what is happening (a phrase, or a key of the
        word store); unwinds if cancelled."""
        said = message if isinstance(message, Phrase) else phrase(message)
        self._runner._report(self._job_id, min(1.0, max(0.0, progress)), said)


Work = Callable[[JobContext], dict[str, Any]]


def _now() -> datetime:
    return datetime.now(UTC)


def error_words(exc: BaseException) -> Phrase | None:
    """An input error's line as a phrase (where, field, the rule's phrase), or an infeasible
    plan's reason, if it has one."""
    if isinstance(exc, InfeasiblePlanError):
        return exc.words
    if not isinstance(exc, InputError) or exc.words is None:
        return None
    place = f"{exc.source}, {exc.where}" if exc.where else exc.source
    return phrase("error_line", place=place, field=exc.field, rule=exc.words)


def error_line(exc: BaseException) -> str:
    """The error as one line of words: an input error's own line, else its first line."""
    if isinstance(exc, InputError):
        return exc.line()
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class JobRunner:
    """Runs jobs one at a time on a worker thread and keeps every job in the database."""

    def __init__(self, sessions: sessionmaker[Session], max_waiting: int = MAX_WAITING,
                 progress_every: float = PROGRESS_WRITE_SECONDS) -> None:
        self._sessions = sessions
        self._max_waiting = max_waiting
        self._progress_every = progress_every
        self._lock = threading.Lock()  # held for the live state and every write of it
        self._live: dict[str, Job] = {}  # queued or running here, in submission order
        self._written: dict[str, float] = {}  # monotonic time of a live job's last write
        self._futures: dict[str, Future[None]] = {}
        self._stopping = False
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bass-job")

    def recover(self) -> int:
        """At startup: mark the jobs a stopped server left queued or running as
        interrupted, and prune old finished ones; returns how many were interrupted."""
        count = stored.interrupt_unfinished(self._sessions)
        if count:
            log.warning("%d job(s) were left unfinished by a stopped server; marked "
                        "interrupted", count)
        stored.prune_finished(self._sessions)
        return count

    def submit(self, kind: JobKind, scenario: str, requested_by: int | None, work: Work, *,
               request: Mapping[str, Any] | None = None, scenario_id: int | None = None,
               scenario_version: int | None = None) -> Job:
        """Queue ``work`` as a new job, stored at once, and return it; QueueFull if too
        many are waiting."""
        job = Job(id=uuid.uuid4().hex, kind=kind, scenario=scenario, requested_by=requested_by,
                  status="queued", progress=0.0, message=phrase("job_waiting"),
                  result=None, error=None, created_at=_now(), started_at=None, finished_at=None,
                  request=dict(request or {}), scenario_id=scenario_id,
                  scenario_version=scenario_version)
        with self._lock:
            waiting = sum(1 for j in self._live.values() if j.status == "queued")
            if waiting >= self._max_waiting:
                raise QueueFull(f"{waiting} jobs are already waiting; try again when some "
                                "have finished")
            stored.add_job(self._sessions, job_id=job.id, kind=kind, scenario=scenario,
                           requested_by=requested_by, request=job.request or {},
                           message=job.message, created_at=job.created_at,
                           scenario_id=scenario_id, scenario_version=scenario_version)
            self._live[job.id] = job
            self._futures[job.id] = self._executor.submit(self._run, job.id, work)
        return job

    def get(self, job_id: str) -> Job:
        """The job with this id, live or stored; NotFound if unknown (at once for anything
        that is not a job id, so no odd text reaches the database)."""
        if not JOB_ID.fullmatch(job_id):
            raise NotFound("job", job_id[:40])
        with self._lock:
            job = self._live.get(job_id)
        return job if job is not None else job_of(stored.get_job(self._sessions, job_id))

    def recent(self, *, requested_by: int | None = None, scenario: str | None = None,
               limit: int = stored.LIST_LIMIT) -> list[Job]:
        """The newest jobs (at most ``limit``), newest first; only one user's and one
        scenario's if given."""
        rows = stored.list_jobs(self._sessions, requested_by=requested_by, scenario=scenario,
                                limit=limit)
        with self._lock:
            return [self._live.get(row.id) or job_of(row) for row in rows]

    def cancel(self, job_id: str) -> Job:
        """Cancel a job: a queued one at once, a running one when it next reports progress;
        a finished job is returned unchanged. NotFound if unknown."""
        with self._lock:
            job = self._live.get(job_id)
            if job is not None and job.status == "queued":
                job = self._finish(job, "cancelled", phrase("job_cancelled_queued"))
                future = self._futures.pop(job_id, None)
                if future is not None:
                    future.cancel()
                return job
            if job is not None and not job.cancel_requested:
                job = self._write(replace(job, cancel_requested=True,
                                          message=phrase("job_cancelling")))
            if job is not None:
                return job
        return self.get(job_id)

    def shutdown(self) -> None:
        """Stop: queued jobs and the running one (at its next step) end as interrupted;
        waits for the running one to stop."""
        with self._lock:
            self._stopping = True
            for job in list(self._live.values()):
                if job.status == "queued":
                    self._finish(job, "interrupted", stored.INTERRUPTED_MESSAGE,
                                 error=stored.INTERRUPTED_ERROR)
                elif not job.cancel_requested:
                    self._live[job.id] = replace(job, cancel_requested=True)
        self._executor.shutdown(wait=True, cancel_futures=True)

    # — inside the worker thread —

    def _run(self, job_id: str, work: Work) -> None:
        with self._lock:
            job = self._live.get(job_id)
            if job is None or job.status != "queued":
                return
            self._write(replace(job, status="running", started_at=_now(),
                                message=phrase("job_started")))
        try:
            result = work(JobContext(self, job_id))
            text = stored.encode_result(result)
        except _Cancelled:
            if self._stopping:
                self._end(job_id, "interrupted", stored.INTERRUPTED_MESSAGE,
                          error=stored.INTERRUPTED_ERROR)
            else:
                self._end(job_id, "cancelled", phrase("job_cancelled_running"))
        except BassError as exc:
            self._end(job_id, "failed", phrase("job_failed"), error=error_line(exc),
                      words=error_words(exc))
        except Exception as exc:  # a bug: keep the worker alive, log the traceback
            log.exception("job %s failed unexpectedly", job_id)
            self._end(job_id, "failed", phrase("job_failed"),
                      error=f"unexpected error ({type(exc).__name__}); it has been logged")
        else:
            self._end(job_id, "done", phrase("job_finished"), result=(result, text))

    def _report(self, job_id: str, progress: float, message: Phrase) -> None:
        with self._lock:
            job = self._live.get(job_id)
            if job is None or job.cancel_requested:
                raise _Cancelled
            job = replace(job, progress=max(job.progress, progress), message=message)
            if time.monotonic() - self._written.get(job_id, 0.0) >= self._progress_every:
                self._write(job)
            else:
                self._live[job_id] = job

    def _end(self, job_id: str, status: JobStatus, message: Phrase, *,
             result: tuple[dict[str, Any], str] | None = None, error: str | None = None,
             words: Phrase | None = None) -> None:
        try:
            with self._lock:
                self._futures.pop(job_id, None)
                job = self._live.get(job_id)
                if job is not None:
                    self._finish(replace(job, error_words=words), status, message,
                                 result=result, error=error)
        except Exception:  # the database failed: the job stays unfinished there
            log.exception("job %s could not be stored as %s", job_id, status)
            with self._lock:
                self._live.pop(job_id, None)
                self._written.pop(job_id, None)

    # — with the lock held —

    def _write(self, job: Job, result: str | None = None) -> Job:
        """Hold the job's new state and write it to the database."""
        self._live[job.id] = job
        stored.write_job(self._sessions, job.id, status=job.status, progress=job.progress,
                         message=job.message, started_at=job.started_at,
                         error_words=job.error_words,
                         finished_at=job.finished_at, result=result, error=job.error)
        self._written[job.id] = time.monotonic()
        return job

    def _finish(self, job: Job, status: JobStatus, message: Phrase, *,
                result: tuple[dict[str, Any], str] | None = None,
                error: str | None = None) -> Job:
        """Write the job's last state and stop holding it (it is read from the database)."""
        progress = 1.0 if status == "done" else job.progress
        job = self._write(replace(job, status=status, message=message,
                                  result=None if result is None else result[0], error=error,
                                  progress=progress, finished_at=_now(),
                                  cancel_requested=False),
                          None if result is None else result[1])
        del self._live[job.id]
        self._written.pop(job.id, None)
        return job


def get_jobs(request: Request) -> JobRunner:
    """The app's job runner (created at startup)."""
    runner: JobRunner = request.app.state.jobs
    return runner


JobsDep = Annotated[JobRunner, Depends(get_jobs)]
