"""evaluate(): every stage composed, by hand on the toy region; scale on a large region."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bassplan.domain.errors import InputError
from bassplan.domain.region import (
    Area,
    DemandRates,
    Organisation,
    Population,
    Region,
    Site,
    Specialty,
    Staffing,
    WorkloadStandards,
)
from bassplan.domain.scenario import NeedBasedFollowUp, OutreachClinic, Scenario, TravelModel
from bassplan.domain.vocabulary import ContactType
from bassplan.model.evaluate import area_minutes, evaluate, supply_fte
from bassplan.model.travel import travel_matrix
from tests.support.scenarios import baseline, lever_scenario
from tests.support.toy import TOY_DEMAND, toy_region


def test_baseline_evaluation_on_toy(toy: Region) -> None:
    e = evaluate(toy, baseline())
    assert (e.scenario_name, e.year, e.region) == ("baseline", 2021, toy)
    np.testing.assert_array_equal(e.residents, [600.0, 200.0, 500.0])
    np.testing.assert_allclose(e.demand[:, 0, :], TOY_DEMAND)
    np.testing.assert_array_equal(e.travel_minutes, toy.travel_minutes)
    np.testing.assert_array_equal(e.travel_km, toy.travel_km)
    np.testing.assert_array_equal(e.allocation.outpatient_at, [[0, 0, 1]])
    np.testing.assert_array_equal(e.access.area_minutes, [[10.0, 35.0, 15.0]])
    np.testing.assert_array_equal(supply_fte(e.plan), [[4.0, 2.0]])
    np.testing.assert_allclose(e.transport.patient_km, [9730.0])


def test_lever_evaluation_on_toy(toy: Region) -> None:
    e = evaluate(toy, lever_scenario())
    # 2SFCA supply: s0's 6 FTE less one outreach day a week (1/5 FTE), which s1 gets
    np.testing.assert_allclose(supply_fte(e.plan), [[5.8, 0.2]])
    np.testing.assert_array_equal(
        area_minutes(e.allocation, e.travel_minutes), [[10.0, 35.0, 15.0]]
    )
    # catchment 45 min (inclusive): s0 reaches A0, A1 (800 residents), s1 reaches A1, A2 (700)
    # A0 = 5.8/800 × 1e5 = 725; A1 = (5.8/800 + 0.2/700) × 1e5 = 753.57; A2 = 28.57
    np.testing.assert_allclose(
        e.access.fca_per_100k, [[725.0, 725.0 + 20000 / 700, 20000 / 700]], rtol=1e-12
    )
    # WISN for team s0, standard minutes (60, 15, 45, 30, 30), digital × 0.5:
    # admissions 43·60 = 2580, bed days 215·15 = 3225, first visits (27 + 21.5 outreach)·45
    # = 2182.5, follow-ups (52.64 + 46.48 outreach)·30 = 2973.6, digital 24.78·30·0.5
    # = 371.7, consults 9.5·30 + 24.375·30 + 24.375·30·0.5 = 1381.875 → 12714.675 min
    # = 211.91125 h; PRO 88.5·5/60 = 7.375 h; staff travel 6282.5/60 = 104.7083 h
    # available hours/FTE 37·(52 − 6) − 20·37/5 = 1554; required = h / (1554 · 0.8)
    hours = 12714.675 / 60 + 7.375 + 6282.5 / 60
    np.testing.assert_allclose(e.workload.required_fte[0, 0], hours / 1243.2)
    np.testing.assert_allclose(e.workload.available_fte[0, 0], 6.5)  # 6 + 1 trainee × 0.5
    # on call: 6 × 1554 / (37 · 52) at s0, no team at s1
    np.testing.assert_allclose(e.on_call.rota_n[0, 0], 6 * 1554 / 1924)
    assert np.isnan(e.on_call.rota_n[0, 1])
    np.testing.assert_allclose(e.transport.staff_km, [[6282.5, 0.0]])


def test_strength_position_only_lengthens_far_travel(toy: Region) -> None:
    e = evaluate(toy, baseline(strength_positions={"kardiologi": ["s0"]}))
    np.testing.assert_array_equal(e.access.area_minutes, [[10.0, 35.0, 80.0]])
    np.testing.assert_array_equal(supply_fte(e.plan), [[6.0, 0.0]])


def test_projection_to_the_scenario_year(toy: Region) -> None:
    population = replace(toy.population, known_totals={2023: np.array([900.0, 300.0, 1000.0])})
    e = evaluate(replace(toy, population=population), baseline(year=2025))
    # no life table: no deaths. To 2023 the residual migration meets the totals, then none:
    # A0 (100, 200, 300) -> 2023 (100, 100, 600) × 900/800 = (112.5, 112.5, 675); two more
    # years with births 112.5: (112.5, 112.5, 900) = 1,125. A1 (0, 100, 100) -> 2023
    # (0, 0, 200) × 1.5 = (0, 0, 300), no births: 300. A2 (50, 50, 400) -> 2023 (50, 50, 500)
    # × 1000/600 -> 2025 (83.33, 83.33, 1000) = 1,166.67
    np.testing.assert_allclose(e.residents, [1125.0, 300.0, 3500.0 / 3.0])
    # A1: all 300 residents at age 2, whose admission rate is 100 per 1,000 → 30 admissions
    assert e.demand[1, 0, 0] == pytest.approx(30.0)


def test_scenario_travel_settings(toy: Region) -> None:
    # the region's matrix is used unless the scenario asks for the model
    fast = baseline(travel=TravelModel(speed_kmh=30.0))
    e = evaluate(toy, fast)
    minutes, km = travel_matrix(toy, speed_kmh=30.0, use_region_matrix=False)
    np.testing.assert_allclose(e.travel_minutes, minutes)
    np.testing.assert_allclose(e.travel_minutes, 2.0 * e.travel_km)  # 30 km/h: 2 min per km
    e = evaluate(toy, baseline(travel=TravelModel(model="great_circle")))
    np.testing.assert_allclose(e.travel_km, km)
    e = evaluate(toy, baseline(travel=TravelModel(model="matrix", matrix="m.csv")))
    np.testing.assert_array_equal(e.travel_minutes, toy.travel_minutes)
    with pytest.raises(InputError, match="no travel matrix"):
        evaluate(
            replace(toy, travel_minutes=None, travel_km=None),
            baseline(travel=TravelModel(model="matrix", matrix="m.csv")),
        )


def large_region(n_areas: int = 20_000, n_sites: int = 100, n_specialties: int = 7) -> Region:
    """A seeded region of the target size with single ages 0..100 and no travel matrix."""
    rng = np.random.default_rng(2024)
    n_ages = 101
    lat, lon = rng.uniform(54.6, 56.0, n_areas), rng.uniform(10.9, 12.6, n_areas)
    areas = tuple(Area(f"A{a}", f"Area {a}", float(lat[a]), float(lon[a])) for a in range(n_areas))
    site_lat, site_lon = rng.uniform(54.6, 56.0, n_sites), rng.uniform(10.9, 12.6, n_sites)
    sites = tuple(
        Site(
            f"s{j}",
            f"Site {j}",
            f"A{j}",
            float(site_lat[j]),
            float(site_lon[j]),
            j % 4 == 0,
            f"o{j // 10}",
        )
        for j in range(n_sites)
    )
    organisations = tuple(
        Organisation(f"o{k}", f"Org {k}", tuple(f"s{j}" for j in range(10 * k, 10 * k + 10)))
        for k in range(n_sites // 10)
    )
    shape = (n_specialties, n_sites)
    return toy_region(
        areas=areas,
        sites=sites,
        organisations=organisations,
        specialties=tuple(Specialty(f"sp{s}", "", "", 3.0) for s in range(n_specialties)),
        population=Population(
            2021,
            np.arange(n_ages, dtype=np.int64),
            rng.uniform(0, 20, (n_areas, n_ages)),
            {2025: rng.uniform(1000, 3000, n_areas)},
        ),
        rates=DemandRates(
            rng.uniform(0, 100, (n_specialties, 6, n_ages)) * np.array([1, 0, 1, 1, 1, 0])[
                None, :, None],
            np.zeros((n_specialties, 6), dtype=bool),
        ),
        staffing=Staffing(
            specialist_fte=rng.integers(1, 5, shape).astype(np.float64),
            trainee_fte=rng.integers(0, 5, shape).astype(np.float64),
            vacant_fte=rng.integers(0, 2, shape).astype(np.float64),
            on_call_specialists=rng.integers(0, 5, shape).astype(np.float64),
        ),
        workload=WorkloadStandards(
            np.full((n_specialties, 6), 30.0), np.ones((n_specialties, 6), dtype=bool)
        ),
        days_per_admission=np.full(shape, 3.0),
        travel_minutes=None,
        travel_km=None,
    )


def test_a_large_region_evaluates_with_consistent_totals() -> None:
    """Speed and memory live in benchmarks/bench_evaluate.py; here only the numbers."""
    region = large_region(n_areas=2_000, n_sites=40)
    scenario = Scenario(
        name="scale",
        year=2025,
        strength_positions={"sp0": ["s0", "s36"], "sp3": ["s8"]},
        outreach={"sp0": [OutreachClinic(site="s13", days_per_week=2.0)]},
        digital_share={"default": {ContactType.FOLLOW_UP: 0.3, ContactType.CONSULT: 0.5}},
        need_based_follow_up={"default": NeedBasedFollowUp(pro_share=0.5, trigger_rate=0.4)},
    )
    e = evaluate(region, scenario)
    assert e.access.area_minutes.shape == (7, 2_000)
    np.testing.assert_allclose(e.residents.sum(), region.population.known_totals[2025].sum())
