"""Resident-weighted travel-time statistics against slow, obvious loop versions and
hand-computed values on the toy region."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassplan.domain.region import Region
from bassplan.model.equity import (
    share_within,
    weighted_gini,
    weighted_gini_rows,
    weighted_max_rows,
    weighted_mean,
    weighted_quantile,
    weighted_quantile_rows,
)
from tests.support.equity_oracles import loop_gini, loop_mean, loop_quantile, loop_share, loop_worst

# ---- loop oracles: the definitions written out, one resident group at a time ----------












def check_against_loops(values: list[float], weights: list[float]) -> None:
    v, w = np.array(values), np.array(weights)
    assert weighted_mean(v, w) == pytest.approx(loop_mean(values, weights), rel=1e-12)
    for q in (0.1, 0.5, 0.9, 1.0):
        assert weighted_quantile(v, w, q) == loop_quantile(values, weights, q)
    for limit in (0.0, 30.0, 45.0, 60.0):
        assert share_within(v, w, limit) == pytest.approx(
            loop_share(values, weights, limit), rel=1e-12, abs=1e-15
        )
    assert weighted_gini(v, w) == pytest.approx(loop_gini(values, weights), rel=1e-9, abs=1e-12)
    top, worst = weighted_max_rows(v, w)
    assert (top[0], worst[0]) == loop_worst(values, weights)


# ---- three named scenarios ---------------------------------------------------------


def test_all_residents_at_the_door() -> None:
    """Everyone lives next to the clinic: no travel and no inequality."""
    values, weights = [0.0, 0.0, 0.0], [100.0, 250.0, 50.0]
    check_against_loops(values, weights)
    v, w = np.array(values), np.array(weights)
    assert weighted_mean(v, w) == 0.0
    assert weighted_quantile(v, w, 0.9) == 0.0
    assert share_within(v, w, 30.0) == 1.0
    assert weighted_gini(v, w) == 0.0


def test_one_remote_village() -> None:
    """Nine towns of 1,000 at 10 minutes and a village of 100 at 120 minutes."""
    values = [10.0] * 9 + [120.0]
    weights = [1000.0] * 9 + [100.0]
    check_against_loops(values, weights)
    v, w = np.array(values), np.array(weights)
    # mean = (9,000 × 10 + 100 × 120) / 9,100 = 102,000 / 9,100
    assert weighted_mean(v, w) == pytest.approx(102_000 / 9_100)
    # 9,000 / 9,100 = 0.989 ≥ 0.9 are within 10 minutes, so P90 = 10, not 120
    assert weighted_quantile(v, w, 0.9) == 10.0
    assert weighted_quantile(v, w, 0.995) == 120.0
    # pairs differ only town × village: 2 × 9,000 × 100 × 110 / (2 × 9,100 × 102,000)
    assert weighted_gini(v, w) == pytest.approx(9_000 * 100 * 110 / (9_100 * 102_000))
    assert weighted_max_rows(v, w)[1][0] == 9


def test_an_empty_area_is_not_the_worst_off() -> None:
    """An area without residents far away changes no statistic and is not the worst-off."""
    values, weights = [20.0, 40.0, 500.0], [300.0, 100.0, 0.0]
    check_against_loops(values, weights)
    v, w = np.array(values), np.array(weights)
    top, worst = weighted_max_rows(v, w)
    assert (top[0], worst[0]) == (40.0, 1)
    assert weighted_quantile(v, w, 1.0) == 40.0
    assert weighted_gini(v, w) == pytest.approx(weighted_gini(v[:2], w[:2]))


# ---- hand values on the toy region ----------------------------------------------------


def test_toy_region_both_sites_serve(toy: Region) -> None:
    """Residents 600, 200, 500 at the nearest site: 10, 35 and 15 minutes."""
    w = toy.population.residents.sum(axis=1)
    assert list(w) == [600.0, 200.0, 500.0]
    v = toy.travel_minutes.min(axis=1) if toy.travel_minutes is not None else None
    assert v is not None
    assert list(v) == [10.0, 35.0, 15.0]
    # (600 × 10 + 200 × 35 + 500 × 15) / 1,300 = 20,500 / 1,300
    assert weighted_mean(v, w) == pytest.approx(20_500 / 1_300)
    # sorted: 10 (600), 15 (500), 35 (200): cumulative shares 0.46, 0.85, 1.0
    assert weighted_quantile(v, w, 0.9) == 35.0
    assert weighted_quantile(v, w, 0.8) == 15.0
    assert share_within(v, w, 30.0) == pytest.approx(1_100 / 1_300)
    assert share_within(v, w, 45.0) == 1.0
    # pairs: 5 × 600 × 500 + 25 × 600 × 200 + 20 × 500 × 200 = 6,500,000 (each way)
    # G = 2 × 6.5e6 / (2 × 1,300² × 20,500/1,300) = 13e6 / 53.3e6 = 10/41
    assert weighted_gini(v, w) == pytest.approx(10 / 41)
    top, worst = weighted_max_rows(v, w)
    assert (top[0], worst[0]) == (35.0, 1)


def test_toy_region_only_site_0_serves(toy: Region) -> None:
    """Only site 0 serves: 10, 35 and 80 minutes."""
    w = toy.population.residents.sum(axis=1)
    v = np.array([10.0, 35.0, 80.0])
    assert weighted_mean(v, w) == pytest.approx(53_000 / 1_300)
    assert weighted_quantile(v, w, 0.9) == 80.0
    assert share_within(v, w, 30.0) == pytest.approx(600 / 1_300)
    assert share_within(v, w, 60.0) == pytest.approx(800 / 1_300)
    # pairs: 25 × 600 × 200 + 70 × 600 × 500 + 45 × 200 × 500 = 28.5e6 (each way)
    # G = 57e6 / (2 × 1,300 × 53,000) = 285/689
    assert weighted_gini(v, w) == pytest.approx(285 / 689)


# ---- random inputs against the loops -------------------------------------------------

times = st.lists(
    st.one_of(st.integers(0, 120).map(float), st.floats(0.0, 300.0, allow_subnormal=False)),
    min_size=1,
    max_size=12,
)


@st.composite
def values_and_weights(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    values = draw(times)
    weights = draw(
        st.lists(
            st.one_of(st.just(0.0), st.integers(1, 5_000).map(float), st.floats(0.01, 1e5)),
            min_size=len(values),
            max_size=len(values),
        )
    )
    if sum(weights) == 0:
        weights[0] = 1.0
    return values, weights


@given(values_and_weights())
@settings(max_examples=300)
def test_random_inputs_match_the_loops(data: tuple[list[float], list[float]]) -> None:
    check_against_loops(*data)


@given(values_and_weights())
def test_gini_lies_between_0_and_1(data: tuple[list[float], list[float]]) -> None:
    values, weights = data
    assert 0.0 <= weighted_gini(np.array(values), np.array(weights)) <= 1.0


@given(st.floats(0.0, 500.0), st.lists(st.floats(0.01, 1e5), min_size=1, max_size=20))
def test_gini_is_zero_for_equal_times(time: float, weights: list[float]) -> None:
    assert weighted_gini(np.full(len(weights), time), np.array(weights)) == 0.0


@given(values_and_weights(), st.floats(0.01, 100.0))
def test_gini_is_scale_invariant(data: tuple[list[float], list[float]], factor: float) -> None:
    values, weights = data
    v, w = np.array(values), np.array(weights)
    assert weighted_gini(v * factor, w) == pytest.approx(weighted_gini(v, w), rel=1e-9, abs=1e-12)


def test_rows_are_independent_series() -> None:
    """The row forms give each specialty's row the result of the one-row form."""
    rng = np.random.default_rng(7)
    rows = rng.uniform(0, 100, size=(4, 30))
    w = rng.uniform(0, 1_000, size=30)
    ginis = weighted_gini_rows(rows, w)
    p90s = weighted_quantile_rows(rows, w, 0.9)
    for r in range(4):
        assert ginis[r] == pytest.approx(loop_gini(list(rows[r]), list(w)), rel=1e-9)
        assert p90s[r] == loop_quantile(list(rows[r]), list(w), 0.9)


def test_nobody_living_anywhere_gives_nan() -> None:
    v, w = np.array([10.0, 20.0]), np.zeros(2)
    assert np.isnan(weighted_mean(v, w))
    assert np.isnan(weighted_quantile(v, w, 0.9))
    assert np.isnan(weighted_gini(v, w))
    assert weighted_max_rows(v, w)[1][0] == -1


@pytest.mark.parametrize("q", [0.0, -0.1, 1.5])
def test_quantile_outside_0_1_is_refused(q: float) -> None:
    with pytest.raises(ValueError, match="quantile"):
        weighted_quantile(np.array([1.0]), np.array([1.0]), q)
