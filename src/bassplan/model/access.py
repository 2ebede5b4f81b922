"""Access per specialty: how far residents travel to their outpatient site, how evenly
that burden falls, and how many specialists lie within reach (2SFCA).

Two-step floating catchment area (Luo & Wang 2003), binary catchment d0 minutes:

    step 1, per site j:   R_j = S_j / Σ_{a: t_aj ≤ d0} P_a
    step 2, per area a:   A_a = 100,000 × Σ_{j: t_aj ≤ d0} R_j

with S_j the specialist FTE at site j, P_a the residents of area a and t_aj the travel
minutes. The catchment is inclusive (t ≤ d0), as in PySAL ``access``. A site with no
residents in reach has R_j = 0 (its supply serves nobody); an area with no site in reach
has A_a = 0.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.results import Access
from bassplan.domain.vocabulary import FloatArray
from bassplan.model.equity import (
    share_within,
    share_within_rows,
    weighted_gini,
    weighted_gini_rows,
    weighted_max_rows,
    weighted_mean,
    weighted_mean_rows,
    weighted_quantile,
    weighted_quantile_rows,
)

__all__ = [
    "PER_RESIDENTS",
    "assess_access",
    "share_within",
    "two_step_fca",
    "two_step_fca_rows",
    "weighted_gini",
    "weighted_mean",
    "weighted_quantile",
]

PER_RESIDENTS = 100_000.0  # 2SFCA is reported as specialists per 100,000 residents
P90 = 0.9


def two_step_fca_rows(
    supply: FloatArray, residents: FloatArray, minutes: FloatArray, catchment_minutes: float
) -> FloatArray:
    """(R, A) 2SFCA specialists per 100,000 residents for supply (R, J), one row per
    specialty; residents (A,), minutes (A, J). The catchment is shared by every row."""
    supply_rows = np.atleast_2d(np.asarray(supply, dtype=np.float64))
    reach = (np.asarray(minutes) <= catchment_minutes).astype(np.float64)  # (A, J)
    demand_in_reach = np.asarray(residents, dtype=np.float64) @ reach  # (J,)
    ratio = np.divide(
        supply_rows,
        demand_in_reach[None, :],
        out=np.zeros_like(supply_rows),
        where=demand_in_reach[None, :] > 0,
    )  # (R, J) specialists per resident in each site's catchment
    return np.asarray(ratio @ reach.T * PER_RESIDENTS, dtype=np.float64)


def two_step_fca(
    supply: FloatArray, residents: FloatArray, minutes: FloatArray, catchment_minutes: float
) -> FloatArray:
    """(A,) 2SFCA specialists per 100,000 residents, for supply (J,) FTE by site,
    residents (A,) and travel minutes (A, J) within ``catchment_minutes``."""
    rows = two_step_fca_rows(supply, residents, minutes, catchment_minutes)
    return np.asarray(rows[0], dtype=np.float64)


def _check_shapes(
    area_minutes: FloatArray,
    residents: FloatArray,
    supply_fte: FloatArray,
    travel_minutes: FloatArray,
) -> None:
    """Raise ValueError unless the arrays agree on S, A and J."""
    n_specialties, n_areas = area_minutes.shape
    n_sites = travel_minutes.shape[1]
    expected = {
        "residents": (residents.shape, (n_areas,)),
        "supply_fte": (supply_fte.shape, (n_specialties, n_sites)),
        "travel_minutes": (travel_minutes.shape, (n_areas, n_sites)),
    }
    for name, (got, want) in expected.items():
        if got != want:
            raise ValueError(f"{name} has shape {got}, expected {want}")


def assess_access(
    area_minutes: FloatArray,
    residents: FloatArray,
    supply_fte: FloatArray,
    travel_minutes: FloatArray,
    catchment_minutes: float,
) -> Access:
    """Access and equity of every specialty over residents: travel minutes (S, A) to the
    in-person outpatient site, residents (A,), 2SFCA supply FTE (S, J) by site."""
    _check_shapes(area_minutes, residents, supply_fte, travel_minutes)
    max_minutes, worst_area = weighted_max_rows(area_minutes, residents)
    return Access(
        area_minutes=area_minutes,
        mean_minutes=weighted_mean_rows(area_minutes, residents),
        p90_minutes=weighted_quantile_rows(area_minutes, residents, P90),
        max_minutes=max_minutes,
        share_within_30=share_within_rows(area_minutes, residents, 30.0),
        share_within_45=share_within_rows(area_minutes, residents, 45.0),
        share_within_60=share_within_rows(area_minutes, residents, 60.0),
        gini=weighted_gini_rows(area_minutes, residents),
        worst_area=worst_area,
        fca_per_100k=two_step_fca_rows(supply_fte, residents, travel_minutes, catchment_minutes),
    )
