"""Demand: contacts per year from residents, rates, morbidity and stays, by hand on the toy
region (the projection of residents: test_population.py)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from bassplan.domain.errors import InputError
from bassplan.domain.region import DemandRates, Region
from bassplan.model.demand import demand, local_demand
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
