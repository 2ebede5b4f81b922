"""On every shipped example scenario: each explanation rebuilds its scored value, and the
scores that mirror an allocation quantity equal it (one owner for every number)."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.results import Evaluation, Scorecard
from bassplan.domain.vocabulary import C_FIRST_VISIT, C_FOLLOW_UP, M_OUTREACH
from bassplan.model.evaluate import evaluate
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.explain import explain
from bassplan.scorecard.score import score
from tests.support.paths import EXAMPLES

SCENARIOS = sorted(p.name for p in EXAMPLES.glob("*.yaml"))


@cache
def scored(name: str) -> tuple[Evaluation, Scorecard]:
    region = load_region()
    evaluation = evaluate(region, load_scenario(Path(EXAMPLES / name), region))
    return evaluation, score(evaluation, load_indicators())


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_explanation_rebuilds_its_scored_value(name: str) -> None:
    evaluation, card = scored(name)
    for sc in card.scores:
        ex = explain(evaluation, card.indicators, sc.indicator_id, sc.specialty_id, sc.site_id)
        last = ex.steps[-1].value
        if math.isnan(sc.value):
            assert math.isnan(last), sc
        else:
            assert last == pytest.approx(sc.value, rel=1e-9, abs=1e-9), (sc, ex.steps[-1])


def _values(card: Scorecard, indicator: str) -> dict[tuple[str, str | None], float]:
    return {(s.specialty_id, s.site_id): s.value for s in card.scores
            if s.indicator_id == indicator}


@pytest.mark.parametrize("name", SCENARIOS)
def test_scores_that_mirror_the_allocation_equal_it(name: str) -> None:
    ev, card = scored(name)
    region, alloc, plan = ev.region, ev.allocation, ev.plan
    acute = np.flatnonzero(region.acute_mask)
    coverage = _values(card, "consult_coverage")
    utilisation = _values(card, "utilisation")
    params = region.parameters
    for s, spec in enumerate(region.specialties):
        covered = sum(1 for j in acute if alloc.consult_team[s, j] >= 0)
        assert coverage[(spec.id, None)] == covered / acute.size
        for j, site in enumerate(region.sites):
            if plan.team.specialist_fte[s, j] > 0 or plan.outreach_days_per_week[s, j] <= 0:
                continue
            load = alloc.contacts[s, j, [C_FIRST_VISIT, C_FOLLOW_UP], M_OUTREACH].sum()
            capacity = (plan.outreach_days_per_week[s, j] * params.clinic_weeks_per_year
                        * params.outreach_visits_per_day)
            assert utilisation[(spec.id, site.id)] == pytest.approx(load / capacity)
    wisn = _values(card, "wisn_ratio")
    travel = _values(card, "staff_travel_hours_per_fte")
    for (spec_id, site_id), value in wisn.items():
        s, j = region.specialty_index(spec_id), region.site_index(str(site_id))
        if not math.isnan(value):
            assert value == ev.workload.wisn_ratio[s, j]
            fte = plan.team.specialist_fte[s, j]
            assert travel[(spec_id, site_id)] == ev.transport.staff_hours[s, j] / fte
