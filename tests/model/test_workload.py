"""WISN on the toy region with a hand-made plan and allocation, computed by hand."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassplan.domain.region import Region, Staffing
from bassplan.domain.results import Allocation, ServicePlan
from bassplan.domain.vocabulary import CONTACT_TYPES, ContactType, Modality
from bassplan.model.workload import assess_workload
from tests.support.allocations import hand_allocation
from tests.support.toy import outpatient_totals

ADM, BED, FIRST, FOLLOW, CONSULT, DIALYSIS = (CONTACT_TYPES.index(c) for c in ContactType)
SP, OUT, DIG = (list(Modality).index(m) for m in Modality)

# 37 × (52 − 6) − (10 + 5 + 5) × 37/5 = 1,702 − 148
TOY_HOURS = 1_554.0


def make_plan(
    specialist_fte: list[list[float]],
    trainee_fte: list[list[float]],
    serving_team: list[list[int]],
) -> ServicePlan:
    spec = np.array(specialist_fte)
    return ServicePlan(
        strength_position=np.array(serving_team) == np.arange(spec.shape[1])[None, :],
        outreach_days_per_week=np.zeros_like(spec),
        digital_share=np.zeros((spec.shape[0], len(CONTACT_TYPES))),
        pro_share=np.zeros(spec.shape[0]),
        trigger_rate=np.zeros(spec.shape[0]),
        team=Staffing(
            specialist_fte=spec,
            trainee_fte=np.array(trainee_fte),
            vacant_fte=np.zeros_like(spec),
            on_call_specialists=spec.copy(),
        ),
        serving_team=np.array(serving_team, dtype=np.int64), consult_reach_minutes=60.0,
    )


def make_allocation(
    plan: ServicePlan,
    contacts: np.ndarray,
    on_site: list[list[float]],
    video: list[list[float]],
    pro_answers: list[float],
    inpatient_team: np.ndarray | None = None,
) -> Allocation:
    n_spec, n_sites = contacts.shape[:2]
    # consults are seen by the site's own team, else by the team that serves the site
    own = np.broadcast_to(np.arange(n_sites), (n_spec, n_sites))
    consult_team = np.where(plan.team.specialist_fte > 0, own, plan.serving_team)
    return hand_allocation(
        plan,
        admitted_at=np.zeros(3, dtype=np.int64),
        outpatient_at=np.zeros((n_spec, 3), dtype=np.int64),
        contacts=contacts,
        consults_on_site=np.array(on_site),
        consults_video=np.array(video),
        consult_team=consult_team,
        dialysis_at=np.full(3, -1),
        outpatient=outpatient_totals(3, pro_answers),
        **({} if inpatient_team is None else {"inpatient_team": inpatient_team}),
    )


def one_team_case() -> tuple[ServicePlan, Allocation, np.ndarray]:
    """Site 0 is the strength position (4 specialists, 1 trainee); site 1 has no team,
    is served by site 0 and holds an outreach clinic."""
    plan = make_plan([[4.0, 0.0]], [[1.0, 0.0]], [[0, 0]])
    contacts = np.zeros((1, 2, 6, 3))
    contacts[0, 0, ADM, SP] = 100
    contacts[0, 0, BED, SP] = 500
    contacts[0, 0, FIRST, SP] = 200
    contacts[0, 0, FOLLOW, SP] = 400
    contacts[0, 0, FOLLOW, DIG] = 100
    contacts[0, 1, ADM, SP] = 50  # admitted where there is no team: not the team's hours
    contacts[0, 1, BED, SP] = 200
    contacts[0, 1, FIRST, OUT] = 40
    contacts[0, 1, FOLLOW, OUT] = 60
    allocation = make_allocation(plan, contacts, [[30.0, 20.0]], [[0.0, 10.0]], [80.0])
    return plan, allocation, np.array([[100.0, 0.0]])


def test_available_hours_per_fte(toy: Region) -> None:
    assert toy.parameters.available_hours_per_fte == pytest.approx(TOY_HOURS)


def test_wisn_of_one_team_by_hand(toy: Region) -> None:
    """Toy minutes: admission 60, bed day 15, first visit 45, follow-up 30, consult 30;
    digital factor 0.5, PRO 5 min/answer, CAS 0.2, trainee productivity 0.5.

    admissions 100 × 1 h = 100; bed days 500 × 0.25 = 125; first visits 200 × 0.75 = 150
    and outreach 40 × 0.75 = 30; follow-ups 400 × 0.5 = 200, digital 100 × 0.25 = 25,
    outreach 60 × 0.5 = 30; consults own 30 × 0.5 = 15, served site on-site 20 × 0.5 = 10,
    by video 10 × 0.25 = 2.5; PRO 80 × 5/60 = 20/3; staff travel 100.
    """
    plan, allocation, staff = one_team_case()
    hours = 100 + 125 + 150 + 30 + 200 + 25 + 30 + 15 + 10 + 2.5 + 20 / 3 + 100
    required = hours / (TOY_HOURS * (1 - 0.2))
    result = assess_workload(toy, plan, allocation, staff)
    assert result.available_hours_per_fte == pytest.approx(TOY_HOURS)
    np.testing.assert_allclose(result.required_fte, [[required, 0.0]], rtol=1e-12)
    np.testing.assert_allclose(result.available_fte, [[4.5, 0.0]])
    assert result.wisn_ratio[0, 0] == pytest.approx(4.5 / required)
    assert np.isnan(result.wisn_ratio[0, 1])
    # outpatient contacts and consults: 200 + 40 + 400 + 100 + 60 + 30 + 20 + 10 = 860
    # (admissions and bed days are inpatient work, not contacts)
    assert result.contacts_per_fte[0, 0] == pytest.approx(860 / 4)
    assert np.isnan(result.contacts_per_fte[0, 1])


def test_the_consult_slice_of_contacts_is_not_read(toy: Region) -> None:
    """Consults come from consults_on_site / consults_video only, never twice."""
    plan, allocation, staff = one_team_case()
    contacts = allocation.contacts.copy()
    contacts[0, :, CONSULT, :] = 1_000.0
    doubled = replace(allocation, contacts=contacts)
    before = assess_workload(toy, plan, allocation, staff)
    after = assess_workload(toy, plan, doubled, staff)
    np.testing.assert_array_equal(before.required_fte, after.required_fte)


def test_pro_hours_follow_the_follow_ups(toy: Region) -> None:
    """Two teams with 300 and 100 follow-ups share 120 PRO answers 3 : 1.

    Team 0: 300 follow-ups × 0.5 h = 150 h + 90 answers × 5/60 h = 7.5 h → 157.5 h.
    Team 1: 100 × 0.5 = 50 h + 30 × 5/60 = 2.5 h → 52.5 h. Each divided by 1,554 × 0.8.
    """
    plan = make_plan([[2.0, 2.0]], [[0.0, 0.0]], [[0, 1]])
    contacts = np.zeros((1, 2, 6, 3))
    contacts[0, 0, FOLLOW, SP] = 300
    contacts[0, 1, FOLLOW, SP] = 100
    allocation = make_allocation(plan, contacts, [[0.0, 0.0]], [[0.0, 0.0]], [120.0])
    result = assess_workload(toy, plan, allocation, np.zeros((1, 2)))
    np.testing.assert_allclose(result.required_fte, [[157.5 / 1_243.2, 52.5 / 1_243.2]], rtol=1e-12)


def test_pro_hours_without_follow_ups_follow_the_specialists(toy: Region) -> None:
    """All follow-ups answered by PRO: the 60 answers' 5 h split 3 : 1 by FTE."""
    plan = make_plan([[3.0, 1.0]], [[0.0, 0.0]], [[0, 1]])
    contacts = np.zeros((1, 2, 6, 3))
    allocation = make_allocation(plan, contacts, [[0.0, 0.0]], [[0.0, 0.0]], [60.0])
    result = assess_workload(toy, plan, allocation, np.zeros((1, 2)))
    np.testing.assert_allclose(result.required_fte, [[3.75 / 1_243.2, 1.25 / 1_243.2]])


def test_a_team_without_work_has_no_ratio(toy: Region) -> None:
    plan = make_plan([[2.0, 0.0]], [[0.0, 0.0]], [[0, 0]])
    allocation = make_allocation(plan, np.zeros((1, 2, 6, 3)), [[0.0, 0.0]], [[0.0, 0.0]],
                                 [0.0])
    result = assess_workload(toy, plan, allocation, np.zeros((1, 2)))
    assert np.isnan(result.wisn_ratio).all()
    assert result.contacts_per_fte[0, 0] == 0.0


@st.composite
def random_case(draw: st.DrawFn) -> tuple[ServicePlan, Allocation, np.ndarray]:
    """One specialty over three sites with random staff, contacts and serving teams."""
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    has_team = draw(st.lists(st.booleans(), min_size=3, max_size=3).filter(any))
    specialist = np.where(has_team, rng.uniform(0.5, 10, 3), 0.0)
    team_sites = np.flatnonzero(has_team)
    serving = np.where(has_team, np.arange(3), rng.choice(team_sites, 3))
    plan = make_plan([list(specialist)], [list(rng.uniform(0, 3, 3))], [list(serving.astype(int))])
    contacts = rng.uniform(0, 500, size=(1, 3, 6, 3))
    allocation = make_allocation(
        plan,
        contacts,
        [list(rng.uniform(0, 50, 3))],
        [list(rng.uniform(0, 50, 3))],
        [float(rng.uniform(0, 300))],
    )
    return plan, allocation, rng.uniform(0, 100, size=(1, 3))


@given(random_case())
@settings(max_examples=50)
def test_wisn_ratio_doubles_with_the_staff(
    case: tuple[ServicePlan, Allocation, np.ndarray],
) -> None:
    from tests.support.toy import toy_region

    region = toy_region()
    plan, allocation, staff = case
    doubled_team = replace(
        plan.team,
        specialist_fte=plan.team.specialist_fte * 2,
        trainee_fte=plan.team.trainee_fte * 2,
    )
    before = assess_workload(region, plan, allocation, staff)
    after = assess_workload(region, replace(plan, team=doubled_team), allocation, staff)
    np.testing.assert_allclose(after.wisn_ratio, 2 * before.wisn_ratio, rtol=1e-12)
    np.testing.assert_allclose(after.required_fte, before.required_fte, rtol=1e-12)


def loop_team_hours(
    region: Region, plan: ServicePlan, allocation: Allocation, staff: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Team hours and contacts handled, one contact cell at a time (architecture §4)."""
    minutes = region.workload.minutes
    factor = region.parameters.digital_minutes_factor
    team = plan.team.specialist_fte > 0
    n_spec, n_sites = team.shape
    hours = np.zeros((n_spec, n_sites))
    count = np.zeros((n_spec, n_sites))
    follow_ups = np.zeros((n_spec, n_sites))
    for s in range(n_spec):
        for j in range(n_sites):
            for c in range(len(CONTACT_TYPES)):
                if c == CONSULT:
                    continue
                if c == DIALYSIS:  # sessions: the team answering for site j, not contacts
                    to = j if team[s, j] else int(plan.serving_team[s, j])
                    if to >= 0 and team[s, to]:
                        n = allocation.contacts[s, j, c, SP]
                        hours[s, to] += n * minutes[s, c] / 60
                    continue
                for m in (SP, OUT, DIG):
                    to = int(plan.serving_team[s, j]) if m == OUT else j
                    if c in (ADM, BED) and m == SP:  # inpatient work: who covers site j
                        to = int(allocation.inpatient_team[s, j])
                    if to < 0 or not team[s, to]:
                        continue
                    n = allocation.contacts[s, j, c, m]
                    hours[s, to] += n * (factor if m == DIG else 1.0) * minutes[s, c] / 60
                    if c in (FIRST, FOLLOW):  # outpatient contacts count, inpatient work not
                        count[s, to] += n
                    if c == FOLLOW:
                        follow_ups[s, to] += n
            to = j if team[s, j] else int(plan.serving_team[s, j])
            if to >= 0 and team[s, to]:
                on, video = allocation.consults_on_site[s, j], allocation.consults_video[s, j]
                hours[s, to] += (on + factor * video) * minutes[s, CONSULT] / 60
                count[s, to] += on + video
        pro_hours = allocation.pro_answers[s] * 5.0 / 60
        basis = follow_ups[s] if follow_ups[s].sum() > 0 else plan.team.specialist_fte[s]
        for j in range(n_sites):
            if team[s, j]:
                hours[s, j] += pro_hours * basis[j] / basis.sum() + staff[s, j]
    return hours, count


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=50)
def test_two_specialties_match_the_loop(seed: int) -> None:
    from tests.support.toy import toy_region

    rng = np.random.default_rng(seed)
    n_spec, n_sites = 2, 4
    base = toy_region()
    region = replace(
        base,
        workload=replace(base.workload, minutes=rng.uniform(5, 90, size=(n_spec, 6))),
    )
    has_team = rng.random((n_spec, n_sites)) < 0.5
    has_team[:, 0] = True
    specialist = np.where(has_team, rng.uniform(0.5, 10, (n_spec, n_sites)), 0.0)
    # strength positions serve themselves; a local team (has staff, not a strength
    # position) is served by site 0; sites without a team by site 0 or nobody (-1)
    strength = has_team & (rng.random((n_spec, n_sites)) < 0.6)
    strength[:, 0] = True
    served_by = np.where(has_team, 0, rng.integers(-1, 1, (n_spec, n_sites)))
    serving = np.where(strength, np.arange(n_sites), served_by)
    plan = make_plan(
        specialist.tolist(), rng.uniform(0, 3, (n_spec, n_sites)).tolist(), serving.tolist()
    )
    contacts = rng.uniform(0, 500, size=(n_spec, n_sites, 6, 3))
    # inpatient work where there is no team: rotating specialists from the serving team, or
    # general internal medicine (-1)
    rotating = rng.random((n_spec, n_sites)) < 0.5
    covering = np.where(has_team, np.arange(n_sites), np.where(rotating, serving, -1))
    allocation = make_allocation(
        plan,
        contacts,
        rng.uniform(0, 50, (n_spec, n_sites)).tolist(),
        rng.uniform(0, 50, (n_spec, n_sites)).tolist(),
        rng.uniform(0, 300, n_spec).tolist(),
        covering.astype(np.int64),
    )
    staff = rng.uniform(0, 100, size=(n_spec, n_sites))
    hours, count = loop_team_hours(region, plan, allocation, staff)
    result = assess_workload(region, plan, allocation, staff)
    np.testing.assert_allclose(result.required_fte, hours / (TOY_HOURS * 0.8), rtol=1e-12)
    with np.errstate(invalid="ignore", divide="ignore"):
        per_fte = np.where(has_team, count / specialist, np.nan)
    np.testing.assert_allclose(result.contacts_per_fte, per_fte, rtol=1e-12)
