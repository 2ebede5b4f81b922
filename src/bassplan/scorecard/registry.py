"""Every indicator the scorecard knows, by perspective; the catalogue (``indicators.csv``)
must name exactly these, with the same perspective, level and unit."""

from __future__ import annotations

from collections.abc import Mapping

from bassplan.domain.errors import InputError
from bassplan.domain.results import IndicatorDef
from bassplan.scorecard import organisational, professional, staff
from bassplan.scorecard.common import Indicator

INDICATORS: tuple[Indicator, ...] = (
    *professional.INDICATORS, *staff.INDICATORS, *organisational.INDICATORS
)
BY_ID: Mapping[str, Indicator] = {ind.id: ind for ind in INDICATORS}


def indicator_of(definition: IndicatorDef) -> Indicator:
    """The indicator a catalogue row names; InputError if it has none or another level."""
    found = BY_ID.get(definition.id)
    where = f"indicator {definition.id}"
    if found is None:
        known = ", ".join(sorted(BY_ID))
        raise InputError("indicator catalogue", where, "id", f"no computation (known: {known})")
    if found.level != definition.level:
        rule = f"level '{definition.level}' but the computation is '{found.level}'-level"
        raise InputError("indicator catalogue", where, "level", rule)
    return found
