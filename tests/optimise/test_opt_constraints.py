"""Each constraint family holds in the plan, and each changes the plan when it binds.

Toy region (tests/toy.py), no outreach, one strength position: in-person visits A0 90,
A1 31, A2 104.5 a year (first visits + follow-ups, see test_opt_request.py), so visit
minutes at s0 are 90·10 + 31·35 + 104.5·80 = 10,345 and at s1 90·70 + 31·45 + 104.5·15
= 9,262.5: s1 is the patient-hours optimum. Within 20 min of s0 live A0's 600 of 1,300
residents (46 %), of s1 A2's 500 (38 %).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from bassplan.domain.region import Organisation, Region, Site
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import build_request, optimise
from bassplan.optimise.solve import Plan
from tests.support.opt_regions import random_region


def _toy_scenario(**settings: object) -> Scenario:
    base = {"max_outreach_days": 0, "max_strength_positions": 1,
            "weights": {"patient_hours": 1.0, "staff_hours": 0.0}}
    # s0 and s1 lie 70 min apart, beyond the 60-min reach of rotation: consults cover
    return Scenario(name="toy", year=2021, digital_share={"kardiologi": {"consult": 0.5}},
                    inpatient_cover={"default": "consults"},
                    optimisation=OptimisationSettings.model_validate({**base, **settings}))


def test_patient_optimum_without_constraints(toy: Region) -> None:
    assert optimise(toy, _toy_scenario()).specialties[0].strength_positions == ("s1",)


def test_fixed_open_is_respected(toy: Region) -> None:
    plan = optimise(toy, _toy_scenario(fixed_open={"kardiologi": ["s0"]}))
    assert plan.specialties[0].strength_positions == ("s0",)


def test_fixed_closed_is_respected(toy: Region) -> None:
    plan = optimise(toy, _toy_scenario(max_strength_positions=2,
                                       fixed_closed={"default": ["s1"]}))
    assert plan.specialties[0].strength_positions == ("s0",)
    assert plan.specialties[0].consult_cover == {"s1": "s0"}


def test_access_share_is_respected(toy: Region) -> None:
    plan = optimise(toy, _toy_scenario(access_share=0.45, access_minutes=20))
    part = plan.specialties[0]
    assert part.strength_positions == ("s0",)
    assert part.access_share == pytest.approx(600 / 1300)


def _split_toy(toy: Region) -> Region:
    """The toy region with s0 in org1 (4 specialist FTE) and s1 in org2 (2 FTE)."""
    sites = (toy.sites[0], Site(**{**toy.sites[1].__dict__, "organisation_id": "org2"}))
    organisations = (Organisation("org1", "Et", ("s0",)), Organisation("org2", "To", ("s1",)))
    return replace(toy, sites=sites, organisations=organisations)


def test_minimum_team_and_pools_are_respected(toy: Region) -> None:
    # min team 3 FTE: org2's 2 FTE cannot staff s1; released (with a reason) they leave
    # s0 alone despite the weights, with all of org1's 4 FTE
    region = _split_toy(toy)
    released = [{"specialty": "kardiologi", "site": "s1", "fte": 2.0,
                 "reason": "retirements, posts not refilled"}]
    plan = optimise(region, _toy_scenario(max_strength_positions=2, released_staff=released))
    part = plan.specialties[0]
    assert part.strength_positions == ("s0",)
    assert part.team_fte["s0"] == pytest.approx(4.0)
    assert part.released == {"s1": 2.0}
    assert part.moved == {}
    assert part.base_fte == pytest.approx(6.0)


def test_transfers_between_organisations_open_the_small_pool(toy: Region) -> None:
    region = _split_toy(toy)
    plan = optimise(region, _toy_scenario(max_strength_positions=2,
                                          allow_cross_organisation=True))
    part = plan.specialties[0]
    assert part.strength_positions == ("s0", "s1")
    assert min(part.team_fte.values()) >= 3.0 - 1e-9
    assert sum(part.team_fte.values()) == pytest.approx(6.0)  # nobody disappears
    # the 1 FTE org1 lends to s1 leaves s0: one move
    assert sum(part.moved.values()) == pytest.approx(1.0)


def _loads(region: Region, scenario: Scenario, plan: Plan) -> np.ndarray:
    """(S, J) in-person visits a year each specialty sends to each site."""
    req = build_request(region, scenario)
    loads = np.zeros((len(plan.specialties), len(region.sites)))
    for s, part in enumerate(plan.specialties):
        for a, site in enumerate(part.assignments.values()):
            loads[s, region.site_index(site)] += req.in_person[s, a]
    return loads


def test_joint_site_capacity_binds_across_specialties() -> None:
    # seed 1: both specialties alone send ~1,800 visits to s1; 2,000 fit, not both
    region = random_region(1, 2, scale=5.0)
    free = Scenario(name="cap", year=2021, digital_share={"default": {"consult": 0.5}},
                    optimisation=OptimisationSettings(max_outreach_days=0,
                                                      max_strength_positions=2,
                                                      allow_cross_organisation=True))
    loads = _loads(region, free, unconstrained := optimise(region, free))
    capacity = 2000.0
    assert (loads[:, 1] > 0).all() and (loads[:, 1] <= capacity).all()
    assert loads[:, 1].sum() > capacity

    settings = free.optimisation.model_copy(update={"site_capacity": {"s1": capacity}})
    capped = free.model_copy(update={"optimisation": settings})
    plan = optimise(region, capped)
    assert _loads(region, capped, plan)[:, 1].sum() <= capacity + 1e-6
    assert plan.objective > unconstrained.objective * (1 + 1e-6)
