"""Score an evaluation on the catalogue: each indicator's value per cell, coloured by its
thresholds, and the views built on the scores (heat-map, colour changes)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from bassplan.domain.results import Evaluation, IndicatorDef, Score, Scorecard
from bassplan.domain.vocabulary import Colour, Direction, Perspective
from bassplan.scorecard.common import SITE, scored_cells
from bassplan.scorecard.registry import indicator_of

_SEVERITY = {Colour.NONE: 0, Colour.GREEN: 1, Colour.YELLOW: 2, Colour.RED: 3}


@dataclass(frozen=True)
class ColourChange:
    """One indicator value whose colour differs between two scenarios (a → b)."""

    indicator_id: str
    specialty_id: str
    site_id: str | None
    value_a: float
    colour_a: Colour
    value_b: float
    colour_b: Colour


def colour_of(value: float, indicator: IndicatorDef) -> Colour:
    """Traffic-light colour of a value by the indicator's thresholds (nan → NONE)."""
    if math.isnan(value):
        return Colour.NONE
    if indicator.direction == Direction.HIGHER_IS_BETTER:
        if value >= indicator.green:
            return Colour.GREEN
        return Colour.RED if value < indicator.red else Colour.YELLOW
    if value <= indicator.green:
        return Colour.GREEN
    return Colour.RED if value > indicator.red else Colour.YELLOW


def score(evaluation: Evaluation, indicators: Sequence[IndicatorDef]) -> Scorecard:
    """Compute and colour every indicator: site-level ones per scored specialty × site cell,
    specialty-level ones once per specialty (site None)."""
    region = evaluation.region
    cells = np.argwhere(scored_cells(evaluation))  # row-major: specialty, then site
    scores: list[Score] = []
    for ind in indicators:
        comp = indicator_of(ind)
        values = comp.compute(evaluation)
        if comp.level == SITE:
            for s, j in cells:
                v = float(values[s, j])
                spec, site = region.specialties[s].id, region.sites[j].id
                scores.append(Score(ind.id, spec, site, v, colour_of(v, ind)))
        else:
            for s, spec_def in enumerate(region.specialties):
                v = float(values[s])
                scores.append(Score(ind.id, spec_def.id, None, v, colour_of(v, ind)))
    return Scorecard(evaluation.scenario_name, tuple(indicators), tuple(scores))


def worst_colour(colours: Iterable[Colour]) -> Colour:
    """The most severe colour: red > yellow > green > none (NONE for no colours)."""
    return max(colours, key=_SEVERITY.__getitem__, default=Colour.NONE)


def heatmap(scorecard: Scorecard) -> dict[tuple[str, str | None, Perspective], Colour]:
    """Worst colour of each perspective's indicators per (specialty, site or None) cell."""
    perspective = {ind.id: ind.perspective for ind in scorecard.indicators}
    cells: dict[tuple[str, str | None, Perspective], Colour] = {}
    for sc in scorecard.scores:
        key = (sc.specialty_id, sc.site_id, perspective[sc.indicator_id])
        cells[key] = worst_colour((cells.get(key, Colour.NONE), sc.colour))
    return cells


def changed_colours(a: Scorecard, b: Scorecard) -> list[ColourChange]:
    """Scores whose colour differs from scenario a to b, with both values; a score present in
    one scorecard only counts as nan / NONE in the other. Order: a's scores, then b's new ones."""
    by_key_a = {(s.indicator_id, s.specialty_id, s.site_id): s for s in a.scores}
    by_key_b = {(s.indicator_id, s.specialty_id, s.site_id): s for s in b.scores}
    keys = list(by_key_a) + [k for k in by_key_b if k not in by_key_a]
    changes: list[ColourChange] = []
    for key in keys:
        sa, sb = by_key_a.get(key), by_key_b.get(key)
        va, ca = (sa.value, sa.colour) if sa else (math.nan, Colour.NONE)
        vb, cb = (sb.value, sb.colour) if sb else (math.nan, Colour.NONE)
        if ca != cb:
            changes.append(ColourChange(key[0], key[1], key[2], va, ca, vb, cb))
    return changes
