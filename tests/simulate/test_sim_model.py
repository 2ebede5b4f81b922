"""The simulation input read from an evaluation, on the toy region, by hand.

Scenario: kardiologi's strength position at s0 only, an outreach clinic at s1 two days a
week, 20 % digital follow-ups, PRO for half the follow-up patients with trigger rate 0.4.
Toy demand (tests/toy.py, year 2021 = base year), per year:
  first visits  area0 1 + 4 + 15 = 20, area1 0 + 2 + 5 = 7, area2 0.5 + 1 + 20 = 21.5
  follow-ups    area0 2 + 8 + 60 = 70, area1 0 + 4 + 20 = 24, area2 1 + 2 + 80 = 83
  admissions    area0 32, area1 11 (both nearest s0), area2 40.5 (s1)
  bed days      area0 160, area1 55, area2 202.5;  consults 7, 2.5, 8.25
In person: areas 0 and 1 at s0, area 2 at the outreach clinic s1 (15 min < 80 min).
PRO keeps 1 − 0.5 × (1 − 0.4) = 0.7 of the follow-ups as visits; 20 % of them are digital,
held by s0's team. Staff at s1 are pooled into s0 (4 + 2 FTE, vacancies 0 + 1).
"""

from __future__ import annotations

import numpy as np
import pytest

from bassplan.domain.scenario import NeedBasedFollowUp, OutreachClinic, Scenario
from bassplan.domain.vocabulary import ContactType
from bassplan.model.evaluate import evaluate
from bassplan.simulate import SimulationSettings, simulation_input
from bassplan.simulate.model import SimulationInput
from tests.support.toy import toy_region

WORKING_DAYS = 252  # 2029 calendar: 261 weekdays − 9 weekday public holidays
KEEP = 0.7


def toy_input(settings: SimulationSettings | None = None) -> SimulationInput:
    scenario = Scenario(
        name="toy", year=2021,
        strength_positions={"kardiologi": ["s0"]},
        outreach={"kardiologi": [OutreachClinic(site="s1", days_per_week=2)]},
        digital_share={"default": {ContactType.FOLLOW_UP: 0.2}},
        need_based_follow_up={"default": NeedBasedFollowUp(pro_share=0.5, trigger_rate=0.4)},
        inpatient_cover={"default": "consults"},  # s1's admissions: medicine + consults
    )
    evaluation = evaluate(toy_region(), scenario)
    return simulation_input(evaluation, settings or SimulationSettings())


def test_units_and_their_yearly_visits() -> None:
    inp = toy_input()
    assert list(inp.unit_site) == [0, 1]
    assert list(inp.team_site[inp.unit_team]) == [0, 0]  # s0's team holds both clinics
    # s0: first 20 + 7; follow-up visits in person (94 × 0.7 × 0.8) and digital
    # (94 × 0.7 × 0.2 of its own areas + 83 × 0.7 × 0.2 of the outreach area)
    s0_follow = 94 * KEEP * 0.8 + 94 * KEEP * 0.2 + 83 * KEEP * 0.2  # 77.42
    assert inp.referrals_per_day * WORKING_DAYS == pytest.approx([27.0, 21.5])
    scheduled = [s0_follow / KEEP, 83 * KEEP * 0.8 / KEEP]  # before PRO: 110.6, 66.4
    assert inp.follow_ups_due_per_day * WORKING_DAYS == pytest.approx(scheduled)
    assert inp.continue_prob == pytest.approx([110.6 / (110.6 + 27), 66.4 / (66.4 + 21.5)])
    assert inp.avoid_prob == pytest.approx([0.3, 0.3])
    # minutes: first 45; follow-up 30, digital ones at half (52.64 × 30 + 24.78 × 15) / 77.42
    assert inp.minutes_first == pytest.approx([45.0, 45.0])
    assert inp.minutes_follow_up == pytest.approx([(52.64 * 30 + 24.78 * 15) / 77.42, 30.0])


def test_outreach_capacity_and_overtime_share() -> None:
    inp = toy_input()
    # 2 days × 40 clinic weeks × 10 visits a day × mean minutes at s1
    mean_minutes = (21.5 * 45 + 46.48 * 30) / (21.5 + 46.48)
    per_year = 2 * 40 * 10 * mean_minutes
    # spread over the year's working days at full presence: 252 − 30 holiday − 5 CPD days
    assert inp.outreach_minutes == pytest.approx([0.0, per_year / (WORKING_DAYS - 35)])
    # the outreach unit may use its planned share of the team's clinic minutes in overtime
    planned_clinic = inp.clinic_share[0] * (6 + 0.5) * inp.minutes_per_fte_day[0]
    share = inp.outreach_minutes[1] / planned_clinic
    assert inp.overtime_share == pytest.approx([1 - share, share])


def test_team_ward_work_and_shares_of_time() -> None:
    inp = toy_input()
    assert inp.n_teams == 1
    assert inp.specialists == pytest.approx([6.0])  # vacancies stay unfilled by default
    assert inp.trainees == pytest.approx([0.5])  # 1 trainee × productivity 0.5
    assert inp.minutes_per_fte_day == pytest.approx([37 / 5 * 60 * 0.8])
    assert inp.sick_prob == pytest.approx(5 / WORKING_DAYS)
    # ward: admissions and bed days at s0; consults at s0 (9.5) on site; at s1 (no team
    # after pooling) 8.25 + one per admission 40.5, by video (s0 is 70 min > 60 away)
    assert inp.ward_per_day[0] * WORKING_DAYS == pytest.approx([43.0, 215.0, 9.5, 48.75])
    assert inp.ward_minutes[0] == pytest.approx([60.0, 15.0, 30.0, 15.0])
    assert inp.ward_km_saved[0] == pytest.approx([0, 0, 0, 2 * 70 / 5])  # a round trip per 5
    clinic = (27 * 45 + 52.64 * 30 + 24.78 * 15 + 21.5 * 45 + 46.48 * 30) / 60
    ward = (43 * 60 + 215 * 15 + 9.5 * 30 + 48.75 * 15) / 60
    pro = (94 + 83) * 0.5 * 5 / 60  # PRO answers × 5 minutes
    travel = 2 * 40 * 2 * 70 / 60  # outreach round trips × 70 minutes each way
    total = clinic + ward + pro + travel
    assert inp.clinic_share == pytest.approx([clinic / total])
    assert inp.ward_share == pytest.approx([ward / total])


def test_patient_km_saved_per_visit() -> None:
    inp = toy_input()
    # outreach at s1 instead of s0 saves 80 − 15 km each way for area 2's 67.98 visits,
    # less the staff's 80 round trips of 2 × 70 km: net per visit
    visits = 21.5 + 46.48
    outreach = (2 * visits * (80 - 15) - 80 * 2 * 70) / visits
    # digital visits save the round trip to the site they would have gone to
    digital = 2 * (70 * KEEP * 0.2 * 10 + 24 * KEEP * 0.2 * 35 + 83 * KEEP * 0.2 * 15)
    assert inp.km_per_visit[1] == pytest.approx([outreach, outreach])
    assert inp.km_per_visit[0] == pytest.approx([0.0, digital / 77.42])


def test_shocks_reach_the_input() -> None:
    filled = toy_input(SimulationSettings(unfilled_vacancies=False))
    assert filled.specialists == pytest.approx([7.0])
    absent = toy_input(SimulationSettings(extra_absent_specialists=2,
                                          extra_absent_teams=("kardiologi:s0",)))
    assert absent.extra_absent == pytest.approx([2.0])
    plain, surge = toy_input(), toy_input(SimulationSettings(winter_surge=1.5))
    winter = (plain.day % 365 >= 334) | (plain.day % 365 < 59)
    assert surge.referral_factor == pytest.approx(plain.referral_factor * np.where(winter, 1.5, 1))
    assert surge.ward_factor == pytest.approx(plain.ward_factor * np.where(winter, 1.5, 1))


def test_unknown_team_is_refused() -> None:
    from bassplan.domain.errors import InputError

    with pytest.raises(InputError, match="extra_absent_teams"):
        toy_input(SimulationSettings(extra_absent_specialists=1, extra_absent_teams=("x:s9",)))
