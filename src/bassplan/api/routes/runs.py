"""Long runs of stored scenarios as jobs: start an optimisation or a simulation (202 with
the job), follow jobs' progress and results, and cancel them; keep a finished simulation's
result with its scenario under a name, and list, read and delete those saved results.
Users see and cancel their own jobs, an admin everyone's; saved results are the
scenario's, visible to everyone who may read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Response
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.deps import PlannerUser, SessionsDep, ViewerUser
from bassplan.api.jobs import Job, JobKind, JobRunner, JobsDep, QueueFull, Work
from bassplan.api.long_runs import SaveAs, optimise_work, simulate_work
from bassplan.api.regions import Regions, RegionsDep
from bassplan.api.schema_base import MAX_ROW_ID
from bassplan.api.schemas import (
    JobPublic,
    OptimiseRun,
    SavedSimulationPublic,
    SavedSimulationSummary,
    SimulateRun,
    SimulationSave,
)
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario
from bassplan.i18n.words import Lang
from bassplan.store import jobs as stored
from bassplan.store import repository
from bassplan.store.accounts import has_role
from bassplan.store.errors import AlreadyExists, NotFound
from bassplan.store.models import SavedSimulation, User

router = APIRouter(tags=["runs"])
RETRY_AFTER_SECONDS = "30"
QUEUE_FULL: dict[int | str, dict[str, Any]] = {
    429: {"description": "Too many jobs are waiting; try again after Retry-After seconds."}}


SavedId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


@dataclass(frozen=True)
class _Target:
    """The stored scenario a run is for: its row's id, name and version, it parsed, and its
    region (id and data)."""

    id: int
    name: str
    version: int
    scenario: Scenario
    region_id: str
    region: Region


def _stored(sessions: sessionmaker[Session], name: str, regions: Regions) -> _Target:
    """The stored scenario ``name`` parsed and checked against its own region."""
    row = repository.get_scenario(sessions, name=name)
    region = regions.get(row.region)
    scenario = repository.validate_scenario_yaml(row.yaml, source=f"scenario '{name}'",
                                                 region=region)
    return _Target(row.id, row.name, row.version, scenario, row.region, region)


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


def _queue(jobs: JobRunner, kind: JobKind, target: _Target, user_id: int, work: Work,
           request: dict[str, Any]) -> Job:
    """Queue the work; 429 with Retry-After if too many jobs are waiting."""
    try:
        return jobs.submit(kind, target.name, user_id, work, request=request,
                           scenario_id=target.id, scenario_version=target.version)
    except QueueFull as exc:
        raise HTTPException(429, str(exc), headers={"Retry-After": RETRY_AFTER_SECONDS}) from None


def _accepted(job: Job, response: Response) -> JobPublic:
    """The queued job as the 202 answer, with its Location."""
    response.headers["Location"] = f"/api/jobs/{job.id}"
    return JobPublic.of(job)


def queue_optimise(name: str, body: OptimiseRun, user_id: int, sessions: sessionmaker[Session],
                   regions: Regions, jobs: JobRunner) -> Job:
    """Queue an optimisation of stored scenario ``name`` on its region as ``body`` asks (the
    API's and the dashboard's way in); with ``save_as`` the plan is stored when the job
    finishes, in the same region."""
    target = _stored(sessions, name, regions)
    specialties = _checked_specialties(body.specialties, target.region)
    save_as = None
    if body.save_as is not None:
        _free_name(sessions, body.save_as)
        save_as = SaveAs(sessions, body.save_as, user_id, target.region_id)
    work = optimise_work(target.region, target.scenario, specialties,
                         time_limit=body.time_limit_seconds, gap=body.gap, save_as=save_as)
    return _queue(jobs, "optimise", target, user_id, work, body.model_dump())


def queue_simulate(name: str, body: SimulateRun, user_id: int, sessions: sessionmaker[Session],
                   regions: Regions, jobs: JobRunner) -> Job:
    """Queue a simulation of stored scenario ``name`` on its region as ``body`` asks (the
    API's and the dashboard's way in)."""
    target = _stored(sessions, name, regions)
    work = simulate_work(target.region, target.scenario, replications=body.replications,
                         days=body.days, seed=body.seed)
    return _queue(jobs, "simulate", target, user_id, work, body.model_dump())


@router.post("/api/scenarios/{name}/optimise", status_code=202, responses={
    **QUEUE_FULL, 409: {"description": "A scenario is called save_as already."}})
def start_optimise(
    name: str, body: OptimiseRun, response: Response, user: PlannerUser,
    sessions: SessionsDep, regions: RegionsDep, jobs: JobsDep,
) -> JobPublic:
    """Optimise the stored scenario's strength positions as a job (planner or higher); with
    ``save_as`` the plan is stored as a new scenario of that name when the job finishes."""
    return _accepted(queue_optimise(name, body, user.id, sessions, regions, jobs), response)


@router.post("/api/scenarios/{name}/simulate", status_code=202, responses=QUEUE_FULL)
def start_simulate(
    name: str, body: SimulateRun, response: Response, user: PlannerUser,
    sessions: SessionsDep, regions: RegionsDep, jobs: JobsDep,
) -> JobPublic:
    """Simulate the stored scenario's year ``replications`` times as a job (planner or
    higher); the result bands the headline metrics per specialty."""
    return _accepted(queue_simulate(name, body, user.id, sessions, regions, jobs), response)


def owner_filter(user: User) -> int | None:
    """Whose jobs the user may see: their own (None for an admin: everyone's)."""
    return None if has_role(user, "admin") else user.id


def visible_job(jobs: JobRunner, job_id: str, user: User) -> Job:
    """The job if the user may see it (theirs, or any for an admin); else NotFound, as for
    a job that does not exist."""
    job = jobs.get(job_id)
    owner = owner_filter(user)
    if owner is not None and job.requested_by != owner:
        raise NotFound("job", job_id)
    return job


@router.get("/api/jobs")
def list_jobs(user: ViewerUser, jobs: JobsDep, scenario: str | None = None,
              lang: Lang = "en") -> list[JobPublic]:
    """The user's jobs (an admin's: everyone's), the newest hundred first, kept across
    restarts; only one scenario's if named; their messages in ``lang`` (da or en)."""
    return [JobPublic.of(job, lang)
            for job in jobs.recent(requested_by=owner_filter(user), scenario=scenario)]


@router.get("/api/jobs/{job_id}")
def get_job(job_id: str, user: ViewerUser, jobs: JobsDep, lang: Lang = "en") -> JobPublic:
    """One of the user's jobs with its progress, and its result or error once finished; its
    message in ``lang`` (da or en)."""
    return JobPublic.of(visible_job(jobs, job_id, user), lang)


@router.post("/api/jobs/{job_id}/cancel")
def cancel_job(job_id: str, user: PlannerUser, jobs: JobsDep) -> JobPublic:
    """Cancel one of the user's jobs (an admin: anyone's): a queued one at once, a running
    one at its next step (planner or higher); a finished job is returned as it is."""
    return JobPublic.of(jobs.cancel(visible_job(jobs, job_id, user).id))


# — simulation results saved with their scenario —


def saved_summary(row: SavedSimulation, scenario: str) -> SavedSimulationSummary:
    """A saved result's summary (its scenario named as asked for)."""
    return SavedSimulationSummary(
        id=row.id, scenario=scenario, name=row.name, job_id=row.job_id,
        scenario_version=row.scenario_version, settings=stored.decode(row.settings) or {},
        saved_by=row.saved_by, saved_at=row.saved_at)


def saved_public(row: SavedSimulation, scenario: str) -> SavedSimulationPublic:
    """A saved result with the result itself."""
    return SavedSimulationPublic(**saved_summary(row, scenario).model_dump(),
                                 result=stored.decode(row.result) or {})


@router.post("/api/scenarios/{name}/simulations", status_code=201)
def save_simulation(
    name: str, body: SimulationSave, response: Response, user: PlannerUser,
    sessions: SessionsDep, jobs: JobsDep,
) -> SavedSimulationPublic:
    """Keep one of the user's finished simulations of this scenario with it under ``name``
    (planner or higher); 422 if the job is not a finished simulation of this scenario, 409
    if the name is taken for this scenario."""
    visible_job(jobs, body.job_id, user)
    row = stored.save_simulation(sessions, scenario=name, job_id=body.job_id, name=body.name,
                                 actor_id=user.id)
    response.headers["Location"] = f"/api/scenarios/{name}/simulations/{row.id}"
    return saved_public(row, name)


@router.get("/api/scenarios/{name}/simulations")
def list_saved_simulations(
    name: str, user: ViewerUser, sessions: SessionsDep
) -> list[SavedSimulationSummary]:
    """The scenario's saved simulation results, newest first, without the results."""
    return [saved_summary(row, name)
            for row in stored.list_saved_simulations(sessions, scenario=name)]


@router.get("/api/scenarios/{name}/simulations/{saved_id}")
def get_saved_simulation(
    name: str, saved_id: SavedId, user: ViewerUser, sessions: SessionsDep
) -> SavedSimulationPublic:
    """One saved simulation result of the scenario, with the result."""
    row = stored.get_saved_simulation(sessions, scenario=name, saved_id=saved_id)
    return saved_public(row, name)


@router.delete("/api/scenarios/{name}/simulations/{saved_id}", status_code=204)
def delete_saved_simulation(
    name: str, saved_id: SavedId, user: PlannerUser, sessions: SessionsDep
) -> Response:
    """Delete one saved simulation result of the scenario (planner or higher; audited)."""
    stored.delete_saved_simulation(sessions, scenario=name, saved_id=saved_id,
                                   actor_id=user.id)
    return Response(status_code=204)
