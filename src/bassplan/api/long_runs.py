"""The work of the API's long runs, each a function of a job context to a JSON-ready result:
optimise a stored scenario (and save the plan as a new scenario if asked), or simulate its
year many times and band the headline metrics per specialty."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.jobs import JobContext, Work
from bassplan.domain.phrase import phrase
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario
from bassplan.store import repository


@dataclass(frozen=True)
class SaveAs:
    """Where an optimised plan is stored: a new scenario ``name`` of region ``region_id``
    (the optimised scenario's), audited as ``actor_id``."""

    sessions: sessionmaker[Session]
    name: str
    actor_id: int
    region_id: str


def optimise_work(
    region: Region,
    scenario: Scenario,
    specialties: Sequence[str] | None,
    *,
    time_limit: float,
    gap: float | None,
    save_as: SaveAs | None = None,
) -> Work:
    """Optimise ``specialties`` (all jointly when None) of ``scenario``; the result is the
    plan's record, the plan as scenario YAML and the name it was saved as (or None)."""

    def work(job: JobContext) -> dict[str, Any]:
        from bassplan.data.scenario_loader import scenario_yaml
        from bassplan.optimise import optimise, plan_to_scenario
        from bassplan.optimise.record import plan_record

        job.report(0.05, "job_opt_solving")
        plan = optimise(region, scenario, specialties, time_limit=time_limit, gap=gap)
        job.report(0.9, "job_opt_writing")
        planned = plan_to_scenario(plan, scenario, region)
        if save_as is not None:
            planned = planned.model_copy(update={"name": save_as.name})
        text = scenario_yaml(planned)
        result: dict[str, Any] = {**plan_record(plan), "scenario_yaml": text, "saved_as": None}
        if save_as is not None:
            job.report(0.95, phrase("job_opt_saving", name=save_as.name))
            names = ", ".join(part.specialty for part in plan.specialties)
            repository.create_scenario(
                save_as.sessions, name=save_as.name, yaml_text=text, region=region,
                region_id=save_as.region_id,
                description=f"Optimeret plan ({names}) ud fra scenariet '{scenario.name}'.",
                actor_id=save_as.actor_id)
            result["saved_as"] = save_as.name
        return result

    return work


def simulate_work(
    region: Region, scenario: Scenario, *, replications: int, days: int, seed: int
) -> Work:
    """Simulate ``replications`` years of ``days`` days in this process; the result is, per
    specialty, P5/P50/P95 of the headline metrics (``simulate.headline``)."""

    def work(job: JobContext) -> dict[str, Any]:
        from bassplan.domain.results import json_safe
        from bassplan.model.evaluate import evaluate
        from bassplan.simulate import SimulationSettings, simulation_input, summarise
        from bassplan.simulate.headline import specialty_bands
        from bassplan.simulate.runner import run_replications

        job.report(0.0, "job_sim_evaluating")
        inp = simulation_input(evaluate(region, scenario), SimulationSettings(days=days))

        def progress(done: int, total: int) -> None:
            job.report(done / total, phrase("job_sim_progress", done=done, total=total))

        outcome = run_replications(inp, replications, seed, workers=1, progress=progress)
        summary = summarise(outcome.results)
        return {
            "replications": summary.replications,
            "days": days,
            "seed": seed,
            "max_wait_days": inp.max_wait_days,  # waits this long or longer share the last day
            "specialties": [json_safe(row) for row in specialty_bands(summary)],
        }

    return work
