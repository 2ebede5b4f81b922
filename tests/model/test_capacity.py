"""Capacity-aware assignment and inpatient cover: overflow worked by hand on the toy region,
the invariants on every example scenario, and an acute site left without cover."""

from __future__ import annotations

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.region import Region, WorkloadStandards
from bassplan.domain.scenario import OutreachClinic, Scenario, StaffingChange
from bassplan.domain.vocabulary import V_NONE, V_ROTATION, Colour
from bassplan.i18n.words import say
from bassplan.model.evaluate import evaluate
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.explain import explain
from bassplan.scorecard.score import score
from bassplan.views.formatting import say_site
from tests.support.paths import EXAMPLES
from tests.support.toy import toy_region

ADM, BED, FV, FU = 0, 1, 2, 3
# toy in-person visits per year (first visits + follow-ups, TOY_DEMAND): A0 20 + 70 = 90,
# A1 7 + 24 = 31, A2 21.5 + 83 = 104.5; A2 is 15 min from s1 and 80 from s0
A2_VISITS = 104.5


def half_hour_toy() -> Region:
    """The toy region where every outpatient visit takes 30 minutes and nothing else takes
    specialist time, so a team's outpatient capacity is its clinical hours × 2: one FTE has
    1,554 h × (1 − 0.2) = 1,243.2 clinical hours, 2,486.4 visits a year."""
    minutes = np.array([[0.0, 0.0, 30.0, 30.0, 0.0, 0.0]])
    return toy_region(workload=WorkloadStandards(minutes, np.ones((1, 6), dtype=bool)))


def test_a_full_outreach_clinic_passes_the_rest_to_its_strength_position() -> None:
    # 0.1 day a week × 40 weeks × 10 visits a day = 40 visits: A2 keeps 40 at s1 and its
    # other 64.5 go to the serving strength position s0 (80 minutes away)
    scenario = Scenario(name="fuld klinik", year=2021, strength_positions={"kardiologi": ["s0"]},
                        outreach={"kardiologi": [OutreachClinic(site="s1", days_per_week=0.1)]})
    ev = evaluate(toy_region(), scenario)
    alloc = ev.allocation
    assert alloc.outpatient_capacity[0, 1] == pytest.approx(40.0)
    np.testing.assert_allclose(alloc.outpatient_share[0, 2], [64.5 / A2_VISITS, 40 / A2_VISITS])
    np.testing.assert_allclose(alloc.outpatient_share[0, :2, 0], [1.0, 1.0])
    np.testing.assert_array_equal(alloc.unserved, 0.0)
    # the outreach clinic sees 40 of A2's visits in their first/follow-up mix
    assert alloc.contacts[0, 1, FV, 1] == pytest.approx(21.5 * 40 / A2_VISITS)
    assert alloc.contacts[0, 1, FU, 1] == pytest.approx(83.0 * 40 / A2_VISITS)
    # A2 travels (40 × 15 + 64.5 × 80) / 104.5 = 55.12 minutes on average, not 15
    assert ev.access.area_minutes[0, 2] == pytest.approx((40 * 15 + 64.5 * 80) / A2_VISITS)
    assert alloc.main_site[0, 2] == 0


def test_full_teams_overflow_within_the_organisation_and_the_rest_is_unserved() -> None:
    # s0: 0.05 FTE → 124.32 visits; s1: 0.025 FTE → 62.16 visits (2,486.4 per FTE).
    # s1 keeps 62.16 of A2's 104.5 and passes 42.34 on; s0 sees A0's 90 and A1's 31 and
    # has room for 3.32 more; 39.02 of A2's visits find no room anywhere
    changes = [
        StaffingChange(specialty="kardiologi", site="s0", specialist_fte=-3.95, trainee_fte=-1),
        StaffingChange(specialty="kardiologi", site="s1", specialist_fte=-1.975),
    ]
    ev = evaluate(half_hour_toy(), Scenario(name="små hold", year=2021, staffing_changes=changes))
    alloc = ev.allocation
    np.testing.assert_allclose(alloc.outpatient_capacity[0], [124.32, 62.16])
    np.testing.assert_allclose(alloc.outpatient_share[0, 2], [3.32 / A2_VISITS,
                                                               62.16 / A2_VISITS])
    np.testing.assert_allclose(alloc.unserved[0], [0.0, 0.0, 39.02], atol=1e-9)
    # A2's seen visits travel (62.16 × 15 + 3.32 × 80) / 65.48 minutes
    assert ev.access.area_minutes[0, 2] == pytest.approx((62.16 * 15 + 3.32 * 80) / 65.48)
    card = score(ev, load_indicators())
    got = {(sc.indicator_id, sc.site_id): sc for sc in card.scores}
    assert got[("utilisation", "s0")].value == pytest.approx(1.0)
    assert got[("utilisation", "s1")].value == pytest.approx(1.0)
    assert got[("unserved_visits", None)].value == pytest.approx(39.02)
    assert got[("unserved_visits", None)].colour == Colour.RED


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_no_example_exceeds_a_capacity_and_every_visit_is_counted(name: str) -> None:
    region = load_region()
    ev = evaluate(region, load_scenario(EXAMPLES / name, region))
    alloc = ev.allocation
    wanted = alloc.outpatient.in_person.sum(axis=-1).T  # (S, A)
    load = np.einsum("sa,saj->sj", wanted, alloc.outpatient_share)
    assert np.all(load <= alloc.outpatient_capacity * (1 + 1e-9) + 1e-6)
    # every visit is seen somewhere or reported unserved, none twice
    np.testing.assert_allclose(load.sum(axis=1) + alloc.unserved.sum(axis=1), wanted.sum(axis=1))
    assert np.all(alloc.outpatient_share >= -1e-12)
    # visits are seen only at service points
    points = ev.plan.strength_position | (ev.plan.outreach_days_per_week > 0)
    assert np.all(load[~points] == 0.0)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_every_admission_and_bed_day_is_somebody_s_work_or_explicitly_uncovered(
        name: str) -> None:
    region = load_region()
    ev = evaluate(region, load_scenario(EXAMPLES / name, region))
    alloc = ev.allocation
    inpatient = alloc.contacts[:, :, [ADM, BED], 0].sum(axis=2)  # (S, J)
    # every admission sits at an active acute site, and there a team does the work: its
    # own, or (the default: no example sets inpatient_cover) specialists rotating in
    assert np.all(inpatient[:, ~region.acute_mask] == 0.0)
    covered = alloc.inpatient_team >= 0
    assert np.all(covered[:, region.acute_mask])
    specs, sites = np.nonzero(covered)
    assert np.all(ev.plan.team.specialist_fte[specs, alloc.inpatient_team[specs, sites]] > 0)
    no_team = region.acute_mask[None, :] & (ev.plan.team.specialist_fte <= 0)
    assert np.all(alloc.inpatient_cover[no_team] == V_ROTATION)


def test_geriatrics_from_roskilde_keeps_the_acute_sites_inpatient_work() -> None:
    # geriatri_udgaaende: the only team sits at SUH Roskilde, which admits nobody; the four
    # acute sites' admissions and bed days are its specialists' work by rotation
    region = load_region()
    ev = evaluate(region, load_scenario(EXAMPLES / "geriatri_udgaaende.yaml", region))
    g = region.specialty_index("geriatri")
    roskilde = region.site_index("suh_roskilde")
    assert set(ev.allocation.inpatient_team[g][region.acute_mask]) == {roskilde}
    minutes = region.workload.minutes[g]
    inpatient_hours = (ev.demand[:, g, ADM].sum() * minutes[ADM]
                       + ev.demand[:, g, BED].sum() * minutes[BED]) / 60
    params = region.parameters
    per_fte = params.available_hours_per_fte * (1 - params.category_allowance)
    # the team's required FTE holds at least every admission and bed day of the region
    assert ev.workload.required_fte[g, roskilde] >= inpatient_hours / per_fte
    assert ev.transport.staff_hours[g, roskilde] > 0  # rotation days are driven


def test_an_acute_site_that_loses_its_team_without_cover_is_red_and_named() -> None:
    region = load_region()
    scenario = Scenario(name="uden dækning", year=2027,
                        strength_positions={"kardiologi": ["suh_koege", "slagelse"]},
                        inpatient_cover={"kardiologi": "none"}, pool_staff="region")
    ev = evaluate(region, scenario)
    card = score(ev, load_indicators())
    k = region.specialty_index("kardiologi")
    for site in ("holbaek", "suh_nykobing_f"):
        j = region.site_index(site)
        assert ev.allocation.inpatient_cover[k, j] == V_NONE
        assert ev.allocation.consult_team[k, j] == -1
        found = next(sc for sc in card.scores if sc.indicator_id == "inpatient_cover"
                     and sc.specialty_id == "kardiologi" and sc.site_id == site)
        assert found.value == 0.0
        assert found.colour == Colour.RED
        ex = explain(ev, card.indicators, "inpatient_cover", "kardiologi", site)
        detail = ex.steps[-1].detail
        assert detail is not None
        assert say(detail, "en").startswith(say_site(region.sites[j], "en"))
        assert say(detail, "da").startswith(say_site(region.sites[j], "da"))
        assert "nobody covers the admissions" in say(detail, "en")
        assert "ingen dækker indlæggelserne" in say(detail, "da")
    coverage = next(sc for sc in card.scores if sc.indicator_id == "consult_coverage"
                    and sc.specialty_id == "kardiologi")
    assert coverage.value == pytest.approx(0.5)  # 2 of 4 acute sites
    assert coverage.colour == Colour.RED
