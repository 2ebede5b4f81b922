"""The trade-off between residents' travel and staff travel, by the epsilon-constraint
method (Haimes, Lasdon & Wismer 1971; Mavrotas 2009).

First the two extremes, each lexicographic: least patient hours, then least staff hours
among those plans; least staff hours, then least patient hours. Between them, n − 2
evenly spaced bounds ε on patient hours: minimise staff hours + δ·patient hours subject
to patient hours ≤ ε. Any δ > 0 makes the optimum non-dominated; δ is scaled so that a
patient hour weighs 1/10,000 of the staff-hours range per patient-hours range.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario
from bassplan.optimise.model import Model, Objective, Row, build_model
from bassplan.optimise.request import SOURCE, build_request
from bassplan.optimise.solve import Plan, solve_model

TIE_BREAK = 1e-4
SAME = 1e-6  # relative difference below which two criteria values are equal


@dataclass(frozen=True)
class ParetoPoint:
    """One non-dominated plan and its two criteria (hours/year), with the access it gives:
    mean minutes and share within the access limit, averaged over the specialties."""

    plan: Plan
    patient_hours: float
    staff_hours: float
    mean_minutes: float
    share_within: float


def _point(plan: Plan) -> ParetoPoint:
    """A plan with its criteria."""
    return ParetoPoint(
        plan=plan,
        patient_hours=plan.patient_hours,
        staff_hours=plan.staff_hours,
        mean_minutes=float(np.mean([p.mean_minutes for p in plan.specialties])),
        share_within=float(np.mean([p.access_share for p in plan.specialties])),
    )


def _bound(model: Model, term: str, limit: float) -> Row:
    """The row term ≤ limit (patient hours include their constant)."""
    vector = model.patient if term == "patient" else model.staff
    constant = float(model.patient_constant.sum()) if term == "patient" else 0.0
    index = np.flatnonzero(vector)
    slack = 1e-7 * max(1.0, abs(limit))
    return Row(index, vector[index], -np.inf, limit - constant + slack)


def _lexicographic(model: Model, first: str, time_limit: float | None,
                   gap: float | None) -> Plan:
    """Least ``first`` (patient or staff hours), then least of the other among those."""
    other = "staff" if first == "patient" else "patient"
    weights = {"patient": 0.0, "staff": 0.0, "cost": 0.0}
    weights[first] = 1.0
    best = solve_model(model, model.objective(**weights), time_limit=time_limit, gap=gap)
    value = best.patient_hours if first == "patient" else best.staff_hours
    weights[first], weights[other] = 0.0, 1.0
    return solve_model(model, model.objective(**weights), (_bound(model, first, value),),
                       time_limit=time_limit, gap=gap)


def _non_dominated(points: list[ParetoPoint]) -> list[ParetoPoint]:
    """Points no other point beats in both criteria, one per distinct pair, by patient hours."""
    def same(a: float, b: float) -> bool:
        return abs(a - b) <= SAME * max(1.0, abs(a), abs(b))

    kept: list[ParetoPoint] = []
    for p in sorted(points, key=lambda q: (q.patient_hours, q.staff_hours)):
        dominated = any(
            q.patient_hours <= p.patient_hours + SAME * max(1.0, p.patient_hours)
            and q.staff_hours <= p.staff_hours + SAME * max(1.0, p.staff_hours)
            for q in kept
        )
        if not dominated and not any(same(q.patient_hours, p.patient_hours)
                                     and same(q.staff_hours, p.staff_hours) for q in kept):
            kept.append(p)
    return kept


def pareto_front(
    region: Region, scenario: Scenario, specialties: Sequence[str] | None, n: int, *,
    time_limit: float | None = None, gap: float | None = None,
) -> list[ParetoPoint]:
    """Up to ``n`` (≥ 2) non-dominated plans between least patient travel and least staff
    travel, ordered by patient hours (the first is the patient extreme, the last the staff
    extreme). Other constraints of the scenario's optimisation section hold throughout."""
    if n < 2:
        raise InputError(SOURCE, "pareto", "n", f"needs at least 2 points, got {n}")
    model = build_model(build_request(region, scenario, specialties))
    patient_end = _lexicographic(model, "patient", time_limit, gap)
    staff_end = _lexicographic(model, "staff", time_limit, gap)
    plans = [patient_end, staff_end]
    low, high = patient_end.patient_hours, staff_end.patient_hours
    staff_range = patient_end.staff_hours - staff_end.staff_hours
    if high - low > SAME * max(1.0, high) and staff_range > 0:
        delta = TIE_BREAK * staff_range / (high - low)
        objective = model.objective(delta, 1.0, 0.0)
        for eps in np.linspace(low, high, n)[1:-1]:
            plans.append(_solve_bounded(model, objective, float(eps), time_limit, gap))
    return _non_dominated([_point(plan) for plan in plans])


def _solve_bounded(model: Model, objective: Objective, eps: float, time_limit: float | None,
                   gap: float | None) -> Plan:
    """Least staff hours (+ δ·patient hours) with patient hours ≤ ε."""
    return solve_model(model, objective, (_bound(model, "patient", eps),),
                       time_limit=time_limit, gap=gap)
