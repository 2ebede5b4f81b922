"""Pure access: where p strength positions of one specialty put the residents' in-person
outpatient visits closest, by the exact p-median engine (``bassplan.pmedian``).

This is the plain p-median special case of ``optimise``: no staff, outreach, capacity or
access constraint, and the patients' travel minutes as the only cost. Each area's weight
is its in-person outpatient visits a year as the evaluation counts them (after need-based
follow-up and the digital share); the cost is the one-way travel minutes area → site. The
engine proves the optimum on the region's whole area × site matrix in milliseconds where
the general MILP needs seconds, so it answers "where, if only access counted?" at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.results import Evaluation
from bassplan.domain.scenario import Scenario
from bassplan.pmedian import solve_pmedian

SOURCE = "locate"


@dataclass(frozen=True)
class Location:
    """The p strength positions of one specialty that minimise patient travel minutes."""

    specialty: str
    sites: tuple[str, ...]  # site ids, in the region's order
    visits: float  # in-person outpatient visits per year that were placed
    mean_minutes: float  # one-way minutes per visit to the nearest chosen site
    lower_bound_minutes: float  # proven lower bound of the mean
    status: str  # 'optimal' | 'gap_reached' | 'time_limit'
    seconds: float


def candidate_sites(evaluation: Evaluation, candidates: Sequence[str] | None) -> list[int]:
    """Indices of the sites that may hold a strength position: the ids given, else every
    active acute site; InputError names an unknown or inactive site."""
    region = evaluation.region
    if not candidates:
        return [int(j) for j in np.flatnonzero(region.acute_mask)]
    known = {s.id: j for j, s in enumerate(region.sites)}
    picked: list[int] = []
    for k, site_id in enumerate(candidates):
        if site_id not in known:
            raise InputError(SOURCE, f"candidates[{k}]", "site",
                             f"unknown site '{site_id}' (known: {', '.join(known)})")
        if not region.sites[known[site_id]].active:
            raise InputError(SOURCE, f"candidates[{k}]", "site", f"site '{site_id}' is not active")
        picked.append(known[site_id])
    return sorted(set(picked))


def locate(evaluation: Evaluation, specialty: str, p: int,
           candidates: Sequence[str] | None = None, time_limit: float = 60.0) -> Location:
    """Choose ``p`` of the candidate sites for ``specialty`` minimising the visits' travel
    minutes; proven optimal unless the time limit (seconds) stops the engine first."""
    region = evaluation.region
    ids = [s.id for s in region.specialties]
    if specialty not in ids:
        raise InputError(SOURCE, "", "specialty",
                         f"unknown specialty '{specialty}' (known: {', '.join(ids)})")
    s = ids.index(specialty)
    columns = candidate_sites(evaluation, candidates)
    if not 1 <= p <= len(columns):
        raise InputError(SOURCE, "", "p", f"must lie in 1..{len(columns)} (the candidate sites)")
    weights = evaluation.allocation.outpatient.in_person[:, s, :].sum(axis=1)  # (A,)
    cost = evaluation.travel_minutes[:, columns]
    result = solve_pmedian(cost, weights, p, time_limit=time_limit)
    visits = float(weights.sum())
    return Location(
        specialty=specialty,
        sites=tuple(region.sites[columns[k]].id for k in result.open_sites),
        visits=visits,
        mean_minutes=result.objective / visits if visits > 0 else float("nan"),
        lower_bound_minutes=result.lower_bound / visits if visits > 0 else float("nan"),
        status=result.status,
        seconds=result.seconds,
    )


def location_to_scenario(location: Location, base: Scenario) -> Scenario:
    """The base scenario with the specialty's strength positions at the chosen sites and no
    outreach clinics, assignments or serving-team choices of its own (nearest site serves)."""
    spec = location.specialty

    def without(table: dict[str, object]) -> dict[str, object]:
        return {k: v for k, v in table.items() if k != spec}

    return base.model_copy(update={
        "name": f"{base.name} — {spec}: {', '.join(location.sites)}",
        "strength_positions": {**base.strength_positions, spec: list(location.sites)},
        "outreach": without(dict(base.outreach)),
        "assignments": without(dict(base.assignments)),
        "serving_teams": without(dict(base.serving_teams)),
    })
