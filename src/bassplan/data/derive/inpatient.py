"""Admissions, bed days and consults by single age: steps 1-6 of ``derive_rates``.

All profiles are per person per year (multiply by 1,000 for 'per 1,000 residents').
``weights`` are the region's residents by single age in the base year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from bassplan.data.derive.ages import ADULT_AGE, AGES, parse_band, spread_bands
from bassplan.data.derive.sourcefacts import Fact, SourceFile, cite_rows
from bassplan.domain.vocabulary import FloatArray

NORWAY = "Norway (Nordic comparator, not Denmark)"
NORWAY_BANDS: tuple[str, ...] = (
    "0",
    "1-4",
    *(f"{lo}-{lo + 4}" for lo in range(5, 70, 5)),
)
STAYS = "inpatient stays (heldøgnsopphold) per 1,000 residents"
RAMP_PIVOT = 69  # last age of the last Norwegian band, 65-69: the rise starts there


@dataclass(frozen=True)
class Profile:
    """A rate by single age (per person per year) and the citations it rests on."""

    values: FloatArray
    cites: tuple[str, ...]


def admission_shape(use: SourceFile, weights: FloatArray) -> Profile:
    """Step 1: the all-cause admission age shape S(a), on the Norwegian 2004 scale.

    Ages 0-69 take the Norwegian stays per 1,000 by band. From 70 the rate rises linearly
    from the 65-69 value, S(a) = S65 · (1 + k(a − 69)), with k chosen so that the
    population-weighted mean at 80+ over the mean at 65-79 equals ρ = (medical bed days
    80+ / 65-79, 'more than 2', taken as 2) × (ALOS 65-79 / ALOS 80+, Danish 2018).
    """
    stays = use.band_facts(NORWAY_BANDS, measure=STAYS, sex="both", population_setting=NORWAY)
    bands = [parse_band(b) for b in NORWAY_BANDS]
    shape = spread_bands(bands, [f.value for f in stays])
    base = stays[-1].value
    bed_ratio = use.fact(
        form="bound",
        measure="ratio of medical-department bed days per 1,000, age 80+ vs 65-79",
        age_group="80+ vs 65-79",
    )
    los_80, los_65 = danish_los(use)
    rho = bed_ratio.value * los_65.value / los_80.value
    k = ramp_slope(rho, weights)
    old = AGES >= 70
    shape[old] = base * (1.0 + k * (AGES[old] - RAMP_PIVOT))
    cites = (
        f"{cite_rows(stays)} (Norway 2004, ages 0-69)",
        f"80+ extension: ρ = {bed_ratio.value:g} × {los_65.value:g}/{los_80.value:g} "
        f"= {rho:.3f} from {bed_ratio.cite}, {los_65.cite}, {los_80.cite}; slope k = {k:.4f}/year",
    )
    return Profile(shape, cites)


def ramp_slope(rho: float, weights: FloatArray) -> float:
    """Solve k so that mean S over 80+ / mean S over 65-79 = ρ (S flat at 65-69)."""
    offset = (AGES - RAMP_PIVOT).astype(float)
    old, mid, ramp = AGES >= 80, (AGES >= 65) & (AGES <= 79), (AGES >= 70) & (AGES <= 79)
    m80 = float(weights[old] @ offset[old] / weights[old].sum())
    m65 = float(weights[ramp] @ offset[ramp] / weights[mid].sum())
    return (rho - 1.0) / (m80 - rho * m65)


def danish_los(use: SourceFile) -> tuple[Fact, Fact]:
    """Danish average length of stay 2018 at 80+ and 65-79 (days per admission)."""
    los_80 = use.fact(measure="average length of stay", age_group="80+", period="2018")
    los_65 = use.fact(measure="average length of stay", age_group="65-79", period="2018")
    return los_80, los_65


def scale_to_level(shape: Profile, weights: FloatArray, level: Fact) -> Profile:
    """Step 2: R(a) = S(a) × level / (population-weighted mean of S): the region's
    all-cause admissions per person, totalling ``level`` per 1,000 residents."""
    mean = float(weights @ shape.values) / float(weights.sum())
    values = shape.values * (level.value / 1000.0) / mean
    return Profile(values, (*shape.cites, f"scaled to {level.value:g} per 1,000 ({level.cite})"))


def medical_admissions(all_cause: Profile, weights: FloatArray, share: float) -> FloatArray:
    """Step 3: the seven specialties' admissions M(a): adults only, in proportion to R(a),
    scaled so that Σ residents × M = share × Σ residents × R."""
    adult: FloatArray = np.where(AGES >= ADULT_AGE, all_cause.values, 0.0)
    total = float(weights @ all_cause.values)
    adult_total = float(weights @ adult)
    scaled: FloatArray = adult * (share * total / adult_total)
    return scaled


def split_by_specialty(
    medical: FloatArray, split: Mapping[str, tuple[float, int]]
) -> dict[str, FloatArray]:
    """Step 4: at each age, share M(a) among the specialties that admit at that age
    (weight w_s, from ``min_age``) in proportion to their weights."""
    ids = list(split)
    active = np.array([w * (min_age <= AGES) for w, min_age in (split[s] for s in ids)])
    total = active.sum(axis=0)
    frac = np.divide(active, total, out=np.zeros_like(active), where=total > 0)
    return {s: medical * frac[k] for k, s in enumerate(ids)}


def consults(all_cause: FloatArray, medical: FloatArray, rate: float, min_age: int) -> FloatArray:
    """Step 6: consults = rate × admissions outside the seven specialties (adults from
    ``min_age``): patients admitted to e.g. surgery who need this specialty's review."""
    other = (all_cause - medical) * (max(min_age, ADULT_AGE) <= AGES)
    return np.clip(other, 0.0, None) * rate


def danish_population(use: SourceFile) -> Fact:
    """Denmark's population (persons), as stated with the 2013 hospital-days total."""
    rows = use.rows(measure="hospital days, total (inpatient and emergency admissions)")
    for row in rows:
        setting = row.cells.get("population_setting", "")
        if "population" in setting and "million" in setting:
            number = setting.split("population", 1)[1].split("million", 1)[0].strip()
            return Fact(float(number) * 1e6, f"{use.name} row {row.number} ({setting})")
    raise use.table.error(None, "population_setting", "no row states Denmark's population")
