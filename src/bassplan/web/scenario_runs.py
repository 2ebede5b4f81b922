"""A scenario's long runs as the scenario page shows them: progress while they run, and when
done the optimised plan per specialty or the simulated year's P50 [P5–P95] per specialty,
formatted from the job's own result (the same dict GET /api/jobs/{id} returns); and the
simulation results saved with the scenario, formatted the same way."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bassplan.api.jobs import FINISHED, Job
from bassplan.domain.region import Region
from bassplan.i18n.words import Lang, label, say
from bassplan.report.sections import Table
from bassplan.simulate.headline import HEADLINES
from bassplan.simulate.settings import SimulationSettings
from bassplan.store.jobs import decode
from bassplan.store.models import SavedSimulation
from bassplan.views.formatting import format_number, format_share, site_short, specialty_name
from bassplan.web.localtime import format_time


@dataclass(frozen=True)
class JobView:
    """One job of the scenario, display-ready; ``table`` holds the result when done."""

    id: str
    kind: str
    status: str
    status_label: str
    running: bool
    progress: float
    message: str
    error: str
    started: str  # when the job was asked for, local time
    table: Table | None
    solver_status: str  # optimise only
    saved_as: str | None  # optimise only: the scenario the plan was stored as
    can_save: bool  # optimise only: done and not stored yet
    can_keep: bool  # simulate only: done, so its result can be saved with the scenario
    note: str = ""  # simulate only: the sentence on the longest wait tracked


@dataclass(frozen=True)
class SavedView:
    """A simulation result saved with the scenario, display-ready."""

    id: int
    name: str
    saved: str  # when, local time
    saved_by: str
    settings: str  # replications, days and seed in words
    version: str  # the scenario version simulated, and whether it changed since
    table: Table
    note: str = ""  # the sentence on the longest wait tracked


def _num(value: Any, lang: Lang, decimals: int = 0) -> str:
    """A JSON number formatted ('–' for null, as json_safe writes nan)."""
    return format_number(float(value), lang, decimals) if value is not None else "–"


def _sites(region: Region, ids: Sequence[str]) -> str:
    names = {site.id: site_short(site) for site in region.sites}
    return ", ".join(names.get(i, i) for i in ids) or "–"


def optimise_table(result: dict[str, Any], region: Region, lang: Lang) -> Table:
    """Per optimised specialty: strength positions, outreach clinics, patient and staff
    hours per year and the share within the plan's access minutes."""
    rows = []
    for part in result["specialties"]:
        clinics = ", ".join(
            f"{_sites(region, [c['site']])} ({_num(c['days_per_week'], lang, 1)})"
            for c in part["outreach"]) or "–"
        share = part["share_within"]
        rows.append((
            specialty_name(region, part["specialty"], lang),
            _sites(region, part["strength_positions"]),
            clinics,
            _num(part["patient_hours"], lang),
            _num(part["staff_hours"], lang),
            format_share(float(share), lang) if share is not None else "–",
        ))
    columns = tuple(label(k, lang) for k in ("specialty", "sc_strength_positions",
                                             "sc_outreach_days", "sc_patient_hours",
                                             "sc_staff_hours", "sc_share_within"))
    return Table(columns, tuple(rows), (False, False, False, True, True, True))


def _band(value: dict[str, Any], digits: int, lang: Lang, *, share: bool = False,
          capped_at: float = math.inf) -> str:
    """'P50 [P5–P95]' of one headline metric: a share as percent, a wait at the simulation's
    last tracked day (``capped_at``) as '≥ 249,0'."""
    p5, p50, p95 = (value[k] for k in ("p5", "p50", "p95"))
    if p50 is None or not math.isfinite(float(p50)):
        return "–"

    def one(x: Any) -> str:
        if x is None:
            return "–"
        shown = format_share(float(x), lang) if share else _num(x, lang, digits)
        return say("sim_capped", lang, value=shown) if float(x) >= capped_at else shown

    return f"{one(p50)} [{one(p5)}–{one(p95)}]"


def max_wait_days(result: Mapping[str, Any]) -> int:
    """The longest wait the simulation tracked (a result saved before it was recorded used
    the settings' default)."""
    return int(result.get("max_wait_days") or SimulationSettings().max_wait_days)


def simulate_table(result: dict[str, Any], region: Region, lang: Lang) -> Table:
    """Per specialty the simulated headline metrics as P50 [P5–P95] (simulate.headline), with
    units in the column heads; a wait at the last tracked day shows as '≥ N'."""
    last = max_wait_days(result) - 1  # the day that pools every longer wait
    columns = (label("specialty", lang),
               *(label(f"sim_{h.key}", lang) for h in HEADLINES))
    rows = tuple(
        (specialty_name(region, row["specialty"], lang),
         *(_band(row[h.key], h.digits, lang, share=h.key.startswith("share_"),
                 capped_at=last if h.metric.startswith("wait_") else math.inf)
           for h in HEADLINES))
        for row in result["specialties"])
    return Table(columns, rows, (False, *[True] * len(HEADLINES)))


def simulate_note(result: Mapping[str, Any], lang: Lang) -> str:
    """The sentence under a simulation table on how long a wait the simulation tracks."""
    cap = max_wait_days(result)
    return say("sim_cap_note", lang, cap=cap, last=cap - 1)


def job_view(job: Job, region: Region, lang: Lang) -> JobView:
    """The job as the scenario page lists it."""
    result = job.result if job.status == "done" else None
    table, note = None, ""
    solver_status, saved_as = "", None
    if result is not None and job.kind == "optimise":
        table = optimise_table(result, region, lang)
        solver_status, saved_as = str(result.get("status", "")), result.get("saved_as")
    elif result is not None:
        table, note = simulate_table(result, region, lang), simulate_note(result, lang)
    return JobView(
        id=job.id, kind=job.kind, status=job.status,
        status_label=label(f"sc_job_{job.status}", lang), running=job.status not in FINISHED,
        progress=job.progress, message=say(job.message, lang),
        error=say(job.error_words, lang) if job.error_words else job.error or "",
        started=format_time(job.created_at, lang), table=table,
        solver_status=solver_status, saved_as=saved_as,
        can_save=result is not None and job.kind == "optimise" and saved_as is None,
        can_keep=result is not None and job.kind == "simulate", note=note,
    )


def scenario_jobs(jobs: Sequence[Job], name: str, region: Region, lang: Lang) -> list[JobView]:
    """The jobs of scenario ``name``, newest first (as GET /api/jobs?scenario= lists them)."""
    return [job_view(job, region, lang) for job in jobs if job.scenario == name]


def _settings_text(settings: Mapping[str, Any], lang: Lang) -> str:
    """'50 replications of 365 days, seed 1' in the reader's language."""
    return label("sc_sim_settings", lang).format(
        replications=settings.get("replications", "–"), days=settings.get("days", "–"),
        seed=settings.get("seed", "–"))


def _version_text(simulated: int | None, current: int, lang: Lang) -> str:
    """The scenario version simulated, and the current one if it has changed since."""
    if simulated is None:
        return ""
    text = label("sc_sim_version", lang).format(version=simulated)
    if simulated != current:
        text += " · " + label("sc_sim_version_changed", lang).format(current=current)
    return text


def saved_views(rows: Sequence[SavedSimulation], region: Region, lang: Lang, current: int,
                users: Mapping[int, str]) -> list[SavedView]:
    """The scenario's saved simulation results as its page lists them (``current`` is the
    scenario's version now, ``users`` display names by user id)."""
    return [
        SavedView(id=row.id, name=row.name, saved=format_time(row.saved_at, lang),
                  saved_by=users.get(row.saved_by, "–") if row.saved_by is not None else "–",
                  settings=_settings_text(decode(row.settings) or {}, lang),
                  version=_version_text(row.scenario_version, current, lang),
                  table=simulate_table(decode(row.result) or {"specialties": []}, region, lang),
                  note=simulate_note(decode(row.result) or {}, lang))
        for row in rows
    ]
