"""Explanations: each trace computes its own last step and lands on the scored value, its
intermediate steps match hand arithmetic on the hand-made evaluations of
tests/support/scorecard.py, and bad requests are refused."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bassplan.domain.errors import InputError
from bassplan.domain.results import Evaluation, Explanation, Step
from bassplan.i18n.words import Lang, say
from bassplan.scorecard.explain import explain
from bassplan.scorecard.registry import BY_ID
from bassplan.scorecard.score import score
from tests.support.scorecard import baseline, catalogue, concentrated


def _step(explanation: Explanation, label: str) -> Step:
    matches = [s for s in explanation.steps if s.label == label]
    assert len(matches) == 1, [s.label for s in explanation.steps]
    return matches[0]


def _said(ex: Explanation, lang: Lang = "en") -> Explanation:
    """The explanation with its step names and notes said in ``lang`` (as text)."""
    return replace(ex, steps=tuple(
        replace(s, label=say(s.label, lang), detail=say(s.detail, lang) if s.detail else "")
        for s in ex.steps))


def _explain(ev: Evaluation, indicator: str, site: str | None, lang: Lang = "en") -> Explanation:
    return _said(explain(ev, catalogue(), indicator, "kardiologi", site), lang)


@pytest.mark.parametrize("build", [baseline, concentrated])
def test_every_trace_ends_at_the_scored_value(build) -> None:
    ev = build()
    for sc in score(ev, catalogue()).scores:
        ex = explain(ev, catalogue(), sc.indicator_id, sc.specialty_id, sc.site_id)
        assert ex.steps, sc
        for got in (ex.value, ex.steps[-1].value):
            if math.isnan(sc.value):
                assert math.isnan(got), sc
            else:
                assert got == pytest.approx(sc.value, rel=1e-12), sc
        assert ex.colour == sc.colour
        assert (ex.indicator_id, ex.specialty_id, ex.site_id) == (
            sc.indicator_id, sc.specialty_id, sc.site_id
        )
        assert all(isinstance(step.value, float) for step in ex.steps)


def test_the_catalogue_names_exactly_the_known_indicators() -> None:
    assert {ind.id for ind in catalogue()} == set(BY_ID)


def test_wisn_trace_rebuilds_the_workload_from_the_contacts() -> None:
    ex = _explain(concentrated(), "wisn_ratio", "s0")
    # the team serves every area: outpatient sites s0/s1 and admitting sites s0/s1
    assert _step(ex, "Residents in the catchment").value == 1300.0
    assert _step(ex, "Demand: admission").value == 500.0  # 200 + 100 + 200
    assert _step(ex, "first_visit: contacts in person").value == 500.0  # 400 + 100 outreach
    assert _step(ex, "follow_up: contacts in person").value == 1300.0
    assert _step(ex, "follow_up: digital contacts").value == 200.0
    assert _step(ex, "follow_up: hours").value == 700.0  # (1300 + 0.5 × 200) × 30 / 60
    assert _step(ex, "consult: contacts in person").value == 380.0  # 100 own + 280 at s1
    assert _step(ex, "PRO review hours").value == pytest.approx(50.0)
    assert _step(ex, "Staff travel hours").value == pytest.approx(224.0)
    assert _step(ex, "Workload").value == pytest.approx(2214.0)
    assert _step(ex, "Available hours per FTE").value == 1554.0
    assert _step(ex, "Required FTE").value == pytest.approx(2214.0 / 1243.2)
    assert _step(ex, "Available FTE").value == 6.5
    assert ex.value == pytest.approx(3.649864, rel=1e-6)


def test_wisn_trace_splits_pro_hours_by_follow_ups_and_shows_video_consults() -> None:
    ev = baseline()
    # follow-ups 1200 at s0 and 300 at s1: 600 answers × 5 min = 50 h split 0.8 / 0.2
    assert _step(_explain(ev, "wisn_ratio", "s0"), "PRO review hours").value == pytest.approx(40)
    assert _step(_explain(ev, "wisn_ratio", "s1"), "PRO review hours").value == pytest.approx(10)
    assert _step(_explain(ev, "wisn_ratio", "s0"), "Residents in the catchment").value == 800.0
    video = _explain(concentrated(video_consults=0.25), "wisn_ratio", "s0")
    assert _step(video, "consult: contacts in person").value == 310.0  # 100 + 0.75 × 280
    assert _step(video, "consult: video consults").value == 70.0


def test_wisn_trace_agrees_with_the_workload_stage() -> None:
    """Peer check: the workload stage run on the same hand-made allocation needs the hours
    the trace rebuilds, and (without video) the hand numbers of test_scorecard."""
    from bassplan.model.workload import assess_workload

    for ev, hand in ((baseline(), True), (concentrated(), True),
                     (concentrated(video_consults=0.25), False)):
        work = assess_workload(ev.region, ev.plan, ev.allocation, ev.transport.staff_hours)
        for j, site in enumerate(ev.region.sites):
            if ev.plan.team.specialist_fte[0, j] > 0:
                required = _step(_explain(ev, "wisn_ratio", site.id), "Required FTE").value
                assert required == pytest.approx(work.required_fte[0, j])
        if hand:
            assert np.allclose(work.required_fte, ev.workload.required_fte)
            assert np.allclose(work.contacts_per_fte, ev.workload.contacts_per_fte,
                               equal_nan=True)


def test_illustrative_inputs_say_so() -> None:
    ex = _explain(baseline(), "wisn_ratio", "s0")
    assert "(illustrative)" in _step(ex, "admission: minutes per contact").detail
    assert "(illustrative)" in _step(ex, "Category allowance (non-contact work)").detail
    assert "(illustrative)" in _step(ex, "Team specialist FTE").detail
    assert "rates.csv" in _step(ex, "Demand: admission").detail
    assert "(illustrative)" not in _step(ex, "Demand: admission").detail  # toy rates are not


def test_p90_trace_walks_the_areas_to_the_90_percent_crossing() -> None:
    ex = _explain(baseline(), "p90_access_minutes", None)
    assert ex.steps[0].value == 1300.0
    # sorted: Østby 10 min (46.2 %), Vestø 15 min (84.6 %), Midtå 35 min (100 %)
    assert [s.label for s in ex.steps[1:4]] == [
        "Østby → Sygehus Øst", "Vestø → Sygehus Vest", "Midtå → Sygehus Øst"
    ]
    assert [s.value for s in ex.steps[1:4]] == [10.0, 15.0, 35.0]
    assert "84.6%" in ex.steps[2].detail
    assert ex.steps[-1].value == 35.0


def test_n1_trace() -> None:
    ex = _explain(baseline(), "n1_robust", "s1")
    assert _step(ex, "Team specialist FTE").value == 2.0
    assert _step(ex, "FTE left").value == 1.0
    assert _step(ex, "Minimum robust team").value == 3.0
    assert ex.value == 0.0
    assert ex.steps[-1].detail.endswith("no")
    assert _explain(baseline(), "n1_robust", "s0").steps[-1].detail.endswith("yes")


def test_cost_trace() -> None:
    ex = _explain(concentrated(), "cost_per_contact", "s0")
    assert _step(ex, "Staff cost").value == 6_000_000.0
    assert _step(ex, "Staff km").value == pytest.approx(13_440.0)
    assert _step(ex, "Travel cost").value == pytest.approx(26_880.0)
    assert _step(ex, "Total cost").value == pytest.approx(6_026_880.0)
    assert _step(ex, "Contacts handled").value == pytest.approx(2380.0)  # no bed days
    assert ex.value == pytest.approx(6_026_880 / 2380, rel=1e-9)


def test_on_call_trace() -> None:
    ex = _explain(concentrated(), "on_call_rota", "s0")
    assert _step(ex, "Specialists in the on-call rota").value == 6.0
    assert _step(ex, "Contractual hours per year").value == 1924.0  # 37 × 52
    assert _step(ex, "Absence share").value == pytest.approx(0.192308, rel=1e-5)
    assert ex.value == pytest.approx(4.846154, rel=1e-6)


def test_utilisation_trace_at_an_outreach_site() -> None:
    ex = _explain(concentrated(), "utilisation", "s1")
    assert _step(ex, "Clinic capacity").value == 400.0  # 1 day × 40 weeks × 10
    assert _step(ex, "In-person visits seen here").value == 400.0
    assert ex.value == 1.0


def test_consult_coverage_trace_names_who_sees_the_consults() -> None:
    ex = _explain(concentrated(video_consults=0.25), "consult_coverage", None)
    assert _step(ex, "Cover at Sygehus Øst").detail == "team on site"
    vest = _step(ex, "Cover at Sygehus Vest")
    assert vest.value == 1.0
    assert vest.detail == "Sygehus Øst sees 210 consults on site and 70 by video a year"
    ev = concentrated()
    orphan = replace(ev.allocation, consult_team=np.array([[0, -1]], dtype=np.int64))
    ex = _said(explain(replace(ev, allocation=orphan), catalogue(), "consult_coverage",
                       "kardiologi", None))
    assert _step(ex, "Cover at Sygehus Vest").detail == "no team sees its consults"
    assert ex.value == ex.steps[-1].value == 0.5


@pytest.mark.parametrize(
    ("indicator", "specialty", "site", "field", "names"),
    [
        ("beds", "kardiologi", "s0", "indicator", "wisn_ratio"),
        ("wisn_ratio", "nefrologi", "s0", "specialty", "kardiologi"),
        ("wisn_ratio", "kardiologi", "s9", "site", "s0, s1"),
        ("wisn_ratio", "kardiologi", None, "site", "s0, s1"),
        ("p90_access_minutes", "kardiologi", "s0", "site", "specialty-level"),
    ],
)
def test_unknown_requests_are_refused_with_the_known_values(
    indicator: str, specialty: str, site: str | None, field: str, names: str
) -> None:
    with pytest.raises(InputError) as err:
        explain(baseline(), catalogue(), indicator, specialty, site)
    assert err.value.field == field
    assert names in err.value.rule


def test_a_site_without_scores_is_refused_listing_the_scored_sites() -> None:
    ev = concentrated(outreach_days=0.0)
    region = replace(ev.region, sites=(ev.region.sites[0], replace(ev.region.sites[1],
                                                                   acute=False)))
    with pytest.raises(InputError) as err:  # s1: no team, no outreach, admits nobody
        explain(replace(ev, region=region), catalogue(), "wisn_ratio", "kardiologi", "s1")
    assert "known: s0)" in err.value.rule


def test_steps_read_in_danish_with_danish_numbers() -> None:
    """The same trace said in Danish: Danish words, decimal comma and ' %' (84.6 % of the
    1,300 residents live in Østby or Vestø: (600 + 500) / 1,300)."""
    ex = _explain(baseline(), "p90_access_minutes", None, "da")
    assert ex.steps[0].label == "Borgere"
    assert ex.steps[2].detail == "500 borgere; kumuleret andel 84,6 %"
    assert ex.steps[-1].label == "P90-rejsetid"
    wisn = _explain(baseline(), "wisn_ratio", "s0", "da")
    assert _step(wisn, "indlæggelse: minutter pr. kontakt").detail == "workload.csv (illustrativ)"
    assert _step(wisn, "WISN-forhold").detail == "tilgængelige FTE / nødvendige FTE"
