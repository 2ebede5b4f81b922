"""An optimised plan as plain JSON-ready data (nan and infinite numbers as None), for
clients that cannot read the ``Plan`` dataclass, such as the API's job results."""

from __future__ import annotations

from bassplan.domain.results import json_safe
from bassplan.optimise.solve import Plan, SpecialtyPlan


def specialty_record(part: SpecialtyPlan) -> dict[str, object]:
    """One specialty's choices and what they cost: hours and DKK per year, share of
    residents within the plan's access minutes of their in-person visit site."""
    return json_safe({
        "specialty": part.specialty,
        "strength_positions": list(part.strength_positions),
        "outreach": [{"site": c.site, "days_per_week": c.days_per_week, "team": c.team}
                     for c in part.outreach],
        "team_fte": dict(part.team_fte),
        "shortfall_fte": part.shortfall_fte,
        "base_fte": part.base_fte,
        "released_fte": dict(part.released),
        "moved_fte": dict(part.moved),
        "inpatient_cover": part.inpatient_cover,
        "patient_hours": part.patient_hours,
        "staff_hours": part.staff_hours,
        "cost_dkk": part.cost_dkk,
        "share_within": part.access_share,
        "mean_minutes": part.mean_minutes,
        "assignments": dict(part.assignments),
        "consult_cover": dict(part.consult_cover),
    })


def plan_record(plan: Plan) -> dict[str, object]:
    """The whole plan: how the solver ended (status, gap, bound, seconds), the totals and
    one record per optimised specialty."""
    return json_safe({
        "status": plan.status,
        "mip_gap": plan.mip_gap,
        "objective": plan.objective,
        "best_bound": plan.best_bound,
        "seconds": plan.seconds,
        "access_minutes": plan.access_minutes,
        "patient_hours": plan.patient_hours,
        "staff_hours": plan.staff_hours,
        "cost_dkk": plan.cost_dkk,
        "specialties": [specialty_record(part) for part in plan.specialties],
    })
