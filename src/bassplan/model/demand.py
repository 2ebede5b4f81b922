"""Demand: residents projected to the scenario year, times contact rates per 1,000 residents.

Projection ages the base-year single-age population forward (cohort shift, open top age,
every new birth cohort the size of the base year's age 0) and then scales each area to its
latest known total, so known municipal totals are met while the age shape is modelled.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.region import DemandRates, Population
from bassplan.domain.vocabulary import C_ADMISSION, C_BED_DAY, FloatArray


def age_forward(residents: FloatArray, years: int) -> FloatArray:
    """Age a (A, n_ages) single-age population ``years`` years forward (residents).

    Each cohort moves up one age a year, the top age is open-ended and accumulates, and
    every new age-0 cohort equals the base year's age 0 (births held at the base level).
    """
    if years < 0:
        raise ValueError(f"cannot age a population backwards ({years} years)")
    if years == 0:
        return residents.astype(np.float64, copy=True)
    n_ages = residents.shape[1]
    top = n_ages - 1
    source = np.arange(n_ages) - years  # age in the base year of today's age i (i < top)
    aged = residents[:, np.clip(source, 0, None)]  # source < 0: a new birth cohort = age 0
    # the top age holds every base cohort at age >= top - years, plus the birth cohorts
    # born early enough to have reached it (years - top of them when years > top)
    aged[:, top] = residents[:, max(top - years, 0) :].sum(axis=1)
    aged[:, top] += max(years - top, 0) * residents[:, 0]
    return aged


def project_population(population: Population, year: int) -> FloatArray:
    """Residents by area and single age (A, n_ages) in ``year``.

    The base population is aged forward to ``year``; then each area is scaled so its total
    equals the latest known total from the base year up to ``year`` (``known_totals``).
    An area whose aged total is 0 cannot be scaled and stays at 0.
    """
    if year < population.base_year:
        raise InputError(
            "scenario",
            "year",
            "year",
            f"{year} is before the population base year {population.base_year}",
        )
    aged = age_forward(population.residents, year - population.base_year)
    known = [y for y in population.known_totals if population.base_year <= y <= year]
    if not known:
        return aged
    latest = max(known)
    target = np.asarray(population.known_totals[latest], dtype=np.float64)
    if target.shape != (aged.shape[0],):
        raise InputError(
            "area_totals",
            f"year {latest}",
            "residents",
            f"has shape {target.shape}, the population {aged.shape[0]} areas",
        )
    totals = aged.sum(axis=1)
    factor = np.divide(target, totals, out=np.ones_like(totals), where=totals > 0)
    scaled: FloatArray = aged * factor[:, None]
    return scaled


def demand(residents_by_age: FloatArray, rates: DemandRates) -> FloatArray:
    """Contacts per year (A, S, C): Σ over ages of residents × rate per 1,000 / 1,000."""
    per_1000 = rates.per_1000
    n_specialties, n_contacts, n_ages = per_1000.shape
    if residents_by_age.shape[1] != n_ages:
        raise InputError(
            "rates",
            "",
            "age_to",
            f"rates cover {n_ages} single ages, the population {residents_by_age.shape[1]}",
        )
    flat = residents_by_age @ per_1000.reshape(n_specialties * n_contacts, n_ages).T
    result = np.asarray(flat, dtype=np.float64).reshape(-1, n_specialties, n_contacts) / 1000.0
    return result


def local_demand(contacts: FloatArray, morbidity: FloatArray | None,
                 days_per_admission: FloatArray) -> FloatArray:
    """Contacts (A, S, C) after local morbidity and lengths of stay: every contact type of
    specialty s in area a × ``morbidity[a, s]`` (None = 1), then bed days = admissions ×
    ``days_per_admission[a, s]`` (the days of the site that admits the area)."""
    result = contacts * morbidity[:, :, None] if morbidity is not None else contacts.copy()
    result[:, :, C_BED_DAY] = result[:, :, C_ADMISSION] * days_per_admission
    return result
