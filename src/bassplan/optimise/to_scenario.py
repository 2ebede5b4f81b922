"""An optimised plan written as a complete scenario, so that ``evaluate`` scores exactly
the plan: its strength positions, outreach days, assignments and serving teams, and the
staff the plan puts at each site."""

from __future__ import annotations

from typing import Any

import numpy as np

from bassplan.domain.region import Region, Staffing
from bassplan.domain.scenario import Scenario, StaffingChange
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.model.allocate import changed_staffing, plan_services
from bassplan.model.evaluate import scenario_travel
from bassplan.model.pooling import organisation_of_sites
from bassplan.optimise.solve import Plan, SpecialtyPlan

STAFF_FIELDS = ("specialist_fte", "trainee_fte", "vacant_fte", "on_call_specialists")
DECIMALS = 4  # staffing changes in 1/10,000 FTE (a change to 0 stays exact)


def _per_specialist(changed: Staffing, s: int, organisation: IntArray, name: str) -> FloatArray:
    """(J,) trainees, vacant posts or on-call heads per specialist FTE in each site's
    organisation (the region's ratio where the organisation has no specialists)."""
    n_orgs = int(organisation.max()) + 1
    specialists = np.bincount(organisation, weights=changed.specialist_fte[s], minlength=n_orgs)
    others = np.bincount(organisation, weights=getattr(changed, name)[s], minlength=n_orgs)
    overall = others.sum() / specialists.sum() if specialists.sum() > 0 else 0.0
    ratio = np.divide(others, specialists, out=np.full(n_orgs, overall), where=specialists > 0)
    result: FloatArray = ratio[organisation]
    return result


def _target_staff(plan: Plan, base: Scenario, region: Region) -> dict[str, FloatArray]:
    """(S, J) staff per field after the plan: the plan's FTE at its strength positions and
    nothing elsewhere for optimised specialties (trainees, vacant posts and on-call heads
    in the organisation's proportion to specialists); the base's pooled teams otherwise."""
    _, _, site_minutes, _ = scenario_travel(region, base)
    pooled = plan_services(region, base, site_minutes).team
    changed = changed_staffing(region, base)
    organisation = organisation_of_sites(region, base)
    target = {name: np.array(getattr(pooled, name), dtype=np.float64) for name in STAFF_FIELDS}
    for part in plan.specialties:
        s = region.specialty_index(part.specialty)
        fte = np.zeros(len(region.sites))
        for site, value in part.team_fte.items():
            fte[region.site_index(site)] = value
        target["specialist_fte"][s] = fte
        for name in STAFF_FIELDS[1:]:
            target[name][s] = fte * _per_specialist(changed, s, organisation, name)
    return target


def staffing_changes(plan: Plan, base: Scenario, region: Region) -> list[StaffingChange]:
    """Changes from the region's staffing to the plan's staff (with ``pool_staff: none``)."""
    target = _target_staff(plan, base, region)
    deltas = {}
    for name in STAFF_FIELDS:
        now = np.asarray(getattr(region.staffing, name), dtype=np.float64)
        deltas[name] = np.where(target[name] == 0.0, -now,
                                np.round(target[name] - now, DECIMALS))
    changed = np.any([deltas[name] != 0.0 for name in STAFF_FIELDS], axis=0)
    return [
        StaffingChange(specialty=region.specialties[s].id, site=region.sites[j].id,
                       **{name: float(deltas[name][s, j]) for name in STAFF_FIELDS})
        for s, j in zip(*np.nonzero(changed), strict=True)
    ]


def _serving(part: SpecialtyPlan) -> dict[str, str]:
    """Outreach site → its team and acute site without a team → its covering team."""
    return {**{c.site: c.team for c in part.outreach}, **part.consult_cover}


def plan_to_scenario(plan: Plan, base: Scenario, region: Region) -> Scenario:
    """The plan as a complete scenario named '<base name> — optimeret': the base's year,
    digital shares, need-based follow-up, travel, organisations and optimisation settings,
    with the plan's choices for the optimised specialties and ``pool_staff: none``. The
    optimiser covers an acute site without a team from the covering team by the base's
    ``inpatient_cover`` rule, which the scenario keeps, so evaluate scores the plan as it
    was optimised."""
    # only the keys the base set: a travel model set by default must stay unset (evaluate
    # then keeps using the region's matrix)
    data: dict[str, Any] = base.model_dump(exclude_unset=True)
    optimised = {part.specialty: part for part in plan.specialties}
    outreach = {k: v for k, v in data.get("outreach", {}).items() if k not in optimised}
    for key in ("strength_positions", "assignments", "serving_teams"):
        data[key] = dict(data.get(key, {}))
    for spec, part in optimised.items():
        data["strength_positions"][spec] = list(part.strength_positions)
        if part.outreach:
            outreach[spec] = [{"site": c.site, "days_per_week": c.days_per_week}
                              for c in part.outreach]
        data["assignments"][spec] = dict(part.assignments)
        data["serving_teams"][spec] = _serving(part)
    note = f"Optimeret med bass optimise ({plan.status})."
    data.update(
        name=f"{base.name} — optimeret",
        description=f"{base.description.strip()}\n{note}".strip(),
        outreach=outreach,
        pool_staff="none",
        staffing_changes=[c.model_dump() for c in staffing_changes(plan, base, region)],
    )
    return Scenario.model_validate(data)
