"""Staff conservation and the optimiser's rules, checked on every plan against the region's
own staffing (not the request's arrays): the specialist FTE of the base staffing equal the
plan's team FTE plus what the settings release, before and after (also as ``evaluate``
reads the written scenario); moves are what leaves each site, within each organisation's
cap; strength positions lie only at eligible sites; every active acute site keeps its team
or is covered by another by the scenario's rule."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.region import Region, Staffing
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.model.evaluate import evaluate
from bassplan.optimise import optimise, plan_to_scenario
from bassplan.optimise.solve import Plan
from tests.support.opt_regions import random_region
from tests.support.paths import EXAMPLES


def _check_plan(region: Region, scenario: Scenario, plan: Plan) -> None:
    """Every rule of item 4 of issue 13 on one plan (FTE to 1e-6)."""
    settings = scenario.optimisation or OptimisationSettings()
    org = {s.id: s.organisation_id for s in region.sites}
    for site_ids in scenario.organisations.values():
        org.update(dict.fromkeys(site_ids, next(k for k, v in scenario.organisations.items()
                                                if v == site_ids)))
    written = evaluate(region, plan_to_scenario(plan, scenario, region))
    moved_out: dict[str, float] = {}
    for part in plan.specialties:
        s = region.specialty_index(part.specialty)
        base = {site.id: float(region.staffing.specialist_fte[s, j])
                for j, site in enumerate(region.sites)}
        released = {r.site: r.fte for r in settings.released_staff
                    if r.specialty == part.specialty}
        # staff totals equal before and after: placed + released = the base staffing
        total = sum(base.values())
        assert sum(part.team_fte.values()) + sum(released.values()) == pytest.approx(total)
        assert part.base_fte == pytest.approx(total)
        after = written.plan.team.specialist_fte[s]
        assert after.sum() == pytest.approx(total - sum(released.values()), abs=1e-3)
        for site_id, fte in part.team_fte.items():
            assert after[region.site_index(site_id)] == pytest.approx(fte, abs=1e-3)
        # moves: what leaves each site (all of it where no team stays), within the caps
        kept = {site_id: part.team_fte.get(site_id, 0.0) for site_id in base}
        moved = {site_id: max(base[site_id] - released.get(site_id, 0.0) - kept[site_id], 0.0)
                 for site_id in base}
        assert sum(part.moved.values()) == pytest.approx(sum(moved.values()), abs=1e-6)
        for site_id, fte in part.moved.items():
            assert fte == pytest.approx(moved[site_id], abs=1e-6)
        for organisation in set(org.values()):
            out = sum(v for site_id, v in moved.items() if org[site_id] == organisation)
            moved_out[organisation] = moved_out.get(organisation, 0.0) + out
        if not settings.allow_cross_organisation:  # nobody changes organisation
            for organisation in set(org.values()):
                mine = [j for j, site in enumerate(region.sites) if org[site.id] == organisation]
                before = sum(base[region.sites[j].id] - released.get(region.sites[j].id, 0.0)
                             for j in mine)
                assert float(after[mine].sum()) == pytest.approx(before, abs=1e-3)
        # eligible sites only: active acute ones, or those the settings list
        listed = {*settings.eligible_sites.get("default", []),
                  *settings.eligible_sites.get(part.specialty, [])}
        for site_id in part.strength_positions:
            site = region.sites[region.site_index(site_id)]
            assert site.active and (site.acute or site_id in listed)
        # inpatient cover: every active acute site has its team or one covering team
        for site in region.sites:
            if site.acute and site.active:
                assert (site.id in part.strength_positions) != (site.id in part.consult_cover)
                if part.inpatient_cover == "none":
                    assert site.id in part.strength_positions
    # the move cap of each organisation holds for the optimised specialties together
    for organisation, out in moved_out.items():
        cap = settings.max_moved_fte.get(organisation,
                                         settings.max_moved_fte.get("default", np.inf))
        assert out <= cap + 1e-6


def _random_scenario(seed: int) -> Scenario:
    rng = np.random.default_rng(700 + seed)
    cover = ("rotation", "consults", "none")[seed % 3]
    cross = bool(seed % 4 != 2) or cover == "none"
    top = 3 if cover == "none" or not cross else int(rng.choice([1, 2, 3]))
    released = ([{"specialty": "kardiologi", "site": "s2", "fte": 0.5,
                  "reason": "a retirement that is not refilled"}] if seed % 2 else [])
    return Scenario(
        name=f"conserve {seed}", year=2023, consult_reach_minutes=70.0,
        digital_share={"default": {"consult": 0.3, "follow_up": 0.1}},
        inpatient_cover={"default": cover},  # type: ignore[dict-item]
        optimisation=OptimisationSettings.model_validate({
            "max_outreach_days": float(rng.choice([0.0, 2.0])),
            "max_strength_positions": top,
            "allow_cross_organisation": cross,
            "cost_per_moved_fte_dkk": float(rng.choice([0.0, 3e5])),
            "max_moved_fte": {"default": 6.0} if top == 3 else {},
            "released_staff": released,
            "weights": {"patient_hours": 1.0, "staff_hours": 1.0, "cost_dkk": 1e-5},
        }),
    )


@pytest.mark.parametrize("seed", range(10))
def test_random_plans_keep_their_staff(seed: int) -> None:
    region = random_region(seed + 300, 1 + seed % 2, n_areas=8, n_sites=5)
    staff = region.staffing  # three times the random staffing: room for three teams of 3 FTE
    region = replace(region, staffing=Staffing(staff.specialist_fte * 3, staff.trainee_fte * 3,
                                               staff.vacant_fte * 3,
                                               staff.on_call_specialists * 3))
    scenario = _random_scenario(seed)
    _check_plan(region, scenario, optimise(region, scenario))


@pytest.mark.parametrize(("example", "specialty"),
                         [("optimer_kardiologi.yaml", "kardiologi"), ("optimer_alle.yaml", None)])
def test_shipped_plans_keep_their_staff(example: str, specialty: str | None) -> None:
    region = load_region()
    scenario = load_scenario(EXAMPLES / example, region)
    plan = optimise(region, scenario, None if specialty is None else [specialty])
    _check_plan(region, scenario, plan)
    cardiology = plan.specialty("kardiologi")
    # SUH's 13.5 + 7.7 = 21.2 cardiologists (staffing.csv) stay in the plan
    suh = sum(fte for site, fte in cardiology.team_fte.items()
              if site in ("suh_koege", "suh_nykobing_f", "suh_roskilde"))
    assert suh >= 21.2 - 1e-6
    assert all("naestved" not in part.strength_positions for part in plan.specialties)


def test_examples_exist() -> None:
    assert all(Path(EXAMPLES / name).exists()
               for name in ("optimer_kardiologi.yaml", "optimer_alle.yaml"))
