"""Explain one scorecard value: the steps from the inputs (residents, rates, minutes,
staffing, parameters) to the number, each with its unit and where it came from.

Each indicator's trace lives beside its computation (``professional``, ``staff``,
``organisational``) and computes its own last step from the steps before it, so the
explanation is a second derivation of the scored value, not a copy of it. Inputs marked
illustrative in the region data say so in the step's detail.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.results import Evaluation, Explanation, IndicatorDef
from bassplan.scorecard.common import SITE, scored_cells
from bassplan.scorecard.registry import indicator_of
from bassplan.scorecard.score import colour_of


def _choose(known: Sequence[str], value: str, field: str, where: str) -> int:
    """Index of value in known; InputError listing the known values otherwise."""
    if value not in known:
        rule = f"unknown {field} '{value}' (known: {', '.join(known)})"
        raise InputError("explain", where, field, rule)
    return list(known).index(value)


def explain(
    evaluation: Evaluation,
    indicators: Sequence[IndicatorDef],
    indicator_id: str,
    specialty_id: str,
    site_id: str | None,
) -> Explanation:
    """Trace how one indicator value for a specialty (and site, if site-level) arose."""
    where = f"indicator {indicator_id}"
    ind = indicators[_choose([i.id for i in indicators], indicator_id, "indicator", where)]
    region = evaluation.region
    s = _choose([sp.id for sp in region.specialties], specialty_id, "specialty", where)
    comp = indicator_of(ind)
    values = comp.compute(evaluation)
    j = -1
    if comp.level == SITE:
        scored = [region.sites[k].id for k in np.flatnonzero(scored_cells(evaluation)[s])]
        if site_id is None:
            rule = f"a site-level indicator needs a site (scored: {', '.join(scored)})"
            raise InputError("explain", where, "site", rule)
        _choose([site.id for site in region.sites], site_id, "site", where)
        _choose(scored, site_id, "site", f"{where}, scored sites of {specialty_id}")
        j = region.site_index(site_id)
        value = float(values[s, j])
    elif site_id is not None:
        rule = f"'{indicator_id}' is a specialty-level indicator; give no site"
        raise InputError("explain", where, "site", rule)
    else:
        value = float(values[s])
    steps = comp.trace(evaluation, s, j)
    return Explanation(ind.id, specialty_id, site_id, value, colour_of(value, ind), tuple(steps))
