"""Scorecard: every indicator checked against hand arithmetic on two hand-made evaluations
of the toy region, plus the colour rule, the heat-map and the colour changes.

The evaluations are built directly from results dataclasses (not by the pipeline):

* ``baseline``: teams at both sites, s0 (4 FTE, 1 trainee) and s1 (2 FTE, 1 vacant post).
* ``concentrated``: one strength position at s0 (6 FTE, 1 trainee, 1 vacant, pooled),
  an outreach clinic 1 day/week at s1, which has no team.

Shared numbers (toy parameters): available hours per FTE = 37 × (52 − 6) − (10 + 5 + 5) ×
37/5 = 1702 − 148 = 1554; × (1 − 0.2 category allowance) = 1243.2 patient hours per FTE.
Absence share = 1 − 1554 / (37 × 52 = 1924) = 0.192308; a rota keeps 0.807692 of its heads.
Minutes per contact: admission 60, bed day 15, first visit 45, follow-up 30, consult 30;
digital contacts take 0.5 × those minutes.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bassplan.data.indicators import load_indicators
from bassplan.domain import Colour, Direction, IndicatorDef, Perspective, Staffing
from bassplan.errors import InputError
from bassplan.results import (
    Access,
    Allocation,
    Evaluation,
    OnCall,
    Score,
    Scorecard,
    ServicePlan,
    Transport,
    Workload,
)
from bassplan.scorecard import (
    COMPUTATIONS,
    changed_colours,
    colour_of,
    heatmap,
    score,
    worst_colour,
)
from toy import toy_region

PATIENT_HOURS_PER_FTE = 1243.2
KEEP = 1554.0 / 1924.0  # share of on-call heads present after absence

# Test-local thresholds (green, red), so editing the bundled catalogue cannot move them.
THRESHOLDS: dict[str, tuple[float, float]] = {
    "team_size_ratio": (1.0, 0.75),
    "contacts_per_fte": (1500.0, 750.0),
    "n1_robust": (1.0, 1.0),
    "n2_robust": (1.0, 0.0),
    "trainees_per_specialist": (0.3, 0.1),
    "wisn_ratio": (1.0, 0.85),
    "on_call_rota": (6.0, 4.0),
    "staff_travel_hours_per_fte": (25.0, 75.0),
    "vacancy_rate": (0.05, 0.15),
    "p90_access_minutes": (45.0, 60.0),
    "share_within_45": (0.9, 0.75),
    "gini_travel_time": (0.2, 0.35),
    "utilisation": (0.9, 1.0),
    "cost_per_contact": (800.0, 1200.0),
    "consult_coverage": (1.0, 0.75),
}


def catalogue() -> tuple[IndicatorDef, ...]:
    """The bundled catalogue with the test-local thresholds."""
    return tuple(
        replace(ind, green=THRESHOLDS[ind.id][0], red=THRESHOLDS[ind.id][1])
        for ind in load_indicators()
    )


def _contacts(cells: dict[tuple[int, int, int], float]) -> np.ndarray:
    """(S=1, J=2, C=5, M=3) contacts from {(site, contact type, modality): contacts}."""
    out = np.zeros((1, 2, 5, 3))
    for (j, c, m), v in cells.items():
        out[0, j, c, m] = v
    return out


# contact types: 0 admission, 1 bed day, 2 first visit, 3 follow-up, 4 consult
# modalities: 0 strength position (in person), 1 outreach, 2 digital
CONTACTS = {
    (0, 0, 0): 300.0, (0, 1, 0): 1500.0, (0, 2, 0): 400.0, (0, 3, 0): 1000.0, (0, 3, 2): 200.0,
    (1, 0, 0): 200.0, (1, 1, 0): 1000.0,
}
# demand (A, S=1, C): only the explanation's catchment steps read it
DEMAND = np.array([[[200.0, 1000, 300, 800, 60]], [[100.0, 500, 100, 400, 40]],
                   [[200.0, 1000, 100, 300, 80]]])
RESIDENTS = np.array([600.0, 200.0, 500.0])
# residents sorted by minutes: 10 (600), 15 (500), 35 (200) -> cumulative 46 %, 85 %, 100 %:
# P90 = 35. Mean = (6000 + 7500 + 7000) / 1300 = 15.769. Gini = Σ_ij w_i w_j |x_i − x_j| /
# (2 W² mean) = 2 × (600·200·25 + 600·500·5 + 200·500·20) / (2 × 1300² × 15.769) = 0.243902.
ACCESS = Access(
    area_minutes=np.array([[10.0, 35.0, 15.0]]),
    mean_minutes=np.array([20500.0 / 1300.0]),
    p90_minutes=np.array([35.0]),
    max_minutes=np.array([35.0]),
    share_within_30=np.array([1100.0 / 1300.0]),
    share_within_45=np.array([1.0]),
    share_within_60=np.array([1.0]),
    gini=np.array([13.0 / 53.3]),
    worst_area=np.array([1], dtype=np.int64),
    fca_per_100k=np.zeros((1, 3)),
)


def _evaluation(name: str, plan: ServicePlan, allocation: Allocation, workload: Workload,
                transport: Transport, on_call: OnCall) -> Evaluation:
    region = toy_region()
    assert region.travel_minutes is not None and region.travel_km is not None
    return Evaluation(
        scenario_name=name, year=2021, region=region, residents=RESIDENTS, demand=DEMAND,
        travel_minutes=region.travel_minutes, travel_km=region.travel_km, plan=plan,
        allocation=allocation, workload=workload, access=ACCESS, transport=transport,
        on_call=on_call,
    )


def baseline() -> Evaluation:
    """Teams at s0 and s1, no outreach, no digital consults; 600 PRO answers.

    Team s0 contacts: admissions 300, bed days 1500, first visits 400, follow-ups 1000 in
    person + 200 digital, consults 100 (own site) -> 3500 contacts.
    Hours: 300 + 375 + 300 + (1000 + 0.5·200)·0.5 = 550 + 50 = 1575; PRO answers split by
    follow-ups (1200 : 300): 0.8 × 600 × 5 / 60 = 40 h -> 1615 h -> required 1615/1243.2.
    Team s1: 200 + 250 + 75 + 150 + 40 = 715 h, PRO 10 h -> 725 h; contacts 1680.
    """
    contacts = _contacts({**CONTACTS, (1, 2, 0): 100.0, (1, 3, 0): 300.0})
    team = Staffing(
        specialist_fte=np.array([[4.0, 2.0]]), trainee_fte=np.array([[1.0, 0.0]]),
        vacant_fte=np.array([[0.0, 1.0]]), on_call_specialists=np.array([[4.0, 2.0]]),
    )
    plan = ServicePlan(
        strength_position=np.array([[True, True]]), outreach_days_per_week=np.zeros((1, 2)),
        digital_share=np.array([[0.0, 0.0, 0.0, 0.2, 0.0]]), pro_share=np.array([0.5]),
        trigger_rate=np.array([0.5]), team=team, serving_team=np.array([[0, 1]], dtype=np.int64),
    )
    allocation = Allocation(
        admitted_at=np.array([0, 0, 1], dtype=np.int64),
        outpatient_at=np.array([[0, 0, 1]], dtype=np.int64), contacts=contacts,
        consults_on_site=np.array([[100.0, 80.0]]), consults_video=np.zeros((1, 2)),
        follow_ups_avoided=np.array([300.0]), pro_answers=np.array([600.0]),
    )
    required = np.array([[1615.0, 725.0]]) / PATIENT_HOURS_PER_FTE
    available = np.array([[4.5, 2.0]])
    workload = Workload(
        available_hours_per_fte=1554.0, required_fte=required, available_fte=available,
        wisn_ratio=available / required, contacts_per_fte=np.array([[3500.0 / 4, 1680.0 / 2]]),
    )
    transport = Transport(
        patient_km=np.array([1.0]), patient_hours=np.array([1.0]), staff_km=np.zeros((1, 2)),
        staff_hours=np.zeros((1, 2)), co2_kg=np.array([1.0]), saved_km_digital=np.array([0.0]),
        saved_km_outreach=np.array([0.0]),
    )
    on_call = OnCall(rota_n=np.array([[4.0, 2.0]]) * KEEP)
    return _evaluation("baseline", plan, allocation, workload, transport, on_call)


def concentrated(video_consults: float = 0.0, outreach_days: float = 1.0) -> Evaluation:
    """One strength position at s0; outreach at s1 (no team there); s1's consults by s0.

    s1 consults: 80 of its own + 200 admissions without a team = 280, a share
    ``video_consults`` by video. Outreach at s1: 100 first visits + 300 follow-ups = 400.
    Team s0 (with no video): admissions 300, bed days 1500, first visits 400 + 100,
    follow-ups 1000 + 300 in person + 200 digital, consults 100 + 280 -> 4180 contacts.
    Hours: 300 + 375 + 375 + (1300 + 100)·0.5 + 380·0.5 = 1940; PRO 600·5/60 = 50.
    Staff travel, s0 -> s1 is 70 km / 70 min: 40 outreach days + 280/5 = 56 consult visits
    = 96 round trips × 140 km = 13440 km and 96 × 140 / 60 = 224 h -> 2214 h in all.
    """
    on_site = 280.0 * (1 - video_consults)
    contacts = _contacts({**CONTACTS, (1, 2, 1): 100.0, (1, 3, 1): 300.0})
    team = Staffing(
        specialist_fte=np.array([[6.0, 0.0]]), trainee_fte=np.array([[1.0, 0.0]]),
        vacant_fte=np.array([[1.0, 0.0]]), on_call_specialists=np.array([[6.0, 0.0]]),
    )
    plan = ServicePlan(
        strength_position=np.array([[True, False]]),
        outreach_days_per_week=np.array([[0.0, outreach_days]]),
        digital_share=np.array([[0.0, 0.0, 0.0, 0.2, video_consults]]),
        pro_share=np.array([0.5]), trigger_rate=np.array([0.5]), team=team,
        serving_team=np.array([[0, 0]], dtype=np.int64),
    )
    allocation = Allocation(
        admitted_at=np.array([0, 0, 1], dtype=np.int64),
        outpatient_at=np.array([[0, 0, 1]], dtype=np.int64), contacts=contacts,
        consults_on_site=np.array([[100.0, on_site]]),
        consults_video=np.array([[0.0, 280.0 - on_site]]),
        follow_ups_avoided=np.array([300.0]), pro_answers=np.array([600.0]),
    )
    required = np.array([[2214.0, 0.0]]) / PATIENT_HOURS_PER_FTE
    available = np.array([[6.5, 0.0]])
    workload = Workload(
        available_hours_per_fte=1554.0, required_fte=required, available_fte=available,
        wisn_ratio=np.array([[6.5 / required[0, 0], np.nan]]),
        contacts_per_fte=np.array([[4180.0 / 6, np.nan]]),
    )
    trips = 40.0 * outreach_days + on_site / 5
    transport = Transport(
        patient_km=np.array([1.0]), patient_hours=np.array([1.0]),
        staff_km=np.array([[trips * 140.0, 0.0]]),
        staff_hours=np.array([[trips * 140.0 / 60, 0.0]]), co2_kg=np.array([1.0]),
        saved_km_digital=np.array([0.0]), saved_km_outreach=np.array([0.0]),
    )
    on_call = OnCall(rota_n=np.array([[6.0 * KEEP, np.nan]]))
    return _evaluation("concentrated", plan, allocation, workload, transport, on_call)


def _values(card: Scorecard) -> dict[tuple[str, str | None], Score]:
    return {(sc.indicator_id, sc.site_id): sc for sc in card.scores}


NAN = math.nan
# (indicator, site): (value, colour) by hand; see the docstrings of the builders
BASELINE_EXPECTED: dict[tuple[str, str | None], tuple[float, Colour]] = {
    ("team_size_ratio", "s0"): (4 / 3, Colour.GREEN),
    ("team_size_ratio", "s1"): (2 / 3, Colour.RED),
    ("contacts_per_fte", "s0"): (875.0, Colour.YELLOW),
    ("contacts_per_fte", "s1"): (840.0, Colour.YELLOW),
    ("n1_robust", "s0"): (1.0, Colour.GREEN),  # 4 − 1 = 3 ≥ 3
    ("n1_robust", "s1"): (0.0, Colour.RED),  # 2 − 1 = 1 < 3
    ("n2_robust", "s0"): (0.0, Colour.YELLOW),  # 4 − 2 = 2 < 3
    ("n2_robust", "s1"): (0.0, Colour.YELLOW),
    ("trainees_per_specialist", "s0"): (0.25, Colour.YELLOW),
    ("trainees_per_specialist", "s1"): (0.0, Colour.RED),
    ("wisn_ratio", "s0"): (4.5 * 1243.2 / 1615, Colour.GREEN),  # 3.464
    ("wisn_ratio", "s1"): (2.0 * 1243.2 / 725, Colour.GREEN),  # 3.430
    ("on_call_rota", "s0"): (3.230769, Colour.RED),  # 4 × 0.807692
    ("on_call_rota", "s1"): (1.615385, Colour.RED),
    ("staff_travel_hours_per_fte", "s0"): (0.0, Colour.GREEN),
    ("staff_travel_hours_per_fte", "s1"): (0.0, Colour.GREEN),
    ("vacancy_rate", "s0"): (0.0, Colour.GREEN),
    ("vacancy_rate", "s1"): (1 / 3, Colour.RED),  # 1 / (2 + 1)
    ("p90_access_minutes", None): (35.0, Colour.GREEN),
    ("share_within_45", None): (1.0, Colour.GREEN),
    ("gini_travel_time", None): (0.243902, Colour.YELLOW),
    ("utilisation", "s0"): (1615 / 1243.2 / 4.5, Colour.GREEN),  # 0.2887
    ("utilisation", "s1"): (725 / 1243.2 / 2.0, Colour.GREEN),
    ("cost_per_contact", "s0"): (4e6 / 3500, Colour.YELLOW),  # 1142.86 DKK
    ("cost_per_contact", "s1"): (2e6 / 1680, Colour.YELLOW),  # 1190.48 DKK
    ("consult_coverage", None): (1.0, Colour.GREEN),  # a team at both acute sites
}
CONCENTRATED_EXPECTED: dict[tuple[str, str | None], tuple[float, Colour]] = {
    ("team_size_ratio", "s0"): (2.0, Colour.GREEN),
    ("team_size_ratio", "s1"): (NAN, Colour.NONE),  # outreach site: no team
    ("contacts_per_fte", "s0"): (4180 / 6, Colour.RED),  # 696.7
    ("contacts_per_fte", "s1"): (NAN, Colour.NONE),
    ("n1_robust", "s0"): (1.0, Colour.GREEN),
    ("n1_robust", "s1"): (NAN, Colour.NONE),
    ("n2_robust", "s0"): (1.0, Colour.GREEN),  # 6 − 2 = 4 ≥ 3
    ("n2_robust", "s1"): (NAN, Colour.NONE),
    ("trainees_per_specialist", "s0"): (1 / 6, Colour.YELLOW),
    ("trainees_per_specialist", "s1"): (NAN, Colour.NONE),
    ("wisn_ratio", "s0"): (6.5 * 1243.2 / 2214, Colour.GREEN),  # 3.650
    ("wisn_ratio", "s1"): (NAN, Colour.NONE),
    ("on_call_rota", "s0"): (4.846154, Colour.YELLOW),  # 6 × 0.807692
    ("on_call_rota", "s1"): (NAN, Colour.NONE),
    ("staff_travel_hours_per_fte", "s0"): (224 / 6, Colour.YELLOW),  # 37.3
    ("staff_travel_hours_per_fte", "s1"): (NAN, Colour.NONE),
    ("vacancy_rate", "s0"): (1 / 7, Colour.YELLOW),  # 0.1429
    ("vacancy_rate", "s1"): (NAN, Colour.NONE),  # neither filled nor vacant posts
    ("p90_access_minutes", None): (35.0, Colour.GREEN),
    ("share_within_45", None): (1.0, Colour.GREEN),
    ("gini_travel_time", None): (0.243902, Colour.YELLOW),
    ("utilisation", "s0"): (2214 / 1243.2 / 6.5, Colour.GREEN),  # 0.274
    ("utilisation", "s1"): (1.0, Colour.YELLOW),  # 400 contacts / (1 × 40 × 10)
    ("cost_per_contact", "s0"): (6_026_880 / 4180, Colour.RED),  # (6e6 + 13440 × 2) / 4180
    ("cost_per_contact", "s1"): (NAN, Colour.NONE),
    ("consult_coverage", None): (0.5, Colour.RED),  # s1: s0 is 70 min away, no video
}


@pytest.mark.parametrize(
    ("build", "expected"),
    [(baseline, BASELINE_EXPECTED), (concentrated, CONCENTRATED_EXPECTED)],
)
def test_every_indicator_value_and_colour_by_hand(build, expected) -> None:
    card = score(build(), catalogue())
    got = _values(card)
    assert set(got) == set(expected)
    for key, (value, colour) in expected.items():
        sc = got[key]
        assert sc.specialty_id == "kardiologi"
        if math.isnan(value):
            assert math.isnan(sc.value), key
        else:
            assert sc.value == pytest.approx(value, rel=1e-5), key
        assert sc.colour == colour, key


def test_expected_tables_cover_the_whole_catalogue() -> None:
    ids = {ind.id for ind in load_indicators()}
    assert ids == set(THRESHOLDS) == set(COMPUTATIONS)
    assert {i for i, _ in BASELINE_EXPECTED} == ids


def test_scores_follow_catalogue_order_and_carry_the_catalogue() -> None:
    indicators = catalogue()
    card = score(baseline(), indicators)
    assert card.scenario_name == "baseline"
    assert card.indicators == indicators
    order = [sc.indicator_id for sc in card.scores]
    assert order == sorted(order, key=[i.id for i in indicators].index)
    # 11 site-level indicators × 2 sites + 4 specialty-level ones
    assert len(card.scores) == 11 * 2 + 4


def test_a_site_with_neither_team_nor_outreach_gets_no_site_scores() -> None:
    card = score(concentrated(outreach_days=0.0), catalogue())
    assert {sc.site_id for sc in card.scores} == {"s0", None}


def test_video_consults_cover_a_distant_acute_site() -> None:
    card = score(concentrated(video_consults=0.25), catalogue())
    assert _values(card)[("consult_coverage", None)].value == 1.0


def test_serving_team_within_60_minutes_covers_consults() -> None:
    ev = concentrated()
    region = ev.region
    assert region.travel_minutes is not None
    near = region.travel_minutes.copy()
    near[0, 1] = 60.0  # s0 (area A0) -> s1: exactly at the limit
    ev = replace(ev, travel_minutes=near)
    assert _values(score(ev, catalogue()))[("consult_coverage", None)].value == 1.0
    near[0, 1] = 60.5
    assert _values(score(ev, catalogue()))[("consult_coverage", None)].value == 0.5


def test_inactive_acute_site_is_not_counted_for_consult_cover() -> None:
    ev = concentrated()
    sites = (ev.region.sites[0], replace(ev.region.sites[1], active=False))
    ev = replace(ev, region=replace(ev.region, sites=sites))
    assert _values(score(ev, catalogue()))[("consult_coverage", None)].value == 1.0


def test_robustness_at_fractional_fte_sums() -> None:
    ev = baseline()
    team = replace(ev.plan.team, specialist_fte=np.array([[4.1 - 0.1, 3.9]]))
    ev = replace(ev, plan=replace(ev.plan, team=team))
    got = _values(score(ev, catalogue()))
    assert got[("n1_robust", "s0")].value == 1.0  # 3.9999999999999996 counts as 4 FTE
    assert got[("n1_robust", "s1")].value == 0.0  # 2.9 < 3


def test_score_refuses_an_indicator_without_computation_or_with_another_level() -> None:
    ind = catalogue()[0]
    with pytest.raises(InputError, match="no computation"):
        score(baseline(), [replace(ind, id="beds_per_fte")])
    with pytest.raises(InputError, match="level"):
        score(baseline(), [replace(ind, level="specialty")])


def _indicator(direction: Direction, green: float, red: float) -> IndicatorDef:
    return IndicatorDef("x", Perspective.STAFF, "x", "x", "", direction, green, red, "site", "")


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        (2.0, Colour.GREEN),
        (1.0, Colour.GREEN),  # at green: green
        (0.9999, Colour.YELLOW),
        (0.8, Colour.YELLOW),  # at red: not yet red
        (0.7999, Colour.RED),
        (-5.0, Colour.RED),
        (math.inf, Colour.GREEN),
        (math.nan, Colour.NONE),
    ],
)
def test_colour_higher_is_better(value: float, colour: Colour) -> None:
    assert colour_of(value, _indicator(Direction.HIGHER_IS_BETTER, 1.0, 0.8)) == colour


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        (0.0, Colour.GREEN),
        (45.0, Colour.GREEN),  # at green: green
        (45.01, Colour.YELLOW),
        (60.0, Colour.YELLOW),  # at red: not yet red
        (60.01, Colour.RED),
        (math.inf, Colour.RED),
        (math.nan, Colour.NONE),
    ],
)
def test_colour_lower_is_better(value: float, colour: Colour) -> None:
    assert colour_of(value, _indicator(Direction.LOWER_IS_BETTER, 45.0, 60.0)) == colour


def test_colour_with_equal_thresholds_has_no_yellow() -> None:
    yes_no = _indicator(Direction.HIGHER_IS_BETTER, 1.0, 1.0)
    assert colour_of(1.0, yes_no) == Colour.GREEN
    assert colour_of(0.0, yes_no) == Colour.RED
    assert colour_of(0.999, yes_no) == Colour.RED


def test_worst_colour_order() -> None:
    assert worst_colour([]) == Colour.NONE
    assert worst_colour([Colour.NONE, Colour.GREEN]) == Colour.GREEN
    assert worst_colour([Colour.GREEN, Colour.YELLOW, Colour.NONE]) == Colour.YELLOW
    assert worst_colour([Colour.YELLOW, Colour.RED, Colour.GREEN]) == Colour.RED


def test_heatmap_takes_the_worst_colour_per_perspective() -> None:
    cells = heatmap(score(concentrated(), catalogue()))
    P = Perspective
    assert cells == {
        # team 2 green, contacts/FTE 697 red, N-1 and N-2 green, trainees 0.17 yellow
        ("kardiologi", "s0", P.PROFESSIONAL): Colour.RED,
        # WISN green, on-call 4.85, travel 37 h/FTE, vacancy 14 %: yellow
        ("kardiologi", "s0", P.STAFF): Colour.YELLOW,
        # utilisation green, cost per contact red
        ("kardiologi", "s0", P.ORGANISATIONAL): Colour.RED,
        ("kardiologi", "s1", P.PROFESSIONAL): Colour.NONE,  # no team: no values
        ("kardiologi", "s1", P.STAFF): Colour.NONE,
        ("kardiologi", "s1", P.ORGANISATIONAL): Colour.YELLOW,  # outreach load 100 %
        # P90 and 45-minute share green, Gini yellow, consult coverage red
        ("kardiologi", None, P.ORGANISATIONAL): Colour.RED,
    }


def test_heatmap_of_the_baseline() -> None:
    cells = heatmap(score(baseline(), catalogue()))
    P = Perspective
    assert cells[("kardiologi", "s0", P.PROFESSIONAL)] == Colour.YELLOW  # N-2, trainees
    assert cells[("kardiologi", "s0", P.STAFF)] == Colour.RED  # on-call 1-in-3.2
    assert cells[("kardiologi", "s0", P.ORGANISATIONAL)] == Colour.YELLOW  # cost
    assert cells[("kardiologi", "s1", P.PROFESSIONAL)] == Colour.RED
    assert cells[("kardiologi", None, P.ORGANISATIONAL)] == Colour.YELLOW  # Gini


def test_changed_colours_lists_every_change_with_both_values() -> None:
    a = score(baseline(), catalogue())
    b = score(concentrated(), catalogue())
    changes = changed_colours(a, b)
    got = {(c.indicator_id, c.site_id): (c.colour_a, c.colour_b) for c in changes}
    G, Y, R, N = Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.NONE
    assert got == {
        ("team_size_ratio", "s1"): (R, N),
        ("contacts_per_fte", "s0"): (Y, R),
        ("contacts_per_fte", "s1"): (Y, N),
        ("n1_robust", "s1"): (R, N),
        ("n2_robust", "s0"): (Y, G),
        ("n2_robust", "s1"): (Y, N),
        ("trainees_per_specialist", "s1"): (R, N),
        ("wisn_ratio", "s1"): (G, N),
        ("on_call_rota", "s0"): (R, Y),
        ("on_call_rota", "s1"): (R, N),
        ("staff_travel_hours_per_fte", "s0"): (G, Y),
        ("staff_travel_hours_per_fte", "s1"): (G, N),
        ("vacancy_rate", "s0"): (G, Y),
        ("vacancy_rate", "s1"): (R, N),
        ("utilisation", "s1"): (G, Y),
        ("cost_per_contact", "s0"): (Y, R),
        ("cost_per_contact", "s1"): (Y, N),
        ("consult_coverage", None): (G, R),
    }
    on_call = next(c for c in changes if c.indicator_id == "on_call_rota" and c.site_id == "s0")
    assert on_call.value_a == pytest.approx(3.230769, rel=1e-5)
    assert on_call.value_b == pytest.approx(4.846154, rel=1e-5)
    assert on_call.specialty_id == "kardiologi"
    assert changed_colours(a, a) == []


def test_changed_colours_counts_a_missing_score_as_none() -> None:
    a = score(concentrated(outreach_days=0.0), catalogue())  # s0 only
    b = score(baseline(), catalogue())  # s0 and s1
    appeared = [c for c in changed_colours(a, b) if c.site_id == "s1"]
    assert {c.indicator_id for c in appeared} == {
        i for (i, site), (_, colour) in BASELINE_EXPECTED.items()
        if site == "s1" and colour != Colour.NONE
    }
    assert all(math.isnan(c.value_a) and c.colour_a == Colour.NONE for c in appeared)
