"""Population responsibility per area, by hand on the toy region."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from bassplan.domain.region import Region
from bassplan.model.evaluate import evaluate
from bassplan.views.responsibility import population_responsibility
from tests.support.scenarios import baseline, lever_scenario


def test_baseline_responsibility_on_toy(toy: Region) -> None:
    rows = population_responsibility(evaluate(toy, baseline()))
    assert [r.area_code for r in rows] == ["A0", "A1", "A2"]
    assert [r.area_name for r in rows] == ["Østby", "Midtå", "Vestø"]
    assert [r.residents for r in rows] == [600.0, 200.0, 500.0]
    assert [r.admitting_site_id for r in rows] == ["s0", "s0", "s1"]
    entries = [r.specialties[0] for r in rows]
    assert [e.specialty_id for e in entries] == ["kardiologi"] * 3
    assert [e.site_id for e in entries] == ["s0", "s0", "s1"]
    assert [e.visit_site_id for e in entries] == ["s0", "s0", "s1"]
    assert [e.minutes for e in entries] == [10.0, 35.0, 15.0]
    assert all(e.within_45 for e in entries)
    assert all(e.share_strength_position == 1.0 for e in entries)
    assert all(e.share_outreach == 0.0 and e.share_digital == 0.0 for e in entries)


def test_lever_responsibility_on_toy(toy: Region) -> None:
    rows = population_responsibility(evaluate(toy, lever_scenario()))
    a0, a1, a2 = (r.specialties[0] for r in rows)
    # A0: 20 first visits + 49 follow-up visits = 69; 9.8 digital, 59.2 at s0
    assert a0.site_id == a0.visit_site_id == "s0"
    assert a0.share_strength_position == pytest.approx(59.2 / 69)
    assert a0.share_digital == pytest.approx(9.8 / 69)
    assert a0.share_outreach == 0.0
    # A1: 7 + 16.8 = 23.8; 3.36 digital
    assert a1.share_digital == pytest.approx(3.36 / 23.8)
    assert a1.minutes == 35.0
    # A2: answered for by s0's team, seen at the outreach clinic at s1 (15 minutes):
    # 21.5 + 58.1 = 79.6; 11.62 digital, 67.98 at the clinic
    assert (a2.site_id, a2.visit_site_id) == ("s0", "s1")
    assert a2.share_outreach == pytest.approx(67.98 / 79.6)
    assert a2.share_digital == pytest.approx(11.62 / 79.6)
    assert a2.share_strength_position == 0.0
    assert a2.minutes == 15.0 and a2.within_45
    assert rows[2].admitting_site_id == "s1"


def test_far_area_is_not_within_45(toy: Region) -> None:
    rows = population_responsibility(
        evaluate(toy, baseline(strength_positions={"kardiologi": ["s0"]}))
    )
    far = rows[2].specialties[0]
    # A2 is seen at s0, 80 minutes away
    assert (far.visit_site_id, far.minutes, far.within_45) == ("s0", 80.0, False)


def test_area_without_residents_has_no_modality_mix(toy: Region) -> None:
    residents = toy.population.residents.copy()
    residents[1] = 0.0
    region = replace(toy, population=replace(toy.population, residents=residents))
    entry = population_responsibility(evaluate(region, lever_scenario()))[1].specialties[0]
    assert math.isnan(entry.share_strength_position)
    assert math.isnan(entry.share_outreach)
    assert math.isnan(entry.share_digital)
    assert entry.minutes == 35.0
    assert np.isfinite(entry.minutes)
