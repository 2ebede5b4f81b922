"""Demand: population projection and contacts per year, checked by hand on the toy region."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bassplan.domain.errors import InputError
from bassplan.domain.region import DemandRates, Population, Region
from bassplan.model.demand import age_forward, demand, local_demand, project_population
from tests.support.toy import TOY_DEMAND


def test_toy_demand_by_hand(toy: Region) -> None:
    rated = demand(toy.population.residents, toy.rates)
    assert rated.shape == (3, 1, 6)
    assert not rated[:, :, 1].any()  # bed days are not a rate
    days = np.full((3, 1), 5.0)
    np.testing.assert_allclose(local_demand(rated, None, days)[:, 0, :], TOY_DEMAND)


def test_local_morbidity_scales_every_contact_type_and_stays_follow_admissions(
    toy: Region,
) -> None:
    rated = demand(toy.population.residents, toy.rates)
    morbidity = np.array([[1.0], [2.0], [1.0]])  # A1 twice the rates
    days = np.array([[5.0], [3.0], [4.0]])  # days of each area's admitting site
    got = local_demand(rated, morbidity, days)[:, 0, :]
    # A1 by hand: admissions 11 × 2 = 22, bed days 22 × 3 = 66, first visits 7 × 2 = 14,
    # follow-ups 24 × 2 = 48, consults 2.5 × 2 = 5; A2 bed days 40.5 × 4 = 162
    np.testing.assert_allclose(got[1], [22.0, 66.0, 14.0, 48.0, 5.0, 0.0])
    np.testing.assert_allclose(got[2], [40.5, 162.0, 21.5, 83.0, 8.25, 0.0])
    np.testing.assert_allclose(got[0], TOY_DEMAND[0])


def test_demand_rejects_mismatched_ages(toy: Region) -> None:
    with pytest.raises(InputError, match="single ages"):
        demand(toy.population.residents[:, :2], toy.rates)


def test_projection_to_base_year_is_identity(toy: Region) -> None:
    projected = project_population(toy.population, 2021)
    np.testing.assert_array_equal(projected, toy.population.residents)
    assert projected is not toy.population.residents


def test_ageing_by_hand(toy: Region) -> None:
    # A0 = (100, 200, 300), top age 2 open-ended, births held at the base age 0 (100)
    # +1 year: age0 = 100 (new), age1 = 100 (was 0), age2 = 200 + 300 = 500
    # +2: 100, 100, 100 + 200 + 300 = 600; +3: 100, 100, 600 + 100 = 700
    a0 = toy.population.residents[:1]
    np.testing.assert_allclose(age_forward(a0, 1), [[100.0, 100.0, 500.0]])
    np.testing.assert_allclose(age_forward(a0, 2), [[100.0, 100.0, 600.0]])
    np.testing.assert_allclose(age_forward(a0, 3), [[100.0, 100.0, 700.0]])


def _age_step_by_step(residents: np.ndarray, years: int) -> np.ndarray:
    """Slow oracle: one year at a time, one area and one age at a time."""
    current = residents.copy()
    for _ in range(years):
        nxt = np.zeros_like(current)
        for a in range(current.shape[0]):
            top = current.shape[1] - 1
            nxt[a, 0] = residents[a, 0]
            for age in range(1, top):
                nxt[a, age] = current[a, age - 1]
            if top > 0:
                nxt[a, top] = current[a, top] + current[a, top - 1]
            else:
                nxt[a, 0] = current[a, 0] + residents[a, 0]
        current = nxt
    return current


@settings(max_examples=60, deadline=None)
@given(
    residents=arrays(np.float64, (3, 6), elements=st.floats(0, 1e4)),
    years=st.integers(0, 12),
)
def test_ageing_matches_step_by_step_oracle(residents: np.ndarray, years: int) -> None:
    np.testing.assert_allclose(
        age_forward(residents, years), _age_step_by_step(residents, years), rtol=1e-12
    )


def test_projection_scales_to_latest_known_total(toy: Region) -> None:
    # known totals for 2022 and 2030; 2025 uses 2022's, the latest at or before 2025
    population = replace(
        toy.population,
        known_totals={
            2019: np.array([5.0, 5.0, 5.0]),  # before the base year: never used
            2022: np.array([1200.0, 400.0, 1000.0]),
            2030: np.array([1.0, 1.0, 1.0]),
        },
    )
    np.testing.assert_array_equal(project_population(population, 2021), toy.population.residents)
    projected = project_population(population, 2025)
    np.testing.assert_allclose(projected.sum(axis=1), [1200.0, 400.0, 1000.0])
    # A1 = (0, 100, 100) aged 4 years: (0, 0, 200), scaled ×2 to 400: (0, 0, 400)
    np.testing.assert_allclose(projected[1], [0.0, 0.0, 400.0])


def test_projection_without_known_totals_only_ages(toy: Region) -> None:
    projected = project_population(toy.population, 2022)
    # totals grow by the new birth cohort (age 0): 600+100, 200+0, 500+50
    np.testing.assert_allclose(projected.sum(axis=1), [700.0, 200.0, 550.0])


def test_projection_before_base_year_is_rejected(toy: Region) -> None:
    with pytest.raises(InputError, match="before the population base year"):
        project_population(toy.population, 2020)


def test_zero_area_stays_zero_when_scaled(toy: Region) -> None:
    residents = toy.population.residents.copy()
    residents[1] = 0.0
    population = replace(
        toy.population, residents=residents, known_totals={2021: np.array([600.0, 50.0, 500.0])}
    )
    projected = project_population(population, 2021)
    np.testing.assert_array_equal(projected[1], 0.0)
    np.testing.assert_allclose(projected[0], residents[0])


populations = arrays(np.float64, (4, 5), elements=st.floats(0, 1e5))


@settings(max_examples=60, deadline=None)
@given(p=populations, q=populations, k=st.floats(0, 100))
def test_demand_is_linear_in_residents(p: np.ndarray, q: np.ndarray, k: float) -> None:
    rng = np.random.default_rng(7)
    rates = DemandRates(
        per_1000=rng.uniform(0, 500, (2, 5, 5)), illustrative=np.zeros((2, 5), dtype=bool)
    )
    np.testing.assert_allclose(demand(k * p, rates), k * demand(p, rates), rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(
        demand(p + q, rates), demand(p, rates) + demand(q, rates), rtol=1e-9, atol=1e-6
    )


@settings(max_examples=60, deadline=None)
@given(
    p=arrays(np.float64, (4, 5), elements=st.floats(1, 1e5)),
    targets=arrays(np.float64, (4,), elements=st.floats(0, 1e6)),
    years=st.integers(0, 30),
)
def test_projection_identity_and_known_totals(
    p: np.ndarray, targets: np.ndarray, years: int
) -> None:
    base = Population(
        base_year=2020, ages=np.arange(5, dtype=np.int64), residents=p, known_totals={}
    )
    np.testing.assert_array_equal(project_population(base, 2020), p)
    with_totals = replace(base, known_totals={2020 + years: targets})
    projected = project_population(with_totals, 2020 + years)
    np.testing.assert_allclose(projected.sum(axis=1), targets, rtol=1e-9, atol=1e-9)
    # the age shape is the aged-forward one, only scaled
    aged = age_forward(p, years)
    np.testing.assert_allclose(
        projected * aged.sum(axis=1, keepdims=True),
        aged * targets[:, None],
        rtol=1e-9,
        atol=1e-6,
    )
