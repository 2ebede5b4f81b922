"""Bed days from the admitting site's stay, local morbidity, dialysis trips, what the region
pays for patient transport, the fleet's CO2 by year and what video and PRO save — on the
toy region by hand, and back-tested on the bundled region against published figures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.region import Region
from bassplan.domain.vocabulary import C_ADMISSION, C_BED_DAY, C_DIALYSIS
from bassplan.model.evaluate import evaluate
from bassplan.model.transport import fleet_g_co2_per_km
from tests.support.paths import EXAMPLES
from tests.support.scenarios import baseline, lever_scenario
from tests.support.toy import toy_parameters


def with_dialysis(toy: Region) -> Region:
    """The toy with 100 sessions per 1,000 residents aged 2 and one unit, at s1."""
    per_1000 = toy.rates.per_1000.copy()
    per_1000[0, C_DIALYSIS] = [0.0, 0.0, 100.0]
    return replace(toy, rates=replace(toy.rates, per_1000=per_1000),
                   dialysis_stations=np.array([0.0, 10.0]))


def test_dialysis_trips_and_their_cost_by_hand(toy: Region) -> None:
    ev = evaluate(with_dialysis(toy), baseline())
    # sessions: A0 300 × 0.1 = 30, A1 100 × 0.1 = 10, A2 400 × 0.1 = 40, all to s1
    np.testing.assert_allclose(ev.demand[:, 0, C_DIALYSIS], [30.0, 10.0, 40.0])
    np.testing.assert_array_equal(ev.allocation.dialysis_at, [1, 1, 1])
    assert ev.allocation.contacts[0, 1, C_DIALYSIS, 0] == 80.0
    d = ev.transport.dialysis
    # km: 2 × (30 × 70 + 10 × 45 + 40 × 15) = 6,300; toy minutes equal km
    assert d.km[0] == pytest.approx(6_300.0)
    assert d.hours[0] == pytest.approx(6_300.0 / 60)
    # Flexpatient: 2 × 80 × 0.8 × 300 = 38,400; the rest by own car, reimbursed beyond
    # 50 km (A0, 70 km): 30 × 0.2 round trips × 2 × 70 km × 2.0 DKK/km = 1,680 (the toy's
    # pensioners' minimum of 1,000 DKK keeps nearer trips out)
    assert d.dkk[0] == pytest.approx(38_400.0 + 1_680.0)
    assert d.co2_kg[0] == pytest.approx(6_300.0 * 100.0 / 1000.0)  # toy: 100 g/km, no fleet
    # the sessions are the team's at s0, which serves s1 (no team work at s1 itself)
    assert ev.allocation.consult_team[0, 1] in (0, 1)


def test_patient_transport_is_reimbursed_beyond_the_threshold(toy: Region) -> None:
    region = replace(toy, parameters=toy_parameters(reimbursement_threshold_km=30.0))
    ev = evaluate(region, baseline())
    # only A1 lives beyond 30 km of its sites (s0, 35 km): 7 first visits + 24 follow-ups
    # + 11 admissions = 42 round trips × 2 × 35 km × 2.0 DKK/km = 5,880
    assert ev.transport.patient_dkk[0] == pytest.approx(5_880.0)
    assert evaluate(toy, baseline()).transport.patient_dkk[0] == 0.0  # nobody beyond 50 km


def test_pensioners_are_reimbursed_above_their_minimum(toy: Region) -> None:
    region = replace(toy, parameters=toy_parameters(pensioner_minimum_dkk=43.0))
    ev = evaluate(region, baseline())
    # a round trip costs 2 × km × 2.0: A0 (10 km) 40 DKK, not above 43; A1 (35 km to s0)
    # 140 DKK: 42 trips; A2 (15 km to s1) 60 DKK: 21.5 + 83 visits + 40.5 admissions = 145
    # trips; half of them pensioners': 0.5 × (42 × 140 + 145 × 60) = 7,290
    assert ev.transport.patient_dkk[0] == pytest.approx(7_290.0)


def test_video_and_pro_savings_by_hand(toy: Region) -> None:
    t = evaluate(toy, lever_scenario()).transport
    # digital: A0 9.8 visits × 10 km, A1 3.36 × 35, A2 11.62 × 15 (its clinic s1), return
    assert t.saved_digital.km[0] == pytest.approx(2 * (98.0 + 117.6 + 174.3))
    assert t.saved_digital.hours[0] == pytest.approx(2 * (98.0 + 117.6 + 174.3) / 60)
    # PRO: avoided F·0.5·0.6 = A0 21, A1 7.2, A2 24.9 visits at the same sites
    assert t.saved_pro.km[0] == pytest.approx(2 * (21 * 10 + 7.2 * 35 + 24.9 * 15))
    assert t.saved_pro.co2_kg[0] == pytest.approx(t.saved_pro.km[0] * 100.0 / 1000.0)
    assert t.saved_digital.dkk[0] == t.saved_pro.dkk[0] == 0.0  # all within 50 km


def test_the_fleet_value_of_a_year(toy: Region) -> None:
    fleet = replace(toy, fleet_co2={2021: 140.0, 2025: 120.0, 2030: 90.0})
    assert fleet_g_co2_per_km(toy, 2030) == 100.0  # no table: the parameter
    assert fleet_g_co2_per_km(fleet, 2019) == 140.0  # before the table: its first year
    assert fleet_g_co2_per_km(fleet, 2027) == 120.0  # the latest year at or before
    assert fleet_g_co2_per_km(fleet, 2045) == 90.0


@pytest.fixture(scope="module")
def bundled() -> Region:
    return load_region()


def test_bed_days_follow_the_admitting_sites_stay(bundled: Region) -> None:
    ev = evaluate(bundled, load_scenario(EXAMPLES / "baseline.yaml", bundled))
    contacts = ev.allocation.contacts
    for s, spec in enumerate(bundled.specialties):
        for j in np.flatnonzero(bundled.acute_mask):
            admissions, bed_days = contacts[s, j, C_ADMISSION, 0], contacts[s, j, C_BED_DAY, 0]
            assert bed_days == pytest.approx(admissions * bundled.days_per_admission[s, j]), spec.id


def test_morbidity_multiplies_only_where_the_table_says(bundled: Region) -> None:
    scenario = load_scenario(EXAMPLES / "baseline.yaml", bundled)
    local = evaluate(bundled, scenario).demand
    flat = evaluate(replace(bundled, morbidity=None), scenario).demand
    assert bundled.morbidity is not None
    np.testing.assert_allclose(local, flat * bundled.morbidity[:, :, None], rtol=1e-12)


def test_dialysis_patients_fit_the_regions_published_stations(bundled: Region) -> None:
    """Back-test: modelled in-centre patients (sessions / 3 a week / 52 weeks) against the
    stations sn.dk counts (2021). A station serves two shifts a day on two schedules (Mon-
    Wed-Fri, Tue-Thu-Sat): four patients. Units run with spare places for holiday dialysis
    and growth, so the model should fill between 40 % and 100 % of them."""
    ev = evaluate(bundled, load_scenario(EXAMPLES / "baseline.yaml", bundled))
    patients = ev.demand[:, :, C_DIALYSIS].sum() / (3 * 52)
    stations = {"holbaek": 33, "slagelse": 26, "suh_roskilde": 25, "suh_nykobing_f": 27}
    places = 4 * sum(stations.values())  # 2021, before Køge and Næstved opened
    assert 0.4 * places < patients < places, (patients, places)


def test_reimbursement_is_a_part_of_the_regions_own_transport_spending(
    bundled: Region,
) -> None:
    """Back-test: the region paid 39.4 m DKK for patients' own transport (own car, public
    transport) in 2019, all specialties (transport_factors.csv row 24). The seven
    specialties' reimbursement outside dialysis in 2021 must be a part of it — more than a
    tenth (their patients are old and come often), less than all of it."""
    scenario = load_scenario(EXAMPLES / "baseline.yaml", bundled).model_copy(
        update={"year": 2021})
    paid = evaluate(bundled, scenario).transport.patient_dkk.sum()
    assert 0.1 * 39.4e6 < paid < 39.4e6, paid


def test_the_fleet_makes_later_years_cleaner(bundled: Region) -> None:
    now = load_scenario(EXAMPLES / "baseline.yaml", bundled)
    later = now.model_copy(update={"year": 2035})
    a, b = evaluate(bundled, now).transport, evaluate(bundled, later).transport
    assert b.g_co2_per_km < a.g_co2_per_km
    assert b.g_co2_per_km == bundled.fleet_co2[2035]
