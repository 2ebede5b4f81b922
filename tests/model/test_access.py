"""2SFCA and the access assessment against nested-loop versions and hand values."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassplan.domain.region import Region
from bassplan.model.access import assess_access, two_step_fca, two_step_fca_rows
from tests.support.equity_oracles import loop_gini, loop_mean, loop_quantile, loop_share, loop_worst

# ---- loop oracle: Luo & Wang (2003) written out site by site, area by area ------------


def loop_2sfca(
    supply: list[float], residents: list[float], minutes: list[list[float]], d0: float
) -> list[float]:
    n_areas, n_sites = len(residents), len(supply)
    ratio = []
    for j in range(n_sites):
        demand = 0.0
        for a in range(n_areas):
            if minutes[a][j] <= d0:
                demand += residents[a]
        ratio.append(supply[j] / demand if demand > 0 else 0.0)
    result = []
    for a in range(n_areas):
        total = 0.0
        for j in range(n_sites):
            if minutes[a][j] <= d0:
                total += ratio[j]
        result.append(total * 100_000)
    return result


def check_fca(supply: list[float], residents: list[float], minutes: list[list[float]]) -> None:
    got = two_step_fca(np.array(supply), np.array(residents), np.array(minutes), 45.0)
    want = loop_2sfca(supply, residents, minutes, 45.0)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-9)


# ---- three named scenarios ---------------------------------------------------------


def test_all_residents_at_the_door() -> None:
    """Every area reaches every site: everyone shares all supply, 10 FTE per 2,000."""
    supply, residents = [6.0, 4.0], [500.0, 1_500.0]
    minutes = [[0.0, 0.0], [0.0, 0.0]]
    check_fca(supply, residents, minutes)
    got = two_step_fca(np.array(supply), np.array(residents), np.array(minutes), 45.0)
    # 6/2,000 + 4/2,000 = 0.005 per resident = 500 per 100,000
    np.testing.assert_allclose(got, [500.0, 500.0])


def test_one_remote_village() -> None:
    """A village beyond the catchment gets 0; the towns share the site's supply."""
    supply, residents = [3.0], [1_000.0, 2_000.0, 50.0]
    minutes = [[10.0], [30.0], [90.0]]
    check_fca(supply, residents, minutes)
    got = two_step_fca(np.array(supply), np.array(residents), np.array(minutes), 45.0)
    np.testing.assert_allclose(got, [100.0, 100.0, 0.0])  # 3 / 3,000 × 100,000


def test_a_site_nobody_reaches() -> None:
    """A site beyond everyone's catchment adds nothing: its supply serves nobody."""
    supply, residents = [2.0, 50.0], [1_000.0, 1_000.0]
    minutes = [[20.0, 200.0], [40.0, 300.0]]
    check_fca(supply, residents, minutes)
    got = two_step_fca(np.array(supply), np.array(residents), np.array(minutes), 45.0)
    np.testing.assert_allclose(got, [100.0, 100.0])  # only site 0: 2 / 2,000


def test_catchment_is_inclusive(toy: Region) -> None:
    """Toy region, d0 = 45: area 1 lies exactly 45 minutes from site 1 and counts.

    Site 0 reaches areas 0, 1 (600 + 200 = 800 residents): R0 = 4 / 800 = 0.005.
    Site 1 reaches areas 1, 2 (200 + 500 = 700 residents): R1 = 2 / 700.
    """
    residents = toy.population.residents.sum(axis=1)
    assert toy.travel_minutes is not None
    got = two_step_fca(np.array([4.0, 2.0]), residents, toy.travel_minutes, 45.0)
    r0, r1 = 4 / 800 * 100_000, 2 / 700 * 100_000
    np.testing.assert_allclose(got, [r0, r0 + r1, r1], rtol=1e-12)


# ---- random inputs against the loop ---------------------------------------------------


@st.composite
def fca_inputs(draw: st.DrawFn) -> tuple[list[float], list[float], list[list[float]]]:
    n_areas = draw(st.integers(1, 8))
    n_sites = draw(st.integers(1, 5))
    supply = draw(st.lists(st.floats(0.0, 20.0), min_size=n_sites, max_size=n_sites))
    residents = draw(
        st.lists(st.one_of(st.just(0.0), st.floats(1.0, 1e5)), min_size=n_areas, max_size=n_areas)
    )
    minute = st.one_of(st.just(45.0), st.integers(0, 120).map(float), st.floats(0.0, 120.0))
    minutes = draw(
        st.lists(
            st.lists(minute, min_size=n_sites, max_size=n_sites),
            min_size=n_areas,
            max_size=n_areas,
        )
    )
    return supply, residents, minutes


@given(fca_inputs())
@settings(max_examples=300)
def test_random_inputs_match_the_loop(
    data: tuple[list[float], list[float], list[list[float]]],
) -> None:
    check_fca(*data)


def test_rows_are_specialties_sharing_one_catchment() -> None:
    rng = np.random.default_rng(3)
    supply = rng.uniform(0, 10, size=(3, 6))
    residents = rng.uniform(0, 5_000, size=20)
    minutes = rng.uniform(0, 90, size=(20, 6))
    got = two_step_fca_rows(supply, residents, minutes, 30.0)
    for s in range(3):
        want = loop_2sfca(list(supply[s]), list(residents), minutes.tolist(), 30.0)
        np.testing.assert_allclose(got[s], want, rtol=1e-12, atol=1e-9)


# ---- the assessment -------------------------------------------------------------------


def test_assess_access_on_the_toy_region(toy: Region) -> None:
    """Two specialties: one served at both sites (10, 35, 15 min), one at site 0 only."""
    residents = toy.population.residents.sum(axis=1)
    assert toy.travel_minutes is not None
    area_minutes = np.array([[10.0, 35.0, 15.0], [10.0, 35.0, 80.0]])
    supply = np.array([[4.0, 2.0], [5.0, 0.0]])
    result = assess_access(area_minutes, residents, supply, toy.travel_minutes, 45.0)
    np.testing.assert_allclose(result.mean_minutes, [20_500 / 1_300, 53_000 / 1_300])
    np.testing.assert_array_equal(result.p90_minutes, [35.0, 80.0])
    np.testing.assert_array_equal(result.max_minutes, [35.0, 80.0])
    np.testing.assert_array_equal(result.worst_area, [1, 2])
    np.testing.assert_allclose(result.share_within_30, [1_100 / 1_300, 600 / 1_300])
    np.testing.assert_allclose(result.share_within_45, [1.0, 800 / 1_300])
    np.testing.assert_allclose(result.share_within_60, [1.0, 800 / 1_300])
    np.testing.assert_allclose(result.gini, [10 / 41, 285 / 689])
    # specialty 1: only site 0 staffed, 5 FTE over its 800 residents in reach
    r0, r1 = 4 / 800 * 100_000, 2 / 700 * 100_000
    np.testing.assert_allclose(
        result.fca_per_100k, [[r0, r0 + r1, r1], [625.0, 625.0, 0.0]], rtol=1e-12
    )
    assert result.area_minutes is area_minutes


def test_assess_access_matches_the_loops_per_specialty() -> None:
    rng = np.random.default_rng(11)
    n_spec, n_areas, n_sites = 4, 25, 5
    minutes = rng.uniform(0, 100, size=(n_areas, n_sites)).round()
    residents = rng.integers(0, 3_000, size=n_areas).astype(float)
    nearest = minutes.min(axis=1)
    area_minutes = nearest[None, :] + rng.integers(0, 20, size=(n_spec, n_areas))
    supply = rng.uniform(0, 8, size=(n_spec, n_sites))
    result = assess_access(area_minutes, residents, supply, minutes, 40.0)
    w = list(residents)
    for s in range(n_spec):
        v = list(area_minutes[s])
        assert result.mean_minutes[s] == pytest.approx(loop_mean(v, w), rel=1e-12)
        assert result.p90_minutes[s] == loop_quantile(v, w, 0.9)
        assert (result.max_minutes[s], result.worst_area[s]) == loop_worst(v, w)
        for limit, got in ((30, result.share_within_30), (45, result.share_within_45)):
            assert got[s] == pytest.approx(loop_share(v, w, limit), rel=1e-12)
        assert result.share_within_60[s] == pytest.approx(loop_share(v, w, 60), rel=1e-12)
        assert result.gini[s] == pytest.approx(loop_gini(v, w), rel=1e-9)
        want = loop_2sfca(list(supply[s]), w, minutes.tolist(), 40.0)
        np.testing.assert_allclose(result.fca_per_100k[s], want, rtol=1e-12, atol=1e-9)


def test_mismatched_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="supply_fte"):
        assess_access(np.zeros((2, 3)), np.ones(3), np.ones((2, 5)), np.zeros((3, 4)), 45.0)
