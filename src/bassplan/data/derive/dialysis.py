"""Haemodialysis sessions per resident by single age: step 9 of ``rates``.

Level (sourced): at the end of 2021, 2,605 Danes were in dialysis, 80 % in haemodialysis,
26 % treated at home (all peritoneal dialysis, 20 %, and 6 % home haemodialysis), so
80 − (26 − 20) = 74 % came to a unit: 1,928 patients among 5,840,045 residents. Each comes
three times a week (the midpoint of the region's "two to four days a week"), 52 weeks.

Age shape (partly sourced): the Danish Nephrology Registry's incidence of treated end-stage
kidney disease by band in 2011 (60-69: 234, 70-79: 398, 80+: 341 per million) for ages 60+;
illustrative below (18-44 at 0.15 and 45-59 at 0.5 of the 60-69 level; none under 18). The
shape is scaled so that Denmark's age structure — approximated by the 2.7 million residents
of Region Sjælland and Region Hovedstaden, 46 % of the country — gives the national level.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bassplan.data.derive.ages import AGES, TOP_AGE, region_weights
from bassplan.data.derive.sourcefacts import Fact, SourceFile
from bassplan.domain.vocabulary import FloatArray

FOUND_FILE = "found_facts.csv"
HOVEDSTADEN_FILE = "region_hovedstaden_population_by_age_2021.csv"
WEEKS_PER_YEAR = 52.0
ILLUSTRATIVE_BELOW_60 = ((18, 44, 0.15), (45, 59, 0.5))  # share of the 60-69 level


def _band(epi: SourceFile, band: str) -> Fact:
    """Incidence of treated end-stage kidney disease in one age band, 2011."""
    return epi.fact(condition="end-stage renal disease (treated)", age_group=band,
                    measure="incidence", **{"period": "2011"})


def age_shape(epi: SourceFile) -> tuple[FloatArray, str]:
    """Relative dialysis prevalence by single age (60-69 = 1) and its citation."""
    sixties, seventies, eighties = (_band(epi, b) for b in ("60-69", "70-79", "80+"))
    shape = np.zeros(TOP_AGE + 1)
    for low, high, share in ILLUSTRATIVE_BELOW_60:
        shape[(low <= AGES) & (high >= AGES)] = share
    shape[(AGES >= 60) & (AGES <= 69)] = 1.0
    shape[(AGES >= 70) & (AGES <= 79)] = seventies.value / sixties.value
    shape[AGES >= 80] = eighties.value / sixties.value
    cite = (f"age shape {sixties.cite}, {seventies.cite}, {eighties.cite} (treated ESKD "
            f"incidence 2011) from 60; illustrative below 60")
    return shape, cite


def sessions_per_person(sources: Path, epi: SourceFile, weights: FloatArray
                        ) -> tuple[FloatArray, str]:
    """(n_ages,) haemodialysis sessions per resident per year, and the trace text.

    ``weights`` are Region Sjælland's residents by single age; Region Hovedstaden's are read
    from ``sources`` to approximate the national age structure.
    """
    found = SourceFile(sources / FOUND_FILE)
    patients = found.fact(item="patients in dialysis")
    haemo = found.fact(item="share of dialysis patients in haemodialysis")
    home = found.fact(item="share of dialysis patients treated at home")
    residents = found.fact(item="residents of Denmark")
    per_week = found.fact(item="haemodialysis sessions per week", form="midpoint")
    in_centre = patients.value * (haemo.value - (home.value - (100.0 - haemo.value))) / 100.0
    shape, shape_cite = age_shape(epi)
    structure = weights + region_weights(sources / HOVEDSTADEN_FILE)
    level = in_centre / residents.value  # patients per resident
    scale = level * structure.sum() / float(structure @ shape)
    sessions = per_week.value * WEEKS_PER_YEAR
    trace = (f"step 9: {in_centre:,.0f} in-centre haemodialysis patients = {patients.cite} × "
             f"({haemo.cite} − ({home.cite} − PD)) / {residents.cite}; × {per_week.value:g} "
             f"sessions/week ({per_week.cite}) × {WEEKS_PER_YEAR:g} weeks; {shape_cite}; "
             f"national age structure ≈ Region Sjælland + {HOVEDSTADEN_FILE}")
    return np.asarray(shape * scale * sessions, dtype=np.float64), trace
