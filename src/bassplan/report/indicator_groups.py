"""The indicator table a planner works in: the scorecard's rows filtered by perspective,
specialty and site, and grouped by indicator (its thresholds said once, with a count of
each colour), so the Scorecard page is read group by group instead of as one long list."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bassplan.domain.vocabulary import Colour
from bassplan.report.sections import IndicatorRow

SPECIALTY_LEVEL = "_specialty"  # the site filter's value for the specialty as a whole
COLOUR_ORDER = (Colour.RED, Colour.YELLOW, Colour.GREEN, Colour.NONE)


@dataclass(frozen=True)
class IndicatorFilter:
    """What the reader chose: a perspective, specialty and site id ('' = all; the site
    ``SPECIALTY_LEVEL`` = the specialty-level values only)."""

    perspective: str = ""
    specialty: str = ""
    site: str = ""

    @property
    def active(self) -> bool:
        """Whether anything is filtered out."""
        return bool(self.perspective or self.specialty or self.site)

    def keeps(self, row: IndicatorRow) -> bool:
        """Whether ``row`` passes every chosen filter."""
        site = SPECIALTY_LEVEL if row.site_id == "" else row.site_id
        return ((not self.perspective or row.perspective_id == self.perspective)
                and (not self.specialty or row.specialty_id == self.specialty)
                and (not self.site or site == self.site))


@dataclass(frozen=True)
class IndicatorGroup:
    """One indicator's rows: its perspective, name and thresholds, and how many rows have
    each colour (worst first, as (colour, count) pairs)."""

    perspective_id: str
    perspective: str
    indicator_id: str
    indicator: str
    thresholds: str
    counts: tuple[tuple[str, int], ...]
    rows: tuple[IndicatorRow, ...]


def chosen_filter(perspective: str | None, specialty: str | None, site: str | None,
                  known: tuple[set[str], set[str], set[str]]) -> IndicatorFilter:
    """The filter of a page's query: each value kept only if it is one of the ``known``
    perspective, specialty and site ids (anything else means 'all')."""
    wanted = (perspective or "", specialty or "", site or "")
    kept = [value if value in ids else "" for value, ids in zip(wanted, known, strict=True)]
    return IndicatorFilter(*kept)


def group_rows(rows: Sequence[IndicatorRow], chosen: IndicatorFilter) -> tuple[IndicatorGroup, ...]:
    """The rows ``chosen`` keeps, grouped by indicator in the rows' (catalogue) order."""
    groups: dict[str, list[IndicatorRow]] = {}
    for row in rows:
        if chosen.keeps(row):
            groups.setdefault(row.indicator_id, []).append(row)
    result = []
    for members in groups.values():
        first = members[0]
        counts = tuple((str(c), n) for c in COLOUR_ORDER
                       if (n := sum(1 for r in members if r.colour == c)) > 0)
        result.append(IndicatorGroup(first.perspective_id, first.perspective, first.indicator_id,
                                     first.indicator, first.thresholds, counts, tuple(members)))
    return tuple(result)
