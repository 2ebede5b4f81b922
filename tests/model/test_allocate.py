"""Service plan and allocation: by hand on the toy region, by a loop oracle on random ones."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bassplan.domain.errors import InputError
from bassplan.domain.region import (
    Organisation,
    Region,
    Site,
    Staffing,
)
from bassplan.domain.results import Allocation, ServicePlan
from bassplan.domain.scenario import (
    NeedBasedFollowUp,
    Scenario,
    StaffingChange,
    check_against_region,
)
from bassplan.domain.vocabulary import ContactType
from bassplan.model.allocate import allocate, nearest_site, plan_services
from bassplan.model.evaluate import scenario_demand
from bassplan.model.travel import site_to_site, travel_matrix
from tests.support.scenarios import (
    ADM,
    BED,
    CON,
    DIAL,
    FU,
    FV,
    baseline,
    lever_scenario,
    random_region,
    random_scenario,
)
from tests.support.toy import toy_region

# modality columns: strength_position, outreach, digital
SP, OUT, DIG = 0, 1, 2






def plan_for(region: Region, scenario: Scenario) -> ServicePlan:
    minutes, km = travel_matrix(region)
    site_minutes, _ = site_to_site(region, minutes, km)
    return plan_services(region, scenario, site_minutes)


def run(region: Region, scenario: Scenario) -> tuple[ServicePlan, Allocation]:
    plan = plan_for(region, scenario)
    minutes, _ = travel_matrix(region)
    dem, admitted = scenario_demand(region, region.population.residents, minutes)
    return plan, allocate(region, plan, dem, minutes, admitted)


# ---------------------------------------------------------------- service plan, toy region


def test_baseline_plan_on_toy(toy: Region) -> None:
    plan = plan_for(toy, baseline())
    np.testing.assert_array_equal(plan.strength_position, [[True, True]])
    np.testing.assert_array_equal(plan.serving_team, [[0, 1]])
    np.testing.assert_array_equal(plan.outreach_days_per_week, [[0.0, 0.0]])
    np.testing.assert_array_equal(plan.digital_share, np.zeros((1, 6)))
    np.testing.assert_array_equal(plan.pro_share, [0.0])
    np.testing.assert_array_equal(plan.team.specialist_fte, toy.staffing.specialist_fte)
    np.testing.assert_array_equal(plan.team.vacant_fte, toy.staffing.vacant_fte)


def test_lever_plan_on_toy(toy: Region) -> None:
    plan = plan_for(toy, lever_scenario())
    np.testing.assert_array_equal(plan.strength_position, [[True, False]])
    np.testing.assert_array_equal(plan.outreach_days_per_week, [[0.0, 1.0]])
    # follow_up: the specialty's 0.2 overrides the default 0.5; consult: default 0.5
    np.testing.assert_array_equal(plan.digital_share, [[0.0, 0.0, 0.0, 0.2, 0.5, 0.0]])
    np.testing.assert_array_equal(plan.pro_share, [0.5])
    np.testing.assert_array_equal(plan.trigger_rate, [0.4])
    # s1's staff (2 specialists, 1 vacant, 2 on call) pool into s0, the same organisation
    np.testing.assert_array_equal(plan.team.specialist_fte, [[6.0, 0.0]])
    np.testing.assert_array_equal(plan.team.trainee_fte, [[1.0, 0.0]])
    np.testing.assert_array_equal(plan.team.vacant_fte, [[1.0, 0.0]])
    np.testing.assert_array_equal(plan.team.on_call_specialists, [[6.0, 0.0]])
    np.testing.assert_array_equal(plan.serving_team, [[0, 0]])


def test_default_follow_up_applies_without_specialty_entry(toy: Region) -> None:
    scenario = baseline(
        need_based_follow_up={"default": NeedBasedFollowUp(pro_share=0.3, trigger_rate=0.6)},
        digital_share={"default": {ContactType.FIRST_VISIT: 0.1}},
    )
    plan = plan_for(toy, scenario)
    np.testing.assert_array_equal(plan.pro_share, [0.3])
    np.testing.assert_array_equal(plan.trigger_rate, [0.6])
    np.testing.assert_array_equal(plan.digital_share, [[0.0, 0.0, 0.1, 0.0, 0.0, 0.0]])


def test_staffing_changes_add_before_pooling(toy: Region) -> None:
    change = StaffingChange(specialty="kardiologi", site="s1", specialist_fte=1.5, trainee_fte=2)
    plan = plan_for(toy, baseline(staffing_changes=[change]))
    np.testing.assert_array_equal(plan.team.specialist_fte, [[4.0, 3.5]])
    np.testing.assert_array_equal(plan.team.trainee_fte, [[1.0, 2.0]])
    pooled = plan_for(toy, lever_scenario(staffing_changes=[change]))
    np.testing.assert_array_equal(pooled.team.specialist_fte, [[7.5, 0.0]])


def test_staffing_change_below_zero_is_rejected(toy: Region) -> None:
    change = StaffingChange(specialty="kardiologi", site="s1", specialist_fte=-3)
    with pytest.raises(InputError, match=r"staffing_changes\[0\].*specialist_fte.*-1"):
        plan_for(toy, baseline(staffing_changes=[change]))


def test_inactive_site_cannot_be_a_strength_position(toy: Region) -> None:
    region = replace(toy, sites=(toy.sites[0], replace(toy.sites[1], active=False)))
    with pytest.raises(InputError, match="not active"):
        plan_for(region, baseline(strength_positions={"kardiologi": ["s1"]}))
    # the baseline only uses active acute sites
    plan = plan_for(region, baseline())
    np.testing.assert_array_equal(plan.strength_position, [[True, False]])


def test_unknown_site_in_scenario_is_rejected(toy: Region) -> None:
    with pytest.raises(InputError, match=r"scenario 'baseline'.*unknown site 'nowhere'"):
        check_against_region(baseline(strength_positions={"kardiologi": ["nowhere"]}), toy,
                             "scenario 'baseline'")


def test_no_site_to_default_to_is_rejected(toy: Region) -> None:
    region = replace(toy, sites=tuple(replace(s, acute=False) for s in toy.sites))
    with pytest.raises(InputError, match="no strength position"):
        plan_for(region, baseline())


# ---------------------------------------------------------- pooling, three-site region


def three_sites() -> Region:
    """s0 (A0, acute, org1), s1 (A2, acute, org2), s2 (A1, not acute, org2).

    Site to site (from each site's area row): s0 → (0, 70, 30), s1 → (80, 0, 40),
    s2 → (35, 45, 0): s2 is nearer s0 (35) than its own organisation's s1 (45).
    """
    toy = toy_region()
    matrix = np.array([[10.0, 70.0, 30.0], [35.0, 45.0, 5.0], [80.0, 15.0, 40.0]])
    return replace(
        toy,
        sites=(
            Site("s0", "Øst", "A0", 55.0, 11.0, True, "org1"),
            Site("s1", "Vest", "A2", 55.0, 12.0, True, "org2"),
            Site("s2", "Midt", "A1", 55.0, 11.5, False, "org2"),
        ),
        organisations=(
            Organisation("org1", "Et", ("s0",)),
            Organisation("org2", "To", ("s1", "s2")),
        ),
        staffing=Staffing(
            specialist_fte=np.array([[4.0, 2.0, 1.0]]),
            trainee_fte=np.array([[1.0, 0.0, 0.5]]),
            vacant_fte=np.array([[0.0, 1.0, 0.0]]),
            on_call_specialists=np.array([[4.0, 2.0, 1.0]]),
        ),
        travel_minutes=matrix,
        travel_km=matrix.copy(),
    )


def test_pooling_modes() -> None:
    region = three_sites()
    # strength positions s0, s1 (the acute sites): s2's staff go to s1 within org2 ...
    plan = plan_for(region, baseline())
    np.testing.assert_array_equal(plan.team.specialist_fte, [[4.0, 3.0, 0.0]])
    np.testing.assert_array_equal(plan.team.trainee_fte, [[1.0, 0.5, 0.0]])
    # ... to s0, the nearest anywhere (35 < 45), when pooling over the region ...
    plan = plan_for(region, baseline(pool_staff="region"))
    np.testing.assert_array_equal(plan.team.specialist_fte, [[5.0, 2.0, 0.0]])
    # ... and nowhere without pooling
    plan = plan_for(region, baseline(pool_staff="none"))
    np.testing.assert_array_equal(plan.team.specialist_fte, [[4.0, 2.0, 1.0]])
    # a site moved into org1 by the scenario pools to org1's s0
    plan = plan_for(region, baseline(organisations={"org1": ["s2"]}))
    np.testing.assert_array_equal(plan.team.specialist_fte, [[5.0, 2.0, 0.0]])
    np.testing.assert_array_equal(plan.serving_team, [[0, 1, 0]])


def test_staff_without_strength_position_in_organisation_stay_local() -> None:
    region = three_sites()
    only_s0 = {"kardiologi": ["s0"]}
    plan = plan_for(region, baseline(strength_positions=only_s0))
    np.testing.assert_array_equal(plan.team.specialist_fte, [[4.0, 2.0, 1.0]])
    np.testing.assert_array_equal(plan.serving_team, [[0, 0, 0]])  # nearest anywhere
    plan = plan_for(region, baseline(strength_positions=only_s0, pool_staff="region"))
    np.testing.assert_array_equal(plan.team.specialist_fte, [[7.0, 0.0, 0.0]])


def test_serving_team_prefers_own_organisation() -> None:
    plan = plan_for(three_sites(), baseline())
    # s2 (org2) is served by s1 (org2, 45 min), not by the nearer s0 of org1 (35 min)
    np.testing.assert_array_equal(plan.serving_team, [[0, 1, 1]])


def test_local_team_sees_its_own_consults() -> None:
    region = three_sites()
    _, allocation = run(region, baseline(strength_positions={"kardiologi": ["s0"]}))
    # admissions: A0, A1 → s0 (10, 35; s2 is not acute), A2 → s1 (15)
    np.testing.assert_array_equal(allocation.admitted_at, [0, 0, 1])
    # s1 keeps its 2 specialists as a local team: it sees its 8.25 consults itself and
    # its admissions (40.5) add no consults
    np.testing.assert_allclose(allocation.consults_on_site, [[9.5, 8.25, 0.0]])
    np.testing.assert_allclose(allocation.consults_video, [[0.0, 0.0, 0.0]])
    # outpatients all go to the only service point, s0
    np.testing.assert_array_equal(allocation.outpatient_at, [[0, 0, 0]])


# ----------------------------------------------------------------- allocation, toy region


def test_baseline_allocation_on_toy(toy: Region) -> None:
    _, allocation = run(toy, baseline())
    # minutes A0 (10, 70), A1 (35, 45), A2 (80, 15)
    np.testing.assert_array_equal(allocation.admitted_at, [0, 0, 1])
    np.testing.assert_array_equal(allocation.outpatient_at, [[0, 0, 1]])
    c = allocation.contacts[0]
    # s0 serves A0 + A1: admissions 32 + 11, bed days 160 + 55, first 20 + 7, follow 70 + 24
    np.testing.assert_allclose(c[0, :, SP], [43.0, 215.0, 27.0, 94.0, 0.0, 0.0])
    np.testing.assert_allclose(c[1, :, SP], [40.5, 202.5, 21.5, 83.0, 0.0, 0.0])
    np.testing.assert_array_equal(c[:, :, OUT], 0.0)
    np.testing.assert_array_equal(c[:, :, DIG], 0.0)
    # consults arise where admitted: s0 7 + 2.5, s1 8.25; both sites have a team
    np.testing.assert_allclose(allocation.consults_on_site, [[9.5, 8.25]])
    np.testing.assert_allclose(allocation.consults_video, [[0.0, 0.0]])
    np.testing.assert_array_equal(allocation.follow_ups_avoided, [0.0])
    np.testing.assert_array_equal(allocation.pro_answers, [0.0])


def test_lever_allocation_on_toy(toy: Region) -> None:
    _, allocation = run(toy, lever_scenario())
    np.testing.assert_array_equal(allocation.admitted_at, [0, 0, 1])
    # service points: s0 (strength position) and s1 (outreach): A2 is seen at s1
    np.testing.assert_array_equal(allocation.outpatient_at, [[0, 0, 1]])
    # follow-up visits F(1 − 0.5) + F·0.5·0.4 = 0.7 F: A0 49, A1 16.8, A2 58.1
    # digital 0.2 of them: 9.8, 3.36, 11.62; in person: 39.2, 13.44, 46.48
    c = allocation.contacts[0]
    np.testing.assert_allclose(c[0, :, SP], [43.0, 215.0, 27.0, 39.2 + 13.44, 0.0, 0.0])
    np.testing.assert_allclose(c[1, :, SP], [40.5, 202.5, 0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(c[1, :, OUT], [0.0, 0.0, 21.5, 46.48, 0.0, 0.0])
    np.testing.assert_array_equal(c[0, :, OUT], 0.0)
    # every digital follow-up is counted at the serving team, s0: 9.8 + 3.36 + 11.62
    np.testing.assert_allclose(c[0, :, DIG], [0.0, 0.0, 0.0, 24.78, 0.0, 0.0])
    np.testing.assert_array_equal(c[1, :, DIG], 0.0)
    # F = 70 + 24 + 83 = 177: avoided F·0.5·0.6 = 53.1, PRO answers F·0.5 = 88.5
    np.testing.assert_allclose(allocation.follow_ups_avoided, [53.1])
    np.testing.assert_allclose(allocation.pro_answers, [88.5])
    # s0 has the team: its 9.5 consults on site. s1 has none: 8.25 consults + one per
    # admission 40.5 = 48.75, half by video (default consult share 0.5)
    np.testing.assert_allclose(allocation.consults_on_site, [[9.5, 24.375]])
    np.testing.assert_allclose(allocation.consults_video, [[0.0, 24.375]])


def test_ties_go_to_the_lower_site_index() -> None:
    minutes = np.array([[20.0, 10.0, 10.0, 10.0], [5.0, 5.0, 9.0, 5.0]])
    allowed = np.array([True, False, True, True])
    np.testing.assert_array_equal(nearest_site(minutes, allowed), [2, 0])
    np.testing.assert_array_equal(nearest_site(minutes, np.zeros(4, dtype=bool)), [-1, -1])


def test_admission_needs_an_acute_site(toy: Region) -> None:
    region = replace(toy, sites=tuple(replace(s, acute=False) for s in toy.sites))
    with pytest.raises(InputError, match="no active acute site"):
        scenario_demand(region, toy.population.residents, toy.travel_minutes)  # type: ignore[arg-type]


# --------------------------------------------------------- random regions and loop oracle






def _argmin_loop(costs: list[float], allowed: list[bool]) -> int:
    best = -1
    for j, (cost, ok) in enumerate(zip(costs, allowed, strict=True)):
        if ok and (best < 0 or cost < costs[best]):
            best = j
    return best


def oracle_plan(region: Region, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Slow serving teams (S, J) and pooled specialist FTE (S, J), site by site."""
    minutes = region.travel_minutes
    assert minutes is not None
    n_sites = len(region.sites)
    row = [region.area_index(s.area_code) for s in region.sites]
    site_minutes = [
        [0.0 if j == k else minutes[row[j], k] for k in range(n_sites)] for j in range(n_sites)
    ]
    org = [s.organisation_id for s in region.sites]
    serving = np.full((len(region.specialties), n_sites), -1)
    fte = np.zeros((len(region.specialties), n_sites))
    for s, spec in enumerate(region.specialties):
        if spec.id in scenario.strength_positions:
            strong = [site.id in scenario.strength_positions[spec.id] for site in region.sites]
        else:
            strong = [site.acute and site.active for site in region.sites]
        for j in range(n_sites):
            same = [strong[k] and org[k] == org[j] for k in range(n_sites)]
            own = _argmin_loop(site_minutes[j], same)
            anywhere = _argmin_loop(site_minutes[j], strong)
            serving[s, j] = j if strong[j] else (own if own >= 0 else anywhere)
            mode = scenario.pool_staff
            target = j
            if not strong[j] and mode != "none":
                found = own if mode == "organisation" else anywhere
                target = found if found >= 0 else j
            fte[s, target] += region.staffing.specialist_fte[s, j]
    return serving, fte


def oracle_allocate(region: Region, plan: ServicePlan, dem: np.ndarray) -> dict[str, np.ndarray]:
    """Slow allocation: one area, specialty and site at a time, straight from the text."""
    minutes = region.travel_minutes
    assert minutes is not None
    n_areas, n_specialties, _ = dem.shape
    n_sites = len(region.sites)
    acute = [s.acute and s.active for s in region.sites]

    def mode_of(s: int) -> str:
        """The scenario's inpatient cover where specialty s has no team."""
        assert plan.inpatient_cover is not None
        return ("none", "team", "rotation", "consults")[int(plan.inpatient_cover[s])]

    admitted = [_argmin_loop(list(minutes[a]), acute) for a in range(n_areas)]
    outpatient = np.zeros((n_specialties, n_areas), dtype=int)
    contacts = np.zeros((n_specialties, n_sites, 6, 3))
    consults = np.zeros((n_specialties, n_sites))
    avoided = np.zeros(n_specialties)
    answers = np.zeros(n_specialties)
    for s in range(n_specialties):
        points = [
            bool(plan.strength_position[s, j]) or plan.outreach_days_per_week[s, j] > 0
            for j in range(n_sites)
        ]
        p, t = plan.pro_share[s], plan.trigger_rate[s]
        for a in range(n_areas):
            j = _argmin_loop(list(minutes[a]), points)
            outpatient[s, a] = j
            first, follow = dem[a, s, FV], dem[a, s, FU]
            visits = {FV: first, FU: follow * (1 - p) + follow * p * t}
            avoided[s] += follow * p * (1 - t)
            answers[s] += follow * p
            mode = SP if plan.strength_position[s, j] else OUT
            for c, v in visits.items():
                d = plan.digital_share[s, c]
                contacts[s, j, c, mode] += v * (1 - d)
                contacts[s, plan.serving_team[s, j], c, DIG] += v * d
            k = admitted[a]
            contacts[s, k, ADM, SP] += dem[a, s, ADM]
            contacts[s, k, BED, SP] += dem[a, s, BED]
            consults[s, k] += dem[a, s, CON]
            if plan.team.specialist_fte[s, k] == 0 and mode_of(s) == "consults":
                consults[s, k] += dem[a, s, ADM]
            units = [bool(x > 0) for x in (region.dialysis_stations
                                           if region.dialysis_stations is not None else [])]
            if any(units):
                contacts[s, _argmin_loop(list(minutes[a]), units), DIAL, SP] += dem[a, s, DIAL]
    video = np.zeros_like(consults)
    cover = np.full((n_specialties, n_sites), -1)
    team = np.full((n_specialties, n_sites), -1)
    for s in range(n_specialties):
        for j in range(n_sites):
            if not acute[j]:
                continue
            if plan.team.specialist_fte[s, j] > 0:
                cover[s, j], team[s, j] = 1, j  # the site's own team
                continue
            cover[s, j] = ("none", "team", "rotation", "consults").index(mode_of(s))
            if mode_of(s) == "rotation":
                team[s, j] = plan.serving_team[s, j]
            if mode_of(s) == "consults":
                video[s, j] = consults[s, j] * plan.digital_share[s, CON]
    return {
        "inpatient_cover": cover,
        "inpatient_team": team,
        "admitted_at": np.array(admitted),
        "outpatient_at": outpatient,
        "contacts": contacts,
        "consults_on_site": consults - video,
        "consults_video": video,
        "follow_ups_avoided": avoided,
        "pro_answers": answers,
    }


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_plan_matches_loop_oracle(seed: int) -> None:
    region = random_region(seed)
    scenario = random_scenario(region, seed)
    plan = plan_for(region, scenario)
    serving, fte = oracle_plan(region, scenario)
    np.testing.assert_array_equal(plan.serving_team, serving)
    np.testing.assert_allclose(plan.team.specialist_fte, fte)
    # pooling moves staff, it never creates or loses any
    np.testing.assert_allclose(
        plan.team.specialist_fte.sum(axis=1), region.staffing.specialist_fte.sum(axis=1)
    )


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**31))
def test_allocate_matches_loop_oracle(seed: int) -> None:
    region = random_region(seed)
    plan = plan_for(region, random_scenario(region, seed))
    dem, admitted = scenario_demand(region, region.population.residents, region.travel_minutes)
    assert region.travel_minutes is not None
    allocation = allocate(region, plan, dem, region.travel_minutes, admitted)
    expected = oracle_allocate(region, plan, dem)
    for name, value in expected.items():
        np.testing.assert_allclose(getattr(allocation, name), value, err_msg=name, atol=1e-9)
    # every first visit is seen somewhere, in person or digitally
    np.testing.assert_allclose(
        allocation.contacts[:, :, FV, :].sum(axis=(1, 2)), dem[:, :, FV].sum(axis=0)
    )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), extra=st.integers(0, 4))
def test_adding_a_strength_position_never_lengthens_travel(seed: int, extra: int) -> None:
    region = random_region(seed)
    minutes = region.travel_minutes
    assert minutes is not None
    scenario = random_scenario(region, seed)
    spec = region.specialties[0].id
    assume(spec in scenario.strength_positions and region.sites[extra].active)
    more = scenario.model_copy(
        update={
            "strength_positions": {
                **scenario.strength_positions,
                spec: [*scenario.strength_positions[spec], region.sites[extra].id],
            }
        }
    )
    dem, admitted = scenario_demand(region, region.population.residents, region.travel_minutes)
    before = allocate(region, plan_for(region, scenario), dem, minutes, admitted)
    after = allocate(region, plan_for(region, more), dem, minutes, admitted)
    areas = np.arange(minutes.shape[0])
    assert np.all(minutes[areas, after.outpatient_at[0]] <= minutes[areas, before.outpatient_at[0]])


def test_an_assignment_overrides_the_nearest_site(toy: Region) -> None:
    from bassplan.model.evaluate import evaluate

    # area A1 is 35 minutes from s0 and 45 from s1: by default it goes to s0
    plain = evaluate(toy, Scenario(name="nærmeste", year=2021))
    assert plain.allocation.outpatient_at[0].tolist() == [0, 0, 1]
    moved = evaluate(
        toy, Scenario(name="tildelt", year=2021, assignments={"kardiologi": {"A1": "s1"}})
    )
    assert moved.allocation.outpatient_at[0].tolist() == [0, 1, 1]
    assert moved.access.area_minutes[0].tolist() == [10.0, 45.0, 15.0]


def test_an_assignment_to_a_site_that_is_no_service_point_is_refused(toy: Region) -> None:
    from bassplan.model.evaluate import evaluate

    scenario = Scenario(
        name="forkert",
        year=2021,
        strength_positions={"kardiologi": ["s0"]},
        assignments={"kardiologi": {"A2": "s1"}},
    )
    with pytest.raises(InputError, match=r"assignments\.kardiologi\.A2.*neither"):
        evaluate(toy, scenario)


def test_a_serving_team_override_names_who_holds_the_outreach(toy: Region) -> None:
    from bassplan.model.evaluate import evaluate

    base = {
        "name": "udgående",
        "year": 2021,
        "strength_positions": {"kardiologi": ["s0"]},
        "outreach": {"kardiologi": [{"site": "s1", "days_per_week": 1}]},
    }
    e = evaluate(toy, Scenario.model_validate(base))
    assert e.plan.serving_team[0].tolist() == [0, 0]
    with pytest.raises(InputError, match="not a strength position"):
        override = {**base, "serving_teams": {"kardiologi": {"s1": "s1"}}}
        evaluate(toy, Scenario.model_validate(override))


def test_a_team_beyond_the_consult_reach_consults_by_video_only(toy: Region) -> None:
    near = run(toy, lever_scenario())[1]
    far = run(toy, lever_scenario(consult_reach_minutes=60.0))[1]
    # s0's team is 70 minutes from s1: within 120 min half the consults are on site,
    # beyond a 60-minute reach all of them are by video; the total is the same
    total = near.consults_on_site[0, 1] + near.consults_video[0, 1]
    assert near.consults_on_site[0, 1] == pytest.approx(total / 2)
    assert far.consults_on_site[0, 1] == 0.0
    assert far.consults_video[0, 1] == pytest.approx(total)
    # s0 has its own team: its consults are seen on site whatever the reach
    assert far.consults_on_site[0, 0] == near.consults_on_site[0, 0] > 0
