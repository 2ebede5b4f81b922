"""Demand: residents of the scenario year (``model.population``) times contact rates per
1,000 residents, then local morbidity and lengths of stay."""

from __future__ import annotations

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.region import DemandRates
from bassplan.domain.vocabulary import C_ADMISSION, C_BED_DAY, FloatArray


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
