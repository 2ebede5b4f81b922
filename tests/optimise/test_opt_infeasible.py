"""Infeasible requests are explained in one line: which constraint, where, and the best
value the other constraints allow (worked out by hand on the toy region).

Toy travel minutes (tests/toy.py): A0 (Østby, 600 residents) 10 to s0 / 70 to s1,
A1 (Midtå, 200) 35 / 45, A2 (Vestø, 500) 80 / 15; staff drive s0 → s1 70 min and
s1 → s0 80 min; one organisation with 4 + 2 = 6 specialist FTE.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from bassplan.domain.errors import InfeasiblePlanError
from bassplan.domain.region import Organisation, Region, Site
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import optimise


def _scenario(video: float = 0.5, cover: str = "consults", **settings: object) -> Scenario:
    return Scenario(name="toy", year=2021, digital_share={"kardiologi": {"consult": video}},
                    inpatient_cover={"default": cover},  # type: ignore[dict-item]
                    optimisation=OptimisationSettings.model_validate(settings))


def test_access_within_5_minutes_names_every_area_and_zero(toy: Region) -> None:
    # nobody lives within 5 min of either site (nearest: 10, 35 and 15 min)
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(access_share=1.0, access_minutes=5))
    assert str(error.value) == (
        "kardiologi: 100 % of residents within 5 min cannot be met at Østby, Midtå and "
        "Vestø (beyond 5 min in the best plan); the best reachable is 0 % of residents")


def test_access_with_one_strength_position_gives_the_best_share(toy: Region) -> None:
    # one site, no outreach: s0 reaches Østby (600 of 1,300 = 46.2 %), s1 only Vestø (38.5 %)
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(access_share=1.0, access_minutes=20, max_outreach_days=0,
                                max_strength_positions=1))
    assert error.value.constraint == (
        "kardiologi: 100 % of residents within 20 min with at most 1 strength positions")
    assert error.value.place == "Midtå and Vestø (beyond 20 min in the best plan)"
    assert error.value.best == "46.2 % of residents"


def test_access_with_outreach_reaches_further(toy: Region) -> None:
    # an outreach clinic at s1 from s0 adds Vestø: 1,100 of 1,300 = 84.6 %
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(access_share=1.0, access_minutes=20,
                                max_strength_positions=1))
    assert error.value.place == "Midtå (beyond 20 min in the best plan)"
    assert error.value.best == "84.6 % of residents"


def test_pool_too_small_for_two_minimum_teams(toy: Region) -> None:
    region = replace(toy, specialties=(replace(toy.specialties[0], min_team_fte=4.0),))
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(region, _scenario(min_strength_positions=2))
    assert error.value.constraint == (
        "kardiologi: 2 strength positions with minimum teams of 4 FTE")
    assert error.value.place == "the staff pool of org1"
    assert error.value.best == "6.0 FTE of the 8.0 FTE needed"


def test_consult_reach_without_video(toy: Region) -> None:
    # one strength position: the other acute site lies 70 or 80 min away, no video
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(video=0.0, max_strength_positions=1))
    assert error.value.constraint == (
        "kardiologi: consult cover within 60 min (no video consults)")
    assert error.value.best in ("cover from Sygehus Øst at 70 min",
                                "cover from Sygehus Vest at 80 min")


def test_rotation_beyond_reach(toy: Region) -> None:
    # rotating specialists work on the other site's ward: 70 or 80 min is beyond 60 min
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(cover="rotation", max_strength_positions=1))
    assert error.value.constraint == (
        "kardiologi: rotating cover within 60 min (specialists work on the ward)")
    assert error.value.best in ("cover from Sygehus Øst at 70 min",
                                "cover from Sygehus Vest at 80 min")


def test_specialists_without_a_place(toy: Region) -> None:
    # org2 holds s1's 2 FTE, below the 3-FTE minimum team, and may not lend them: with one
    # strength position they can go nowhere (conserved staff do not disappear)
    sites = (toy.sites[0], Site(**{**toy.sites[1].__dict__, "organisation_id": "org2"}))
    organisations = (Organisation("org1", "Et", ("s0",)), Organisation("org2", "To", ("s1",)))
    region = replace(toy, sites=sites, organisations=organisations)
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(region, _scenario(max_strength_positions=2, max_outreach_days=0))
    assert error.value.constraint == "kardiologi: a minimum team of 3 FTE"
    assert error.value.place == "Sygehus Vest"
    assert error.value.best == "2.0 FTE"


def test_move_cap(toy: Region) -> None:
    # one strength position: the other site's 2 or 4 FTE must move, over a cap of 1 FTE
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(max_strength_positions=1, max_outreach_days=0,
                                max_moved_fte={"org1": 1.0}))
    assert error.value.constraint == "kardiologi: at most 1 FTE moved"
    assert error.value.place == "the specialists of org1"
    assert error.value.best == "2.0 FTE moved"


def test_clinic_capacity(toy: Region) -> None:
    # 225.5 in-person visits a year; rooms for 100 at each site
    with pytest.raises(InfeasiblePlanError) as error:
        optimise(toy, _scenario(site_capacity={"s0": 100, "s1": 100}))
    assert error.value.constraint == "clinic capacity of 100 visits/year"
    assert "\n" not in str(error.value)


def test_an_infeasible_plan_is_said_in_danish_with_what_to_change() -> None:
    """The same reason as the English line, as a phrase: Danish words and numbers, and for a
    team one organisation cannot staff, the hint to lend across organisations."""
    from bassplan.data import load_region, load_scenario
    from bassplan.i18n.words import say
    from tests.support.paths import EXAMPLES

    region = load_region("oestdanmark")
    scenario = load_scenario(EXAMPLES / "oestdanmark" / "kardiologi_paa_tvaers.yaml", region)
    with pytest.raises(InfeasiblePlanError) as caught:
        optimise(region, scenario, ["kardiologi"])
    error = caught.value
    assert error.words is not None
    assert str(error).startswith("kardiologi: a minimum team of 6 FTE cannot be met at "
                                 "Bornholms Hospital; the best reachable is 2.0 FTE")
    danish = say(error.words, "da")
    assert danish.startswith("kardiologi: et minimumsteam på 6 årsværk kan ikke opfyldes ved "
                             "Bornholms Hospital; det bedste, der kan nås, er 2,0 årsværk.")
    assert "allow_cross_organisation: true" in danish
    assert say(error.words, "en").startswith(str(error))
