"""Long runs of stored scenarios as jobs: start an optimisation or a simulation (202 with
the job), follow jobs' progress and results, and cancel them."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.deps import PlannerUser, RegionDep, SessionsDep, ViewerUser
from bassplan.api.jobs import Job, JobKind, JobRunner, JobsDep, QueueFull, Work
from bassplan.api.long_runs import SaveAs, optimise_work, simulate_work
from bassplan.api.schemas import JobPublic, OptimiseRun, SimulateRun
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario
from bassplan.i18n.words import Lang
from bassplan.store import repository
from bassplan.store.errors import AlreadyExists, NotFound

router = APIRouter(tags=["runs"])
RETRY_AFTER_SECONDS = "30"


def _stored(sessions: sessionmaker[Session], name: str, region: Region) -> Scenario:
    """The stored scenario ``name`` parsed and checked against the region."""
    row = repository.get_scenario(sessions, name=name)
    return repository.validate_scenario_yaml(row.yaml, source=f"scenario '{name}'",
                                             region=region)


def _checked_specialties(requested: list[str] | None, region: Region) -> list[str] | None:
    """The requested specialties without repeats; InputError naming the first unknown one."""
    if requested is None:
        return None
    known = [s.id for s in region.specialties]
    for k, specialty in enumerate(requested):
        if specialty not in known:
            raise InputError("optimise request", f"specialties[{k}]", "specialties",
                             f"unknown specialty '{specialty}' (known: {', '.join(known)})")
    return list(dict.fromkeys(requested))


def _free_name(sessions: sessionmaker[Session], name: str) -> None:
    """AlreadyExists (409) if a scenario is called ``name`` already."""
    try:
        repository.get_scenario(sessions, name=name)
    except NotFound:
        return
    raise AlreadyExists("scenario", name)


def _queue(jobs: JobRunner, kind: JobKind, scenario: str, user_id: int, work: Work) -> Job:
    """Queue the work; 429 with Retry-After if too many jobs are waiting."""
    try:
        return jobs.submit(kind, scenario, user_id, work)
    except QueueFull as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": RETRY_AFTER_SECONDS}) from None


def _accepted(job: Job, response: Response) -> JobPublic:
    """The queued job as the 202 answer, with its Location."""
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return JobPublic.of(job)


def queue_optimise(name: str, body: OptimiseRun, user_id: int, sessions: sessionmaker[Session],
                   region: Region, jobs: JobRunner) -> Job:
    """Queue an optimisation of stored scenario ``name`` as ``body`` asks (the API's and the
    dashboard's way in); with ``save_as`` the plan is stored when the job finishes."""
    scenario = _stored(sessions, name, region)
    specialties = _checked_specialties(body.specialties, region)
    save_as = None
    if body.save_as is not None:
        _free_name(sessions, body.save_as)
        save_as = SaveAs(sessions, body.save_as, user_id)
    work = optimise_work(region, scenario, specialties, time_limit=body.time_limit_seconds,
                         gap=body.gap, save_as=save_as)
    return _queue(jobs, "optimise", name, user_id, work)


def queue_simulate(name: str, body: SimulateRun, user_id: int, sessions: sessionmaker[Session],
                   region: Region, jobs: JobRunner) -> Job:
    """Queue a simulation of stored scenario ``name`` as ``body`` asks (the API's and the
    dashboard's way in)."""
    scenario = _stored(sessions, name, region)
    work = simulate_work(region, scenario, replications=body.replications, days=body.days,
                         seed=body.seed)
    return _queue(jobs, "simulate", name, user_id, work)


@router.post("/api/scenarios/{name}/optimise", status_code=202)
def start_optimise(
    name: str, body: OptimiseRun, response: Response, user: PlannerUser,
    sessions: SessionsDep, region: RegionDep, jobs: JobsDep,
) -> JobPublic:
    """Optimise the stored scenario's strength positions as a job (planner or higher); with
    ``save_as`` the plan is stored as a new scenario of that name when the job finishes."""
    return _accepted(queue_optimise(name, body, user.id, sessions, region, jobs), response)


@router.post("/api/scenarios/{name}/simulate", status_code=202)
def start_simulate(
    name: str, body: SimulateRun, response: Response, user: PlannerUser,
    sessions: SessionsDep, region: RegionDep, jobs: JobsDep,
) -> JobPublic:
    """Simulate the stored scenario's year ``replications`` times as a job (planner or
    higher); the result bands the headline metrics per specialty."""
    return _accepted(queue_simulate(name, body, user.id, sessions, region, jobs), response)


@router.get("/api/jobs")
def list_jobs(user: ViewerUser, jobs: JobsDep, scenario: str | None = None,
              lang: Lang = "en") -> list[JobPublic]:
    """The jobs held (the last hundred), newest first; only one scenario's if named; their
    messages in ``lang`` (da or en)."""
    return [JobPublic.of(job, lang) for job in jobs.recent()
            if scenario is None or job.scenario == scenario]


@router.get("/api/jobs/{job_id}")
def get_job(job_id: str, user: ViewerUser, jobs: JobsDep, lang: Lang = "en") -> JobPublic:
    """One job with its progress, and its result or error once finished; its message in
    ``lang`` (da or en)."""
    return JobPublic.of(jobs.get(job_id), lang)


@router.post("/api/jobs/{job_id}/cancel")
def cancel_job(job_id: str, user: PlannerUser, jobs: JobsDep) -> JobPublic:
    """Cancel a job: a queued one at once, a running one at its next step (planner or
    higher); a finished job is returned as it is."""
    return JobPublic.of(jobs.cancel(job_id))
