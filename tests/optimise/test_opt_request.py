"""The optimiser's request: its numbers by hand on the toy region and against the
evaluation pipeline, and one clear InputError line for each kind of bad request.

Toy region (tests/toy.py), year 2021, residents by age 0/1/2: A0 100/200/300,
A1 0/100/100, A2 50/50/400. Per resident-age rates per 1,000 give
    first visits  A0 1+4+15 = 20,   A1 0+2+5 = 7,    A2 0.5+1+20 = 21.5
    follow-ups    A0 2+8+60 = 70,   A1 0+4+20 = 24,  A2 1+2+80 = 83   (Σ 177)
    admissions    A0 0+2+30 = 32,   A1 0+1+10 = 11,  A2 0+0.5+40 = 40.5
    bed days      A0 160,           A1 55,           A2 202.5
    consults      A0 1+6 = 7,       A1 0.5+2 = 2.5,  A2 0.25+8 = 8.25
Admitting sites: A0 → s0 (10 min), A1 → s0 (35 < 45), A2 → s1 (15).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import load_scenario
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region, Site, Specialty
from bassplan.domain.scenario import OptimisationSettings, Scenario, StaffingChange
from bassplan.model.evaluate import evaluate
from bassplan.optimise import build_request

LEVERS = Scenario(
    name="levers", year=2021,
    digital_share={"kardiologi": {"follow_up": 0.2, "consult": 0.5}},
    need_based_follow_up={"kardiologi": {"pro_share": 0.5, "trigger_rate": 0.4}},
)


def test_outpatient_numbers_by_hand(toy: Region) -> None:
    req = build_request(toy, LEVERS)
    # follow-up visits 0.5·F + 0.5·F·0.4 = 0.7·F, of which 80 % in person: 0.56·F
    np.testing.assert_allclose(req.in_person[0], [20 + 0.56 * 70, 7 + 0.56 * 24,
                                                  21.5 + 0.56 * 83])
    # A0: 20 first visits × 45 min + 39.2 follow-ups × 30 min = 2,076 min
    assert req.visit_hours[0, 0] == pytest.approx(2076 / 60)
    # digital 0.14·177 = 24.78 contacts × 30 min × 0.5; PRO 0.5·177 answers × 5 min
    assert req.location_free_hours[0] == pytest.approx((24.78 * 15 + 88.5 * 5) / 60)
    assert req.video_share[0] == 0.5
    np.testing.assert_allclose(req.residents, [600, 200, 500])


def test_inpatient_and_consult_numbers_by_hand(toy: Region) -> None:
    req = build_request(toy, LEVERS)
    np.testing.assert_allclose(req.admit_minutes, [10, 35, 15])
    # s0: consults 9.5 + admissions 43; s1: 8.25 + 40.5
    np.testing.assert_allclose(req.consults[0], [52.5, 48.75])
    # s0: 43 admissions × 60 + 215 bed days × 15 + 9.5 consults × 30 = 6,090 min
    np.testing.assert_allclose(req.inpatient_hours[0], [6090 / 60, 5715 / 60])


def test_staff_and_time_by_hand(toy: Region) -> None:
    req = build_request(toy, LEVERS)
    np.testing.assert_allclose(req.pool, [[6.0]])  # 4 + 2 specialist FTE in org1
    # 37 h × (52 − 6) weeks − 20 days × 7.4 h = 1,554 h; × (1 − 0.2)
    assert req.hours_per_fte == pytest.approx(1554 * 0.8)
    assert req.candidates.all()
    assert req.outreach_sites.all()
    assert req.max_half_days == 10


def test_request_agrees_with_the_evaluation(toy: Region) -> None:
    # s1 without a team of its own: its consults are the serving team's
    scenario = LEVERS.model_copy(update={
        "strength_positions": {"kardiologi": ["s0"]},
        "staffing_changes": [StaffingChange(specialty="kardiologi", site="s1",
                                            specialist_fte=-2, trainee_fte=0,
                                            on_call_specialists=-2)],
        "pool_staff": "none",
        "inpatient_cover": {"default": "consults"},  # as the optimiser models the cover
    })
    req = build_request(toy, scenario)
    evaluation = evaluate(toy, scenario)
    allocation = evaluation.allocation
    in_person = allocation.contacts[0, :, 2:4, 0:2].sum()
    assert req.in_person.sum() == pytest.approx(in_person)
    s1 = 1
    seen = allocation.consults_on_site[0, s1] + allocation.consults_video[0, s1]
    assert req.consults[0, s1] == pytest.approx(seen)
    np.testing.assert_allclose(req.residents, evaluation.residents)
    np.testing.assert_allclose(req.minutes, evaluation.travel_minutes)


def test_fixed_sites_and_capacity_are_read(toy: Region) -> None:
    settings = OptimisationSettings(fixed_open={"default": ["s0"]},
                                    fixed_closed={"kardiologi": ["s1"]},
                                    site_capacity={"s1": 100.0})
    req = build_request(toy, LEVERS.model_copy(update={"optimisation": settings}))
    np.testing.assert_array_equal(req.fixed_open, [[True, False]])
    np.testing.assert_array_equal(req.fixed_closed, [[False, True]])
    np.testing.assert_array_equal(req.site_capacity, [np.inf, 100.0])


def _one_line(error: pytest.ExceptionInfo[InputError], *words: str) -> None:
    text = str(error.value)
    assert "\n" not in text
    for word in words:
        assert word in text


def test_unknown_specialty_is_one_line(toy: Region) -> None:
    with pytest.raises(InputError) as error:
        build_request(toy, LEVERS, ["kardiologi", "hjertekirurgi"])
    _one_line(error, "optimisation request", "unknown specialty 'hjertekirurgi'")


def test_share_outside_0_1_is_rejected_by_the_schema(toy: Region, tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: bad\nyear: 2021\noptimisation:\n  access_share: 1.5\n",
                    encoding="utf-8")
    with pytest.raises(InputError) as error:
        load_scenario(path, toy)
    _one_line(error, "bad.yaml", "optimisation.access_share", "1.5")


def test_minimum_team_larger_than_any_pool(toy: Region) -> None:
    big = (Specialty("kardiologi", "Kardiologi", "Cardiology", 7.0),)
    with pytest.raises(InputError) as error:
        build_request(Region(**{**toy.__dict__, "specialties": big}), LEVERS)
    _one_line(error, "kardiologi", "min_team_fte", "minimum team 7 FTE", "largest 6 FTE")


def test_more_strength_positions_than_candidates(toy: Region) -> None:
    settings = OptimisationSettings(min_strength_positions=3)
    with pytest.raises(InputError) as error:
        build_request(toy, LEVERS.model_copy(update={"optimisation": settings}))
    _one_line(error, "min_strength_positions", "only 2 candidate sites")


def test_site_fixed_open_and_closed(toy: Region) -> None:
    settings = OptimisationSettings(fixed_open={"kardiologi": ["s1"]},
                                    fixed_closed={"default": ["s1"]})
    with pytest.raises(InputError) as error:
        build_request(toy, LEVERS.model_copy(update={"optimisation": settings}))
    _one_line(error, "'s1' is fixed both open and closed")


def test_more_sites_fixed_open_than_allowed(toy: Region) -> None:
    settings = OptimisationSettings(fixed_open={"default": ["s0", "s1"]},
                                    max_strength_positions=1)
    with pytest.raises(InputError) as error:
        build_request(toy, LEVERS.model_copy(update={"optimisation": settings}))
    _one_line(error, "max_strength_positions", "2 sites are fixed open")


def test_inactive_site_cannot_be_fixed_open(toy: Region) -> None:
    sites = (toy.sites[0], Site(**{**toy.sites[1].__dict__, "active": False}))
    settings = OptimisationSettings(fixed_open={"kardiologi": ["s1"]})
    with pytest.raises(InputError) as error:
        build_request(replace(toy, sites=sites),
                      LEVERS.model_copy(update={"optimisation": settings}))
    _one_line(error, "fixed_open.kardiologi", "'s1' is not an active acute site")


def test_ward_hours_and_cover_rule_by_hand(toy: Region) -> None:
    req = build_request(toy, LEVERS)
    # s0: 43 admissions × 60 + 215 bed days × 15 = 5,805 min; s1: 40.5 × 60 + 202.5 × 15
    np.testing.assert_allclose(req.ward_hours[0], [5805 / 60, 5467.5 / 60])
    assert req.cover_mode == ("rotation",)  # the scenario's default
    consults = LEVERS.model_copy(update={"inpatient_cover": {"kardiologi": "consults"}})
    assert build_request(toy, consults).cover_mode == ("consults",)


def test_only_acute_sites_unless_listed(toy: Region) -> None:
    # s1 active but not acute: no strength position there unless eligible_sites lists it
    sites = (toy.sites[0], Site(**{**toy.sites[1].__dict__, "acute": False}))
    region = replace(toy, sites=sites)
    assert build_request(region, LEVERS).candidates.tolist() == [[True, False]]
    listed = OptimisationSettings(eligible_sites={"kardiologi": ["s1"]})
    req = build_request(region, LEVERS.model_copy(update={"optimisation": listed}))
    assert req.candidates.tolist() == [[True, True]]
    named = OptimisationSettings(candidate_sites=["s1"])
    with pytest.raises(InputError) as error:
        build_request(region, LEVERS.model_copy(update={"optimisation": named}))
    _one_line(error, "candidate_sites", "'s1' is not an active acute site")


def test_released_staff_and_move_caps_are_read(toy: Region) -> None:
    settings = OptimisationSettings(
        released_staff=[{"specialty": "kardiologi", "site": "s0", "fte": 1.0,
                         "reason": "a retirement"}],
        max_moved_fte={"org1": 2.0}, cost_per_moved_fte_dkk=400_000)
    req = build_request(toy, LEVERS.model_copy(update={"optimisation": settings}))
    np.testing.assert_allclose(req.base_fte, [[3.0, 2.0]])  # 4 − 1 and 2
    np.testing.assert_allclose(req.released_fte, [[1.0, 0.0]])
    np.testing.assert_allclose(req.pool, [[5.0]])
    np.testing.assert_allclose(req.move_cap, [2.0])
    assert req.cost_per_moved_fte == 400_000
    too_many = OptimisationSettings(released_staff=[
        {"specialty": "kardiologi", "site": "s1", "fte": 5.0, "reason": "closing"}])
    with pytest.raises(InputError) as error:
        build_request(toy, LEVERS.model_copy(update={"optimisation": too_many}))
    _one_line(error, "released_staff", "releases 3.00 FTE more than s1 holds")
