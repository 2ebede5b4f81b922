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

from bassplan.domain.errors import InputError
from bassplan.domain.results import (
    IndicatorDef,
    Score,
    Scorecard,
)
from bassplan.domain.vocabulary import Colour, Direction, Perspective
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.registry import BY_ID
from bassplan.scorecard.score import (
    changed_colours,
    colour_of,
    heatmap,
    score,
    worst_colour,
)
from tests.support.scorecard import (
    THRESHOLDS,
    baseline,
    catalogue,
    concentrated,
)


def _values(card: Scorecard) -> dict[tuple[str, str | None], Score]:
    return {(sc.indicator_id, sc.site_id): sc for sc in card.scores}


NAN = math.nan
# (indicator, site): (value, colour) by hand; see the docstrings of the builders
BASELINE_EXPECTED: dict[tuple[str, str | None], tuple[float, Colour]] = {
    ("team_size_ratio", "s0"): (4 / 3, Colour.GREEN),
    ("team_size_ratio", "s1"): (2 / 3, Colour.RED),
    ("contacts_per_fte", "s0"): (425.0, Colour.RED),  # 1700 / 4: bed days are no contacts
    ("contacts_per_fte", "s1"): (240.0, Colour.RED),  # 480 / 2
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
    ("utilisation", "s0"): (1400 / 2000, Colour.GREEN),  # visits seen / outpatient capacity
    ("utilisation", "s1"): (400 / 800, Colour.GREEN),
    ("cost_per_contact", "s0"): (4e6 / 1700, Colour.RED),  # 2352.94 DKK
    ("cost_per_contact", "s1"): (2e6 / 480, Colour.RED),  # 4166.67 DKK
    ("consult_coverage", None): (1.0, Colour.GREEN),  # a team at both acute sites
    ("unserved_visits", None): (0.0, Colour.GREEN),
    ("inpatient_cover", "s0"): (1.0, Colour.GREEN),  # own team
    ("inpatient_cover", "s1"): (1.0, Colour.GREEN),
}
CONCENTRATED_EXPECTED: dict[tuple[str, str | None], tuple[float, Colour]] = {
    ("team_size_ratio", "s0"): (2.0, Colour.GREEN),
    ("team_size_ratio", "s1"): (NAN, Colour.NONE),  # outreach site: no team
    ("contacts_per_fte", "s0"): (2380 / 6, Colour.RED),  # 396.7
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
    ("utilisation", "s0"): (1400 / 2800, Colour.GREEN),
    ("utilisation", "s1"): (1.0, Colour.YELLOW),  # 400 contacts / (1 × 40 × 10)
    ("cost_per_contact", "s0"): (6_026_880 / 2380, Colour.RED),  # (6e6 + 13440 × 2) / 2380
    ("cost_per_contact", "s1"): (NAN, Colour.NONE),
    ("consult_coverage", None): (1.0, Colour.GREEN),  # s0's team sees s1's consults
    ("unserved_visits", None): (0.0, Colour.GREEN),
    ("inpatient_cover", "s0"): (1.0, Colour.GREEN),
    ("inpatient_cover", "s1"): (0.5, Colour.YELLOW),  # general internal medicine + consults
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
    assert ids == set(THRESHOLDS) == set(BY_ID)
    assert {i for i, _ in BASELINE_EXPECTED} == ids


def test_scores_follow_catalogue_order_and_carry_the_catalogue() -> None:
    indicators = catalogue()
    card = score(baseline(), indicators)
    assert card.scenario_name == "baseline"
    assert card.indicators == indicators
    order = [sc.indicator_id for sc in card.scores]
    assert order == sorted(order, key=[i.id for i in indicators].index)
    # 12 site-level indicators × 2 sites + 5 specialty-level ones
    assert len(card.scores) == 12 * 2 + 5


def test_an_acute_site_without_team_or_outreach_scores_only_its_inpatient_cover() -> None:
    card = score(concentrated(outreach_days=0.0), catalogue())
    at_s1 = {sc.indicator_id: sc for sc in card.scores if sc.site_id == "s1"}
    assert at_s1.pop("inpatient_cover").colour == Colour.YELLOW  # medicine + consults
    assert all(sc.colour == Colour.NONE for sc in at_s1.values())


def test_video_consults_cover_a_distant_acute_site() -> None:
    card = score(concentrated(video_consults=0.25), catalogue())
    assert _values(card)[("consult_coverage", None)].value == 1.0


def test_consult_cover_is_the_allocations_and_has_no_reach_of_its_own() -> None:
    ev = concentrated()
    assert ev.region.travel_minutes is not None
    far = ev.travel_minutes.copy()
    far[0, 1] = 500.0  # s0 -> s1 far beyond any reach: the allocation still names s0's team
    ev = replace(ev, travel_minutes=far)
    assert _values(score(ev, catalogue()))[("consult_coverage", None)].value == 1.0
    orphan = replace(ev.allocation, consult_team=np.array([[0, -1]], dtype=np.int64))
    card = score(replace(ev, allocation=orphan), catalogue())
    assert _values(card)[("consult_coverage", None)].value == 0.5


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
        # P90, 45-minute share and consult coverage green, Gini yellow
        ("kardiologi", None, P.ORGANISATIONAL): Colour.YELLOW,
    }


def test_heatmap_of_the_baseline() -> None:
    cells = heatmap(score(baseline(), catalogue()))
    P = Perspective
    assert cells[("kardiologi", "s0", P.PROFESSIONAL)] == Colour.RED  # 425 contacts/FTE
    assert cells[("kardiologi", "s0", P.STAFF)] == Colour.RED  # on-call 1-in-3.2
    assert cells[("kardiologi", "s0", P.ORGANISATIONAL)] == Colour.RED  # cost per contact
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
        ("contacts_per_fte", "s1"): (R, N),
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
        ("cost_per_contact", "s1"): (R, N),
        ("inpatient_cover", "s1"): (G, Y),  # own team → general internal medicine
    }
    on_call = next(c for c in changes if c.indicator_id == "on_call_rota" and c.site_id == "s0")
    assert on_call.value_a == pytest.approx(3.230769, rel=1e-5)
    assert on_call.value_b == pytest.approx(4.846154, rel=1e-5)
    assert on_call.specialty_id == "kardiologi"
    assert changed_colours(a, a) == []


def test_changed_colours_counts_a_missing_score_as_none() -> None:
    a = score(concentrated(outreach_days=0.0), catalogue())  # s0 only
    b = score(baseline(), catalogue())  # s0 and s1
    # s1 stays scored for its inpatient cover (it admits patients), the rest appears
    appeared = [c for c in changed_colours(a, b)
                if c.site_id == "s1" and c.indicator_id != "inpatient_cover"]
    assert {c.indicator_id for c in appeared} == {
        i for (i, site), (_, colour) in BASELINE_EXPECTED.items()
        if site == "s1" and colour != Colour.NONE and i != "inpatient_cover"
    }
    assert all(math.isnan(c.value_a) and c.colour_a == Colour.NONE for c in appeared)
