"""Per-area values of one specialty that a map can colour municipalities by: travel minutes
to the in-person site, 2SFCA specialists per 100,000, digital share of outpatient contacts and
admissions + outpatient visits per 1,000 residents (before need-based follow-up)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation
from bassplan.domain.vocabulary import C_ADMISSION, C_FIRST_VISIT, C_FOLLOW_UP, FloatArray


@dataclass(frozen=True)
class AreaIndicator:
    """A map quantity: its id (also its label key), unit, decimals and which end is better."""

    id: str
    unit: str
    decimals: int
    lower_is_better: bool


AREA_INDICATORS = (
    AreaIndicator("area_travel_minutes", "min", 0, lower_is_better=True),
    AreaIndicator("area_specialists_per_100k", "per 100.000", 1, lower_is_better=False),
    AreaIndicator("area_digital_share", "%", 0, lower_is_better=False),
    AreaIndicator("area_contacts_per_1000", "per 1.000", 0, lower_is_better=True),
    AreaIndicator("area_morbidity", "×", 2, lower_is_better=True),
)


def area_indicator(indicator_id: str) -> AreaIndicator:
    """The map quantity with this id; KeyError if unknown."""
    for ind in AREA_INDICATORS:
        if ind.id == indicator_id:
            return ind
    raise KeyError(indicator_id)


def area_values(evaluation: Evaluation, specialty: int, indicator_id: str) -> FloatArray:
    """(A,) the quantity per area for the specialty at index ``specialty`` (nan where it is
    undefined, e.g. a digital share of an area without outpatient contacts)."""
    if indicator_id == "area_travel_minutes":
        values: FloatArray = evaluation.access.area_minutes[specialty]
        return values
    if indicator_id == "area_specialists_per_100k":
        values = evaluation.access.fca_per_100k[specialty]
        return values
    if indicator_id == "area_digital_share":
        split = evaluation.allocation.outpatient
        digital = split.digital[:, specialty].sum(axis=-1)
        total = digital + split.in_person[:, specialty].sum(axis=-1)
        with np.errstate(invalid="ignore", divide="ignore"):
            share: FloatArray = np.where(total > 0, 100.0 * digital / total, np.nan)
        return share
    if indicator_id == "area_contacts_per_1000":
        kinds = [C_ADMISSION, C_FIRST_VISIT, C_FOLLOW_UP]  # bed days and consults are not
        contacts = evaluation.demand[:, specialty, kinds].sum(axis=-1)  # a resident's contacts
        with np.errstate(invalid="ignore", divide="ignore"):
            rate: FloatArray = np.where(evaluation.residents > 0,
                                        1000.0 * contacts / evaluation.residents, np.nan)
        return rate
    if indicator_id == "area_morbidity":  # the region's local-morbidity multiplier
        local = evaluation.region.morbidity
        return np.ones(len(evaluation.region.areas)) if local is None else local[:, specialty]
    raise KeyError(indicator_id)


def inset_areas(region: Region) -> frozenset[str]:
    """The areas a map draws in an inset: those on an island reached only by a crossing
    (``Region.crossings``); none without crossings."""
    if region.crossings is None:
        return frozenset()
    return frozenset(a.code for a, island in zip(region.areas, region.crossings.island_of_area,
                                                 strict=True) if island >= 0)
