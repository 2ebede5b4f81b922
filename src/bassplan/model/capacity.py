"""Capacity-aware outpatient assignment: every service point sees no more in-person visits
than it has room for, the rest goes on to the next site, and what no site can take is
reported as unserved (architecture.md, stage 3b).

Capacity in in-person outpatient visits per year:

- an outreach clinic (a site with outreach days that is not a strength position): days per
  week × ``clinic_weeks_per_year`` × ``outreach_visits_per_day``;
- a strength position: the team's clinical hours (available FTE × available hours per FTE
  × (1 − category allowance), the hours WISN weighs the workload against) less the hours
  its other work takes — inpatient work at its site and where it rotates, consults,
  dialysis, digital contacts, PRO review, staff travel and the visits its outreach
  clinics see — divided by the specialty's mean minutes per in-person visit.

Order: each area's visits start at its own service point (``Allocation.outpatient_at``:
the nearest, or the scenario's assignment). Outreach clinics are filled first; a clinic
keeps its nearest residents up to capacity and passes the rest to its serving strength
position (own organisation first, ``plan.serving_team``). Then strength positions, the
most overloaded first: each keeps its nearest residents and passes the excess to the
strength positions with room, own organisation first, then by site-to-site minutes.
What finds no room is unserved. Areas are handled as vectors; only sites are looped over.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from bassplan.domain.parameters import MINUTES_PER_HOUR
from bassplan.domain.region import Region
from bassplan.domain.results import Allocation, ServicePlan
from bassplan.domain.vocabulary import (
    C_FIRST_VISIT,
    C_FOLLOW_UP,
    M_OUTREACH,
    M_STRENGTH_POSITION,
    FloatArray,
    IntArray,
)
from bassplan.model.transport import staff_travel
from bassplan.model.workload import clinical_hours, team_hours

TOLERANCE = 1e-9  # visits/year below which a remainder counts as placed
_OUTPATIENT = (C_FIRST_VISIT, C_FOLLOW_UP)


def clinic_capacity(region: Region, plan: ServicePlan) -> FloatArray:
    """(S, J) in-person visits/year outreach clinics hold: days per week × clinic weeks ×
    visits per outreach day (0 where the specialty holds no clinic)."""
    params = region.parameters
    per_day_year = params.clinic_weeks_per_year * params.outreach_visits_per_day
    return np.asarray(plan.outreach_days_per_week * per_day_year, dtype=np.float64)


def minutes_per_visit(region: Region, allocation: Allocation) -> FloatArray:
    """(S,) specialist minutes of one in-person outpatient visit: the workload standards of
    first visits and follow-ups, weighted by the specialty's own mix of the two."""
    visits = allocation.outpatient.in_person.sum(axis=0)  # (S, 2) first visits, follow-ups
    standards = region.workload.minutes[:, list(_OUTPATIENT)]  # (S, 2)
    total = visits.sum(axis=1)
    mixed = np.divide((visits * standards).sum(axis=1), total, out=standards.mean(axis=1),
                      where=total > 0)
    return np.asarray(mixed, dtype=np.float64)


def with_share(allocation: Allocation, plan: ServicePlan, share: FloatArray) -> Allocation:
    """The allocation with in-person outpatient visits seen where ``share`` (S, A, J) says:
    in the strength-position column at strength positions, the outreach column elsewhere."""
    contacts = allocation.contacts.copy()
    strength = plan.strength_position
    for k, c in enumerate(_OUTPATIENT):
        seen = np.einsum("as,saj->sj", allocation.outpatient.in_person[:, :, k], share)
        contacts[:, :, c, M_STRENGTH_POSITION] = np.where(strength, seen, 0.0)
        contacts[:, :, c, M_OUTREACH] = np.where(strength, 0.0, seen)
    return replace(allocation, contacts=contacts, outpatient_share=share)


def _nearest_first(minutes: FloatArray, j: int) -> IntArray:
    """(A,) the areas in order of travel minutes to site j (ties: lower index first)."""
    order: IntArray = np.argsort(minutes[:, j], kind="stable")
    return order


def _ration(visits: FloatArray, share_at: FloatArray, capacity: FloatArray,
            nearest_first: IntArray) -> FloatArray:
    """(S, A) share of each area's visits a site must pass on: it keeps its nearest areas'
    visits (``nearest_first`` orders the areas) up to ``capacity`` (S,) visits/year."""
    load = visits * share_at  # (S, A)
    ordered = load[:, nearest_first]
    before = np.cumsum(ordered, axis=1) - ordered
    kept_ordered = np.clip(capacity[:, None] - before, 0.0, ordered)
    kept = np.empty_like(load)
    kept[:, nearest_first] = kept_ordered
    moved: FloatArray = np.divide(load - kept, visits, out=np.zeros_like(load), where=visits > 0)
    return np.minimum(moved, share_at)


def serve_within_capacity(
    region: Region, plan: ServicePlan, allocation: Allocation, minutes: FloatArray,
    site_minutes: FloatArray, site_km: FloatArray, organisation: IntArray,
) -> Allocation:
    """Move the in-person visits of ``allocation`` (first choices) so that no service point
    sees more than its capacity; ``organisation`` (J,) numbers the sites' organisations.
    Returns the allocation with the real assignment, capacities and unserved visits."""
    visits = allocation.outpatient.in_person.sum(axis=-1).T  # (S, A)
    n_specialties, n_areas = visits.shape
    strength = plan.strength_position
    share = allocation.outpatient_share.copy()
    specialties = np.arange(n_specialties)
    areas = np.arange(n_areas)

    # outreach clinics: keep the nearest residents, pass the rest to the serving team
    clinics = np.where(strength, 0.0, clinic_capacity(region, plan))
    for j in np.flatnonzero((clinics > 0).any(axis=0)):
        capacity = np.where(strength[:, j], np.inf, clinics[:, j])
        moved = _ration(visits, share[:, :, j], capacity, _nearest_first(minutes, int(j)))
        share[:, :, j] -= moved
        target = plan.serving_team[:, j]
        has_target = target >= 0
        rows = specialties[has_target]
        share[rows[:, None], areas[None, :], target[has_target][:, None]] += moved[has_target]

    # strength positions: the team's hours left after its other work, in visits
    partial = with_share(allocation, plan, np.where(strength[:, None, :], 0.0, share))
    _, staff_hours, _ = staff_travel(region, plan, partial, site_km, site_minutes)
    _, committed = team_hours(region, plan, partial, staff_hours)
    spare_hours = np.maximum(clinical_hours(region, plan) - committed, 0.0)
    per_visit = minutes_per_visit(region, allocation)[:, None]
    team = np.divide(spare_hours * MINUTES_PER_HOUR, per_visit,
                     out=np.full_like(spare_hours, np.inf), where=per_visit > 0)
    capacity = np.where(strength, team, clinics)
    share = _overflow_strength(plan, visits, share, capacity, minutes, organisation,
                               site_minutes)

    served = share.sum(axis=2)
    result = with_share(allocation, plan, share)
    return replace(result, outpatient_capacity=capacity,
                   unserved=np.maximum(visits * (1.0 - served), 0.0))


def _overflow_strength(
    plan: ServicePlan, visits: FloatArray, share: FloatArray, capacity: FloatArray,
    minutes: FloatArray, organisation: IntArray, site_minutes: FloatArray,
) -> FloatArray:
    """Pass each strength position's excess to strength positions with room (own
    organisation first, then the nearest), the most overloaded site first."""
    strength = plan.strength_position
    load = np.einsum("sa,saj->sj", visits, share)
    excess = np.where(strength, load - capacity, 0.0)
    for j in np.argsort(-excess.max(axis=0), kind="stable"):
        if excess[:, j].max() <= TOLERANCE:
            break
        moved = _ration(visits, share[:, :, j], np.where(strength[:, j], capacity[:, j], np.inf),
                        _nearest_first(minutes, j))
        share[:, :, j] -= moved
        amounts = (moved * visits).sum(axis=1)  # (S,) visits/year to place
        load[:, j] -= amounts
        rank = np.lexsort((site_minutes[j], organisation != organisation[j]))
        for s in np.flatnonzero(amounts > TOLERANCE):
            remaining = amounts[s]
            for k in rank:
                room = capacity[s, k] - load[s, k]
                if k == j or not strength[s, k] or room <= TOLERANCE:
                    continue
                take = min(room, remaining)
                share[s, :, k] += moved[s] * (take / amounts[s])
                load[s, k] += take
                remaining -= take
                if remaining <= TOLERANCE:
                    break
    return share
