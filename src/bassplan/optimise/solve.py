"""Solve the strength-position MILP with HiGHS and read the answer into an immutable
``Plan``: per specialty its strength positions, outreach clinics, who is seen where, who
covers which acute site, team FTE and what the plan costs residents and staff."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from bassplan.domain.errors import InfeasiblePlanError
from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.model.equity import share_within_rows, weighted_mean_rows
from bassplan.optimise._highs import Solution, polish, run
from bassplan.optimise.model import Model, Objective, Row, build_model
from bassplan.optimise.request import OptimiseRequest, build_request
from bassplan.optimise.staffing import balanced_fte, moved_fte

ExtraRows = Callable[[Model], Sequence[Row]]


@dataclass(frozen=True)
class Clinic:
    """An outreach clinic: ``days_per_week`` (multiples of ½) held by the team at ``team``."""

    site: str
    days_per_week: float
    team: str


@dataclass(frozen=True)
class SpecialtyPlan:
    """One specialty's part of a plan; hours and DKK per year."""

    specialty: str
    strength_positions: tuple[str, ...]
    outreach: tuple[Clinic, ...]
    assignments: Mapping[str, str]  # area code -> site of its in-person visits
    consult_cover: Mapping[str, str]  # acute site without a team -> covering team's site
    #                                   (by rotation or consults, ``inpatient_cover``)
    team_fte: Mapping[str, float]  # strength position -> specialist FTE
    shortfall_fte: float  # FTE bought in: team shortfalls + location-free work not covered
    base_fte: float  # specialist FTE of the base staffing (before releases)
    released: Mapping[str, float]  # site -> FTE the settings release (with their reason)
    moved: Mapping[str, float]  # site -> FTE that leave it for another strength position
    inpatient_cover: str  # how an acute site without a team is covered (scenario's rule)
    patient_hours: float  # round trips of in-person visits and admissions (as evaluate)
    staff_hours: float  # outreach days and on-site consult visits
    cost_dkk: float  # team FTE + shortfall at 1.5 × + staff km
    access_share: float  # share of residents within access_minutes of their visit site
    mean_minutes: float  # population-weighted minutes to the visit site


@dataclass(frozen=True)
class Plan:
    """An optimised plan for the requested specialties and how HiGHS got there.

    ``objective`` and ``best_bound`` are of the objective solved for; ``status`` is
    'optimal', 'gap_reached' (stopped within the asked gap) or 'time_limit'.
    """

    specialties: tuple[SpecialtyPlan, ...]
    access_minutes: float
    objective: float
    patient_hours: float
    staff_hours: float
    cost_dkk: float
    status: str
    mip_gap: float
    best_bound: float
    seconds: float

    def specialty(self, specialty_id: str) -> SpecialtyPlan:
        """The part of the plan for one specialty (KeyError if it was not optimised)."""
        for part in self.specialties:
            if part.specialty == specialty_id:
                return part
        raise KeyError(specialty_id)


def optimise(
    region: Region,
    scenario: Scenario,
    specialties: Sequence[str] | None = None,
    *,
    time_limit: float | None = None,
    gap: float | None = None,
    extra_rows: ExtraRows | None = None,
) -> Plan:
    """Choose strength positions, outreach and assignments for ``specialties`` (all when
    None) under the scenario's ``optimisation`` settings; time limit (s) and relative gap
    default to the settings'. Raises InfeasiblePlanError with the reason in words."""
    request = build_request(region, scenario, specialties)
    model = build_model(request)
    rows = tuple(extra_rows(model)) if extra_rows is not None else ()
    return solve_model(model, model.weighted(), rows, time_limit=time_limit, gap=gap)


def solve_model(
    model: Model, objective: Objective, rows: tuple[Row, ...] = (), *,
    time_limit: float | None = None, gap: float | None = None,
) -> Plan:
    """Solve ``model`` for ``objective`` (plus extra ``rows``) and read the plan."""
    settings = model.request.settings
    limit = settings.time_limit_seconds if time_limit is None else time_limit
    rel_gap = settings.gap if gap is None else gap
    started = time.perf_counter()
    first = run(model, objective, rows, time_limit=limit, gap=rel_gap)
    if first.values is None:
        if rows:
            raise InfeasiblePlanError("the added bound", "the whole region",
                                      "no plan within that bound")
        from bassplan.optimise.infeasible import explain_infeasible

        raise explain_infeasible(model.request, time_limit=limit)
    final = polish(model, objective, first, rows, time_limit=limit)
    assert final.values is not None
    final = replace(final, values=balanced_fte(model, final.values))
    return read_plan(model, final, time.perf_counter() - started)


def read_plan(model: Model, solution: Solution, seconds: float) -> Plan:
    """Turn a solution's column values into a ``Plan``."""
    assert solution.values is not None
    values = solution.values
    req = model.request
    assigned = np.stack([col.point_site[values[col.x].argmax(axis=1)] for col in model.columns])
    hours = patient_hours(req, assigned)
    areas = np.arange(req.residents.size)
    area_minutes = req.minutes[areas[None, :], assigned]
    share = share_within_rows(area_minutes, req.residents, req.settings.access_minutes)
    mean = weighted_mean_rows(area_minutes, req.residents)
    parts = []
    for s in range(len(model.columns)):
        mine = model.col_specialty == s
        parts.append(_specialty_plan(model, values, s, assigned[s], float(hours[s]),
                                     float(model.staff[mine] @ values[mine]),
                                     float(model.cost[mine] @ values[mine]),
                                     float(share[s]), float(mean[s])))
    shared = model.col_specialty < 0
    return Plan(
        specialties=tuple(parts),
        access_minutes=req.settings.access_minutes,
        objective=solution.objective,
        patient_hours=float(hours.sum()),
        staff_hours=float(sum(p.staff_hours for p in parts)),
        cost_dkk=float(sum(p.cost_dkk for p in parts) + model.cost[shared] @ values[shared]),
        status=solution.status,
        mip_gap=solution.gap,
        best_bound=solution.bound,
        seconds=seconds,
    )


def patient_hours(req: OptimiseRequest, assigned: IntArray) -> FloatArray:
    """(S,) patient travel hours/year: round trips of in-person visits to the ``assigned``
    site (S, A) and of admissions, computed as ``transport.assess_transport`` does."""
    areas = np.arange(req.residents.size)
    visit_minutes = req.minutes[areas[None, :], assigned]
    hours = 2.0 * (req.in_person * visit_minutes + req.admissions * req.admit_minutes[None, :])
    result: FloatArray = hours.sum(axis=1) / MINUTES_PER_HOUR
    return result


def _specialty_plan(
    model: Model, values: FloatArray, s: int, assigned: IntArray, hours: float,
    staff: float, cost: float, share: float, mean: float,
) -> SpecialtyPlan:
    """Read one specialty's choices from the column values."""
    req, col = model.request, model.columns[s]
    sites = req.site_ids
    open_sp = values[col.y] > 0.5
    clinics = values[col.u] > 0.5
    held = values[col.t] > 0.5
    team_of = dict(zip(col.team_clinic[held].tolist(), col.team_site[held].tolist(),
                       strict=True))
    days = np.ceil(np.round(values[col.n], 6)) / 2.0
    covered = values[col.c] > 0.5
    shortfall = float(values[col.h].sum() + values[col.h0])
    moved = moved_fte(model, col, values[col.f])
    released = req.released_fte[s]
    return SpecialtyPlan(
        specialty=req.specialty_ids[s],
        strength_positions=tuple(sites[k] for k in col.candidates[open_sp]),
        outreach=tuple(Clinic(sites[j], float(d), sites[team_of[j]])
                       for j, d in zip(col.outreach[clinics].tolist(),
                                       days[clinics].tolist(), strict=True)),
        assignments=dict(zip(req.area_codes, (sites[j] for j in assigned), strict=True)),
        consult_cover={sites[j]: sites[k] for j, k in
                       zip(col.cover_site[covered].tolist(), col.cover_team[covered].tolist(),
                           strict=True)},
        team_fte={sites[k]: float(f) for k, f in
                  zip(col.candidates[open_sp].tolist(), values[col.f][open_sp].tolist(),
                      strict=True)},
        shortfall_fte=shortfall,
        base_fte=float(req.base_fte[s].sum() + released.sum()),
        released={sites[j]: float(released[j]) for j in np.flatnonzero(released > 0)},
        moved={sites[j]: float(moved[j]) for j in np.flatnonzero(moved > 1e-6)},
        inpatient_cover=req.cover_mode[s],
        patient_hours=hours,
        staff_hours=staff,
        cost_dkk=cost,
        access_share=share,
        mean_minutes=mean,
    )
