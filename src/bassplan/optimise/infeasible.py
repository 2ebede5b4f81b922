"""Why no plan exists, in words: re-solve with a penalised slack on every constraint family
that can fail (the elastic model of ``model``), see which family had to give, and say
which constraint, where, and the best value the other constraints allow.

Structural families (fixed sites, counts, minimum teams, pools, consult reach, clinic
capacity) cost far more per unit than the access share, so the elastic optimum keeps them
whole when it can and otherwise maximises the share of residents within the limit: that
share is the best reachable, and the areas left beyond the limit are named.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bassplan.domain.errors import InfeasiblePlanError
from bassplan.domain.vocabulary import FloatArray
from bassplan.optimise._builder import Slack
from bassplan.optimise._highs import run
from bassplan.optimise.model import Model, build_model
from bassplan.optimise.request import OptimiseRequest

ORDER = ("fixed_open", "fixed_closed", "count_min", "count_max", "cover", "conserve", "moves",
         "min_team", "pool", "reach", "capacity", "access")
USED = 1e-6  # a slack above this was needed


def explain_infeasible(request: OptimiseRequest, *, time_limit: float) -> InfeasiblePlanError:
    """The error that says why the request has no plan (to be raised by the caller)."""
    model = build_model(request, elastic=True)
    solution = run(model, model.penalty(), time_limit=time_limit, gap=0.0)
    if solution.values is None:
        return InfeasiblePlanError("the plan's constraints", "the whole region",
                                   "nothing: no plan exists even with every limit relaxed")
    values = solution.values
    used = [slack for slack in model.slacks if values[slack.column] > USED]
    for family in ORDER:
        hits = [slack for slack in used if slack.family == family]
        if hits:
            return _explain(model, values, family, hits)
    return InfeasiblePlanError("the plan's constraints", "the whole region",
                               "a plan only within HiGHS's numerical tolerances")


def percent(share: float) -> str:
    """A share as '91 %' or '46.2 %'."""
    value = round(100.0 * share, 1)
    return f"{value:.0f} %" if value == round(value) else f"{value:.1f} %"


def joined(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _explain(model: Model, values: FloatArray, family: str,
             hits: list[Slack]) -> InfeasiblePlanError:
    """The message for the first broken family."""
    req = model.request
    first = hits[0]
    spec = req.specialty_ids[first.specialty] if first.specialty >= 0 else ""
    settings = req.settings
    amount = float(values[first.column])
    if family == "access":
        return _access(model, values, first.specialty)
    if family in ("fixed_open", "fixed_closed"):
        state = "open" if family == "fixed_open" else "closed"
        return InfeasiblePlanError(f"{spec}: a strength position fixed {state}",
                                   req.site_names[first.place],
                                   f"to leave it {'closed' if state == 'open' else 'open'}")
    if family in ("count_min", "count_max"):
        col = model.columns[first.specialty]
        count = round(float(values[col.y].sum()))
        bound = (f"at least {settings.min_strength_positions}" if family == "count_min"
                 else f"at most {settings.max_strength_positions}")
        return InfeasiblePlanError(f"{spec}: {bound} strength positions",
                                   "the candidate sites", f"{count} strength positions")
    if family == "min_team":
        minimum = req.min_team_fte[first.specialty]
        return InfeasiblePlanError(f"{spec}: a minimum team of {minimum:g} FTE",
                                   req.site_names[first.place],
                                   f"{minimum - amount:.1f} FTE")
    if family == "pool":
        pool = sum(req.pool[first.specialty]) if first.place < 0 else \
            req.pool[first.specialty, first.place]
        owner = ("the region's staff pool" if first.place < 0
                 else f"the staff pool of {req.organisation_ids[first.place]}")
        col = model.columns[first.specialty]
        count = round(float(values[col.y].sum()))
        minimum = req.min_team_fte[first.specialty]
        return InfeasiblePlanError(
            f"{spec}: {count} strength positions with minimum teams of {minimum:g} FTE",
            owner, f"{pool:.1f} FTE of the {pool + amount:.1f} FTE needed")
    if family == "reach":
        minutes = req.site_minutes[first.team, first.place]
        rotation = req.cover_mode[first.specialty] == "rotation"
        what = "rotating cover" if rotation else "consult cover"
        why = "(specialists work on the ward)" if rotation else "(no video consults)"
        return InfeasiblePlanError(
            f"{spec}: {what} within {req.consult_reach_minutes:g} min {why}",
            req.site_names[first.place],
            f"cover from {req.site_names[first.team]} at {minutes:.0f} min")
    if family == "cover":
        return InfeasiblePlanError(
            f"{spec}: inpatient cover ({req.cover_mode[first.specialty]}) of every acute site",
            req.site_names[first.place], "no team to cover its admissions")
    if family in ("conserve", "moves"):
        owner = ("the region's specialists" if first.place < 0
                 else f"the specialists of {req.organisation_ids[first.place]}")
        if family == "conserve":
            return InfeasiblePlanError(
                f"{spec}: every specialist FTE placed at a strength position or released",
                owner, f"{amount:.1f} FTE without a place")
        cap = req.move_cap[first.place]
        return InfeasiblePlanError(f"{', '.join(req.specialty_ids)}: at most {cap:g} FTE moved",
                                   owner, f"{cap + amount:.1f} FTE moved")
    capacity = req.site_capacity[first.place]
    return InfeasiblePlanError(f"clinic capacity of {capacity:,.0f} visits/year",
                               req.site_names[first.place],
                               f"a load of {capacity + amount:,.0f} visits/year")


def _access(model: Model, values: FloatArray, s: int) -> InfeasiblePlanError:
    """Access share: the best share the other constraints allow and the areas beyond."""
    req = model.request
    settings = req.settings
    col = model.columns[s]
    assigned = col.point_site[values[col.x].argmax(axis=1)]
    minutes = req.minutes[np.arange(req.residents.size), assigned]
    within = minutes <= settings.access_minutes
    best = float(req.residents[within].sum() / req.residents.sum())
    beyond = [req.area_names[a] for a in np.flatnonzero(~within & (req.residents > 0))]
    top = settings.max_strength_positions
    count = f" with at most {top} strength positions" if top is not None else ""
    limit = f"{settings.access_minutes:g} min"
    return InfeasiblePlanError(
        f"{req.specialty_ids[s]}: {percent(settings.access_share)} of residents within "
        f"{limit}{count}",
        f"{joined(beyond) if beyond else 'no area'} (beyond {limit} in the best plan)",
        f"{percent(best)} of residents")
