"""Long runs (optimise, simulate) as in-process jobs: one worker thread runs them in turn so
the web server stays responsive, the jobs wait in a queue, and the last ``keep`` jobs are
held in memory with their progress, a message (a phrase, said in the reader's language
where shown) and the result or the error.

Cancelling a queued job drops it; a running job stops the next time it reports progress
(a simulation after its current replication; an optimisation after the solver returns)."""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Request

from bassplan.domain.errors import BassError, InputError
from bassplan.domain.phrase import Phrase, phrase
from bassplan.store.errors import NotFound

log = logging.getLogger(__name__)

JobKind = Literal["optimise", "simulate"]
JobStatus = Literal["queued", "running", "done", "failed", "cancelled"]
FINISHED: frozenset[str] = frozenset({"done", "failed", "cancelled"})
KEEP = 100  # jobs held in memory (finished ones are dropped oldest first)
MAX_WAITING = 20  # queued jobs at most; more are refused until some have run


class QueueFull(BassError):  # noqa: N818 (reads as the condition it names)
    """Too many jobs are waiting; the caller should try again later."""


class _Cancelled(Exception):  # noqa: N818 (a signal, not an error)
    """Raised inside a job's work when someone cancelled it, to unwind it."""


@dataclass(frozen=True)
class Job:
    """A snapshot of one job; ``progress`` is 0..1, ``result`` JSON-ready when done,
    ``error`` one line when failed (in English; ``error_words`` the same line as a phrase
    when the error has one); times are UTC."""

    id: str
    kind: JobKind
    scenario: str
    requested_by: int
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
    """An input error's line as a phrase (where, field, the rule's phrase), if it has one."""
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
    """Runs jobs one at a time on a worker thread and keeps the last ``keep`` in memory."""

    def __init__(self, keep: int = KEEP, max_waiting: int = MAX_WAITING) -> None:
        self._keep = keep
        self._max_waiting = max_waiting
        self._lock = threading.Lock()
        self._jobs: dict[str, Job] = {}  # in submission order
        self._futures: dict[str, Future[None]] = {}
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bass-job")

    def submit(self, kind: JobKind, scenario: str, requested_by: int, work: Work) -> Job:
        """Queue ``work`` as a new job and return it; QueueFull if too many are waiting."""
        job = Job(id=uuid.uuid4().hex, kind=kind, scenario=scenario, requested_by=requested_by,
                  status="queued", progress=0.0, message=phrase("job_waiting"),
                  result=None, error=None, created_at=_now(), started_at=None, finished_at=None)
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j.status == "queued")
            if waiting >= self._max_waiting:
                raise QueueFull(f"{waiting} jobs are already waiting; try again when some "
                                "have finished")
            self._jobs[job.id] = job
            self._prune()
            self._futures[job.id] = self._executor.submit(self._run, job.id, work)
        return job

    def get(self, job_id: str) -> Job:
        """The job with this id; NotFound if unknown (or dropped as too old)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound("job", job_id)
        return job

    def recent(self) -> list[Job]:
        """Every job held, newest first."""
        with self._lock:
            return list(reversed(self._jobs.values()))

    def cancel(self, job_id: str) -> Job:
        """Cancel a job: a queued one at once, a running one when it next reports progress;
        a finished job is returned unchanged. NotFound if unknown."""
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                raise NotFound("job", job_id)
            if job.status == "queued":
                job = self._finish(job, "cancelled", phrase("job_cancelled_queued"))
                future = self._futures.pop(job_id, None)
                if future is not None:
                    future.cancel()
            elif job.status == "running" and not job.cancel_requested:
                job = self._set(replace(job, cancel_requested=True,
                                        message=phrase("job_cancelling")))
            return job

    def shutdown(self) -> None:
        """Cancel every unfinished job and wait for the running one to stop."""
        for job in self.recent():
            if job.status not in FINISHED:
                self.cancel(job.id)
        self._executor.shutdown(wait=True, cancel_futures=True)

    # — inside the worker thread —

    def _run(self, job_id: str, work: Work) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.status != "queued":
                return
            self._set(replace(job, status="running", started_at=_now(),
                              message=phrase("job_started")))
        try:
            result = work(JobContext(self, job_id))
        except _Cancelled:
            self._end(job_id, "cancelled", phrase("job_cancelled_running"))
        except BassError as exc:
            self._end(job_id, "failed", phrase("job_failed"), error=error_line(exc),
                      words=error_words(exc))
        except Exception as exc:  # a bug: keep the worker alive, log the traceback
            log.exception("job %s failed unexpectedly", job_id)
            self._end(job_id, "failed", phrase("job_failed"),
                      error=f"unexpected error ({type(exc).__name__}); it has been logged")
        else:
            self._end(job_id, "done", phrase("job_finished"), result=result)

    def _report(self, job_id: str, progress: float, message: Phrase) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None or job.cancel_requested:
                raise _Cancelled
            self._set(replace(job, progress=max(job.progress, progress), message=message))

    def _end(self, job_id: str, status: JobStatus, message: Phrase, *,
             result: dict[str, Any] | None = None, error: str | None = None,
             words: Phrase | None = None) -> None:
        with self._lock:
            self._futures.pop(job_id, None)
            job = self._jobs.get(job_id)
            if job is not None:
                job = replace(job, error_words=words)
                self._finish(job, status, message, result=result, error=error)

    # — with the lock held —

    def _set(self, job: Job) -> Job:
        if job.id in self._jobs:
            self._jobs[job.id] = job
        return job

    def _finish(self, job: Job, status: JobStatus, message: Phrase, *,
                result: dict[str, Any] | None = None, error: str | None = None) -> Job:
        progress = 1.0 if status == "done" else job.progress
        return self._set(replace(job, status=status, message=message, result=result,
                                 error=error, progress=progress, finished_at=_now()))

    def _prune(self) -> None:
        """Drop the oldest finished jobs beyond ``keep`` (unfinished jobs always stay)."""
        extra = len(self._jobs) - self._keep
        for job_id in [j.id for j in self._jobs.values() if j.status in FINISHED][:max(extra, 0)]:
            del self._jobs[job_id]


def get_jobs(request: Request) -> JobRunner:
    """The app's job runner (created at startup)."""
    runner: JobRunner = request.app.state.jobs
    return runner


JobsDep = Annotated[JobRunner, Depends(get_jobs)]
