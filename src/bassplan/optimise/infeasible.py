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
from bassplan.domain.phrase import Phrase, phrase
from bassplan.domain.vocabulary import FloatArray
from bassplan.i18n.words import say
from bassplan.optimise._builder import Slack
from bassplan.optimise._highs import run
from bassplan.optimise.model import Model, build_model
from bassplan.optimise.request import OptimiseRequest

ORDER = ("fixed_open", "fixed_closed", "count_min", "count_max", "cover", "conserve", "moves",
         "min_team", "pool", "reach", "capacity", "access")
USED = 1e-6  # a slack above this was needed
PEOPLE_FAMILIES = ("conserve", "min_team", "pool")  # eased by lending across organisations


def _error(constraint: Phrase, place: Phrase | str, best: Phrase,
           hint: Phrase | None = None) -> InfeasiblePlanError:
    """The error with its English line and, for the pages, the same line (and a hint on what
    to change) as a phrase said in the reader's language."""
    line = phrase("inf_line", constraint=constraint, place=place, best=best)
    words = line if hint is None else phrase("inf_line_hint", line=line, hint=hint)
    english = (say(constraint, "en"), place if isinstance(place, str) else say(place, "en"),
               say(best, "en"))
    return InfeasiblePlanError(*english, words=words)


def explain_infeasible(request: OptimiseRequest, *, time_limit: float) -> InfeasiblePlanError:
    """The error that says why the request has no plan (to be raised by the caller)."""
    model = build_model(request, elastic=True)
    solution = run(model, model.penalty(), time_limit=time_limit, gap=0.0)
    if solution.values is None:
        return _error(phrase("inf_all_constraints"), phrase("inf_whole_region"),
                      phrase("inf_nothing"))
    values = solution.values
    used = [slack for slack in model.slacks if values[slack.column] > USED]
    for family in ORDER:
        hits = [slack for slack in used if slack.family == family]
        if hits:
            return _explain(model, values, family, hits)
    return _error(phrase("inf_all_constraints"), phrase("inf_whole_region"),
                  phrase("inf_tolerance"))


def percent(share: float) -> float:
    """A share as percent with at most one decimal (91, 46.2), which the phrases write as
    '91 %' and '46.2 %' (Danish '46,2 %')."""
    return round(100.0 * share, 1)


def joined(names: Sequence[str]) -> str:
    """'A, B, C': the names before the last, which the phrase joins with 'and'/'og'."""
    return ", ".join(names)


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
        other = "closed" if state == "open" else "open"
        return _error(phrase(f"inf_fixed_{state}", spec=spec), req.site_names[first.place],
                      phrase(f"inf_leave_{other}"))
    if family in ("count_min", "count_max"):
        col = model.columns[first.specialty]
        count = round(float(values[col.y].sum()))
        bound = (settings.min_strength_positions if family == "count_min"
                 else settings.max_strength_positions)
        return _error(phrase(f"inf_{family}", spec=spec, n=int(bound or 0)),
                      phrase("inf_candidates"), phrase("inf_positions", n=count))
    if family == "min_team":
        minimum = req.min_team_fte[first.specialty]
        return _error(phrase("inf_min_team", spec=spec, fte=float(minimum)),
                      req.site_names[first.place], phrase("inf_fte", fte=minimum - amount),
                      _people_hint(req, family))
    if family == "pool":
        pool = sum(req.pool[first.specialty]) if first.place < 0 else \
            req.pool[first.specialty, first.place]
        owner = (phrase("inf_region_pool") if first.place < 0
                 else phrase("inf_org_pool", org=req.organisation_ids[first.place]))
        col = model.columns[first.specialty]
        count = round(float(values[col.y].sum()))
        minimum = req.min_team_fte[first.specialty]
        return _error(phrase("inf_pool", spec=spec, n=count, fte=float(minimum)), owner,
                      phrase("inf_pool_best", have=float(pool), need=float(pool + amount)),
                      _people_hint(req, family))
    if family == "reach":
        minutes = req.site_minutes[first.team, first.place]
        rotation = req.cover_mode[first.specialty] == "rotation"
        return _error(phrase("inf_reach_rotation" if rotation else "inf_reach_consult",
                             spec=spec, minutes=float(req.consult_reach_minutes)),
                      req.site_names[first.place],
                      phrase("inf_cover_from", site=req.site_names[first.team],
                             minutes=float(minutes)))
    if family == "cover":
        return _error(phrase("inf_cover", spec=spec,
                             mode=phrase(f"opt_cover_{req.cover_mode[first.specialty]}")),
                      req.site_names[first.place], phrase("inf_no_team"))
    if family in ("conserve", "moves"):
        owner = (phrase("inf_region_specialists") if first.place < 0
                 else phrase("inf_org_specialists", org=req.organisation_ids[first.place]))
        if family == "conserve":
            return _error(phrase("inf_conserve", spec=spec), owner,
                          phrase("inf_unplaced", fte=amount), _people_hint(req, family))
        cap = float(req.move_cap[first.place])
        return _error(phrase("inf_moves", specs=", ".join(req.specialty_ids), cap=cap), owner,
                      phrase("inf_moved", fte=cap + amount))
    capacity = float(req.site_capacity[first.place])
    return _error(phrase("inf_capacity", visits=capacity), req.site_names[first.place],
                  phrase("inf_load", visits=capacity + amount))


def _people_hint(req: OptimiseRequest, family: str) -> Phrase | None:
    """What to change when a team cannot be formed from one organisation's specialists."""
    if family in PEOPLE_FAMILIES and not req.settings.allow_cross_organisation:
        return phrase("inf_hint_lend")
    return None


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
    limit = float(settings.access_minutes)
    constraint = (phrase("inf_access", spec=req.specialty_ids[s],
                         share=percent(settings.access_share), minutes=limit)
                  if top is None else
                  phrase("inf_access_top", spec=req.specialty_ids[s],
                         share=percent(settings.access_share), minutes=limit, n=int(top)))
    areas = phrase("inf_areas", names=joined(beyond[:-1]), last=beyond[-1]) \
        if len(beyond) > 1 else (beyond[0] if beyond else phrase("inf_no_area"))
    return _error(constraint, phrase("inf_beyond", areas=areas, minutes=limit),
                  phrase("inf_share_best", share=percent(best)))
