"""Transport: km, hours, CO2 and savings by hand on the toy region, by loops on random ones."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassplan.domain.region import Region
from bassplan.domain.results import Transport
from bassplan.domain.scenario import OutreachClinic, Scenario
from bassplan.model.allocate import allocate, plan_services
from bassplan.model.evaluate import scenario_demand
from bassplan.model.transport import assess_transport
from bassplan.model.travel import site_to_site, travel_matrix
from tests.support.scenarios import (
    ADM,
    BED,
    DIAL,
    FU,
    FV,
    baseline,
    lever_scenario,
    random_region,
    random_scenario,
)


def transport_for(region: Region, scenario: Scenario) -> Transport:
    minutes, km = travel_matrix(region)
    site_minutes, site_km = site_to_site(region, minutes, km)
    plan = plan_services(region, scenario, site_minutes)
    dem, admitted = scenario_demand(region, region.population.residents, minutes)
    allocation = allocate(region, plan, dem, minutes, admitted)
    return assess_transport(region, plan, allocation, dem, minutes, km, site_minutes, site_km,
                            2021)


def test_baseline_transport_on_toy(toy: Region) -> None:
    transport = transport_for(toy, baseline())
    # round trips × km: A0 (20 + 70 + 32) × 2 × 10 = 2440, A1 (7 + 24 + 11) × 2 × 35 = 2940,
    # A2 (21.5 + 83 + 40.5) × 2 × 15 = 4350; total 9730 km; minutes = km in the toy
    np.testing.assert_allclose(transport.patient_km, [9730.0])
    np.testing.assert_allclose(transport.patient_hours, [9730.0 / 60.0])
    np.testing.assert_array_equal(transport.staff_km, [[0.0, 0.0]])
    np.testing.assert_array_equal(transport.staff_hours, [[0.0, 0.0]])
    # 9730 km × 100 g/km / 1000 = 973 kg
    np.testing.assert_allclose(transport.co2_kg, [973.0])
    np.testing.assert_array_equal(transport.saved_km_digital, [0.0])
    np.testing.assert_array_equal(transport.saved_km_outreach, [0.0])


def test_lever_transport_on_toy(toy: Region) -> None:
    transport = transport_for(toy, lever_scenario())
    # in-person outpatient visits: A0 20 + 39.2, A1 7 + 13.44, A2 21.5 + 46.48 (at s1)
    # patient km: (59.2 + 32) × 20 = 1824, (20.44 + 11) × 70 = 2200.8,
    # (67.98 + 40.5) × 30 = 3254.4; total 7279.2
    np.testing.assert_allclose(transport.patient_km, [7279.2])
    np.testing.assert_allclose(transport.patient_hours, [7279.2 / 60.0])
    # team s0 drives to s1 (70 km): outreach 1 day × 40 weeks × 2 × 70 = 5600;
    # consults on site at s1 24.375 / 5 per visit × 2 × 70 = 682.5; total 6282.5
    np.testing.assert_allclose(transport.staff_km, [[6282.5, 0.0]])
    np.testing.assert_allclose(transport.staff_hours, [[6282.5 / 60.0, 0.0]])
    # (7279.2 + 6282.5) × 100 / 1000 = 1356.17 kg
    np.testing.assert_allclose(transport.co2_kg, [1356.17])
    # digital follow-ups 9.8 × 20 + 3.36 × 70 + 11.62 × 30 = 196 + 235.2 + 348.6 = 779.8
    np.testing.assert_allclose(transport.saved_km_digital, [779.8])
    # A2's 67.98 outreach visits would drive 80 km to s0 instead of 15 km to s1:
    # 67.98 × 2 × (80 − 15) = 8837.4, less the 5600 outreach staff km = 3237.4
    np.testing.assert_allclose(transport.saved_km_outreach, [3237.4])
    # both savings sit where they arise: digital at the team s0, outreach at the clinic s1
    np.testing.assert_allclose(transport.saved_km_digital_at, [[779.8, 0.0]])
    np.testing.assert_allclose(transport.saved_km_outreach_at, [[0.0, 3237.4]])


def oracle_transport(region: Region, scenario: Scenario) -> dict[str, np.ndarray]:
    """Slow transport, one area, specialty and site at a time."""
    minutes, km = travel_matrix(region)
    site_minutes, site_km = site_to_site(region, minutes, km)
    plan = plan_services(region, scenario, site_minutes)
    dem, admitted = scenario_demand(region, region.population.residents, minutes)
    allocation = allocate(region, plan, dem, minutes, admitted)
    n_areas, n_specialties, _ = dem.shape
    n_sites = len(region.sites)
    weeks = region.parameters.clinic_weeks_per_year
    per_visit = region.parameters.consults_per_visit
    out: dict[str, np.ndarray] = {
        "patient_km": np.zeros(n_specialties),
        "patient_hours": np.zeros(n_specialties),
        "staff_km": np.zeros((n_specialties, n_sites)),
        "staff_hours": np.zeros((n_specialties, n_sites)),
        "saved_km_digital": np.zeros(n_specialties),
        "saved_km_outreach": np.zeros(n_specialties),
    }
    for s in range(n_specialties):
        p, t = plan.pro_share[s], plan.trigger_rate[s]
        d_first, d_follow = plan.digital_share[s, FV], plan.digital_share[s, FU]
        for a in range(n_areas):
            visits_first = dem[a, s, FV]
            visits_follow = dem[a, s, FU] * (1 - p + p * t)
            in_person = visits_first * (1 - d_first) + visits_follow * (1 - d_follow)
            digital = visits_first * d_first + visits_follow * d_follow
            j, k = allocation.outpatient_at[s, a], allocation.admitted_at[a]
            out["patient_km"][s] += 2 * (in_person * km[a, j] + dem[a, s, ADM] * km[a, k])
            out["patient_hours"][s] += (
                2 * (in_person * minutes[a, j] + dem[a, s, ADM] * minutes[a, k]) / 60
            )
            out["saved_km_digital"][s] += 2 * digital * km[a, j]
            if not plan.strength_position[s, j]:
                best = -1
                for m in range(n_sites):
                    if plan.strength_position[s, m] and (
                        best < 0 or minutes[a, m] < minutes[a, best]
                    ):
                        best = m
                out["saved_km_outreach"][s] += 2 * in_person * (km[a, best] - km[a, j])
        for site in range(n_sites):
            team = plan.serving_team[s, site]
            trips = plan.outreach_days_per_week[s, site] * weeks
            out["staff_km"][s, team] += trips * 2 * site_km[team, site]
            out["staff_hours"][s, team] += trips * 2 * site_minutes[team, site] / 60
            out["saved_km_outreach"][s] -= trips * 2 * site_km[team, site]
            acute = region.sites[site].acute and region.sites[site].active
            if plan.team.specialist_fte[s, site] > 0 or not acute:
                continue
            mode = scenario.inpatient_cover.get(region.specialties[s].id, "rotation")
            if mode == "consults":  # on-site consult visits, consults_per_visit at a time
                visits = allocation.consults_on_site[s, site] / per_visit
            elif mode == "rotation":  # one trip per working day of inpatient work there
                work = allocation.contacts[s, site, :, 0] * region.workload.minutes[s] / 60
                visits = (work[ADM] + work[BED]) / (region.parameters.hours_per_week / 5)
            else:
                visits = 0.0
            out["staff_km"][s, team] += visits * 2 * site_km[team, site]
            out["staff_hours"][s, team] += visits * 2 * site_minutes[team, site] / 60
    # dialysis: one round trip per session to the nearest unit (loop), in the CO2 too
    dialysis_km = np.zeros(n_specialties)
    stations = region.dialysis_stations
    for a in range(n_areas):
        units = [j for j in range(n_sites) if stations is not None and stations[j] > 0]
        if not units:
            continue
        unit = min(units, key=lambda j: (minutes[a, j], j))
        for s in range(n_specialties):
            dialysis_km[s] += 2 * dem[a, s, DIAL] * km[a, unit]
    out["dialysis.km"] = dialysis_km
    out["co2_kg"] = (
        (out["patient_km"] + dialysis_km + out["staff_km"].sum(axis=1))
        * region.parameters.co2_g_per_km / 1000
    )
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_transport_matches_loop_oracle(seed: int) -> None:
    region = random_region(seed)
    scenario = random_scenario(region, seed)
    transport = transport_for(region, scenario)
    expected = oracle_transport(region, scenario)
    for name, value in expected.items():
        owner, _, field = name.rpartition(".")
        np.testing.assert_allclose(
            getattr(getattr(transport, owner) if owner else transport, field), value,
            err_msg=name, rtol=1e-9, atol=1e-6
        )


def test_outreach_at_own_strength_position_costs_no_staff_travel(toy: Region) -> None:
    scenario = baseline(outreach={"kardiologi": [OutreachClinic(site="s0", days_per_week=2)]})
    transport = transport_for(toy, scenario)
    np.testing.assert_array_equal(transport.staff_km, 0.0)
    assert transport.patient_km[0] == pytest.approx(9730.0)
