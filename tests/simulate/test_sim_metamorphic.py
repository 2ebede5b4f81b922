"""Metamorphic laws, same seed on both sides: more staff never lengthens waits, a
higher PRO share never adds visits, a winter surge never shortens the backlog; and the
simulated year reproduces the evaluation's yearly numbers in expectation.

Why the laws hold with the same seed: every count is a quantile of a uniform drawn up
front per activity, day and unit (``sampling``), so raising a rate, a head count or a
probability raises each count or leaves it. Two things can break a law pathwise, and
the tests below avoid exactly those: visits of unequal length (a short visit may fill
minutes a longer one leaves, so more minutes can change who squeezes in) and follow-up
chains (more first visits seen start more follow-ups, which then queue). Random
networks with equal visit lengths and no chains must obey the laws everywhere; the
bundled region must obey them for each clinic's referral queues and for the region's
backlog (checked on 20 seeds while writing these tests; three run here).
"""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from bassplan.data import load_region, load_scenario
from bassplan.domain.results import Evaluation
from bassplan.domain.scenario import NeedBasedFollowUp, Scenario
from bassplan.domain.vocabulary import C_FIRST_VISIT, C_FOLLOW_UP
from bassplan.model.evaluate import evaluate
from bassplan.model.travel import site_to_site
from bassplan.simulate import (
    SimulationSettings,
    clinic_network,
    run_replication,
    simulate_year,
    simulation_input,
)
from bassplan.simulate.model import SimulationInput
from bassplan.simulate.trace import YearTrace
from tests.support.paths import EXAMPLES

SCENARIOS = ("baseline.yaml", "bass_2030.yaml")
SEEDS = (0, 1, 2)


@pytest.fixture(scope="module")
def scenarios() -> dict[str, tuple[Scenario, Evaluation]]:
    region = load_region()
    out = {}
    for name in SCENARIOS:
        scenario = load_scenario(EXAMPLES / name, region)
        out[name] = (scenario, evaluate(region, scenario))
    return out


def unit_waits(inp: SimulationInput, trace: YearTrace) -> tuple[np.ndarray, np.ndarray]:
    """(U, K) mean wait and share beyond target, patients still waiting included."""
    histogram = (trace.served_by_wait + trace.waiting_at_end).astype(float)
    days = np.arange(histogram.shape[-1])
    patients = np.maximum(histogram.sum(axis=-1), 1.0)
    late = days[None, None, :] > inp.class_targets[None, :, None]
    return (histogram * days).sum(axis=-1) / patients, (histogram * late).sum(axis=-1) / patients


def test_more_capacity_never_lengthens_waits_in_random_networks() -> None:
    rng = np.random.default_rng(12)
    for trial in range(80):
        settings = SimulationSettings(days=60, warmup_days=0, overtime_cap=float(rng.random() / 4),
                                      follow_up_interval_days=int(rng.integers(2, 9)))
        inp = clinic_network(rng.random(3) * 10, rng.random(3) * 12, settings,
                             follow_ups_due_per_day=rng.random(3) * 4,
                             avoid_prob=rng.random(3) / 2)
        more = dataclasses.replace(inp, minutes_per_fte_day=inp.minutes_per_fte_day
                                   + rng.random(3) * 4)
        base, added = simulate_year(inp, trial, 0), simulate_year(more, trial, 0)
        (wait, late), (wait2, late2) = unit_waits(inp, base), unit_waits(more, added)
        assert (wait2 <= wait + 1e-12).all() and (late2 <= late + 1e-12).all(), trial
        assert (added.backlog <= base.backlog).all(), trial


@pytest.mark.parametrize("name", SCENARIOS)
def test_more_specialists_never_lengthen_referral_waits(
    scenarios: dict[str, tuple[Scenario, Evaluation]], name: str
) -> None:
    inp = simulation_input(scenarios[name][1])
    more = dataclasses.replace(inp, specialists=inp.specialists + 1.0)
    referral = [k for k, c in enumerate(inp.classes) if c != "follow_up"]
    for seed in SEEDS:
        base, added = simulate_year(inp, seed, 0), simulate_year(more, seed, 0)
        (wait, late), (wait2, late2) = unit_waits(inp, base), unit_waits(more, added)
        assert (wait2[:, referral] <= wait[:, referral] + 1e-12).all()
        assert (late2[:, referral] <= late[:, referral] + 1e-12).all()
        assert (added.backlog.sum(axis=1) <= base.backlog.sum(axis=1)).all()
        assert added.visits.sum() >= base.visits.sum()


@pytest.mark.parametrize("name", SCENARIOS)
def test_higher_pro_share_never_adds_visits(
    scenarios: dict[str, tuple[Scenario, Evaluation]], name: str
) -> None:
    scenario, evaluation = scenarios[name]
    region = evaluation.region
    inputs = []
    for share in (0.2, 0.6):
        entry = {"default": NeedBasedFollowUp(pro_share=share, trigger_rate=0.41)}
        variant = scenario.model_copy(update={"need_based_follow_up": entry})
        inputs.append(simulation_input(evaluate(region, variant)))
    for seed in SEEDS:
        low, high = (run_replication(inp, seed, 0) for inp in inputs)
        assert (high.visits <= low.visits).all()
        assert (high.demand <= low.demand).all()
        assert (high.visits_avoided > low.visits_avoided).all()


@pytest.mark.parametrize("name", SCENARIOS)
def test_winter_surge_never_shortens_the_backlog(
    scenarios: dict[str, tuple[Scenario, Evaluation]], name: str
) -> None:
    evaluation = scenarios[name][1]
    plain = simulation_input(evaluation)
    surge = simulation_input(evaluation, SimulationSettings(winter_surge=1.3))
    for seed in SEEDS:
        base, hard = run_replication(plain, seed, 0), run_replication(surge, seed, 0)
        # the region's backlog; a single clinic may dip for a while in spring, when first
        # visits the winter delayed bring their follow-ups later than without the surge
        assert (hard.backlog >= base.backlog).all()
        assert hard.backlog[58] > base.backlog[58]  # end of February


def test_results_depend_on_seed_and_replication_only(
    scenarios: dict[str, tuple[Scenario, Evaluation]]
) -> None:
    inp = simulation_input(scenarios["bass_2030.yaml"][1])
    a, b = run_replication(inp, 5, 1), run_replication(inp, 5, 1)
    assert pickle.dumps(a) == pickle.dumps(b)
    c = run_replication(inp, 5, 2)
    assert not np.array_equal(a.wait_mean_days, c.wait_mean_days, equal_nan=True)
    assert not np.array_equal(a.visits, c.visits)


def lavish(inp: SimulationInput) -> SimulationInput:
    """The same plan with ten times the specialists and outreach days for twice each
    clinic's minutes of visits, so that every patient is seen within days and the year
    runs at its steady state."""
    need = (inp.referrals_per_day * inp.minutes_first
            + inp.follow_ups_due_per_day * (1 - inp.avoid_prob) * inp.minutes_follow_up)
    outreach = np.where(inp.outreach_minutes > 0, 2 * need / inp.presence.min(), 0.0)
    return dataclasses.replace(inp, specialists=inp.specialists * 10, outreach_minutes=outreach)


@pytest.mark.parametrize("name", SCENARIOS)
def test_yearly_numbers_match_the_evaluation(
    scenarios: dict[str, tuple[Scenario, Evaluation]], name: str
) -> None:
    evaluation = scenarios[name][1]
    inp = lavish(simulation_input(evaluation))
    runs = [run_replication(inp, 77, r) for r in range(10)]
    assert all(r.waiting_at_end.sum() < 0.01 * r.visits.sum() for r in runs)  # no queues
    contacts = evaluation.allocation.contacts
    first = contacts[:, :, C_FIRST_VISIT, :].sum(axis=(1, 2))
    follow = contacts[:, :, C_FOLLOW_UP, :].sum(axis=(1, 2))

    def mean_and_se(values: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        stacked = np.array(values)
        return stacked.mean(axis=0), stacked.std(axis=0, ddof=1) / np.sqrt(len(values))

    # first visits: a sum of Poisson counts, so Poisson noise σ = √(N / runs)
    seen, _ = mean_and_se([r.first_visits for r in runs])
    assert (np.abs(seen - first) < 3 * np.sqrt(first / len(runs))).all()
    # follow-ups come in chains (a patient's visits through the year), so their noise is
    # larger than Poisson: compare within 3 standard errors measured over the runs. The
    # simulation draws the patients the allocation serves: visits avoided by PRO follow-up
    # in the share of follow-ups that found capacity
    split = evaluation.allocation.outpatient
    wanted = split.in_person[:, :, 1].sum(axis=0) + split.digital[:, :, 1].sum(axis=0)
    served = np.divide(follow, wanted, out=np.ones_like(follow), where=wanted > 0)
    for got, want in (
        ([r.visits - r.first_visits for r in runs], follow),
        ([r.visits_avoided for r in runs], evaluation.allocation.follow_ups_avoided * served),
        ([r.patient_km_saved for r in runs],
         evaluation.transport.saved_km_digital + evaluation.transport.saved_km_outreach),
        ([r.staff_km_saved for r in runs], video_consult_km(evaluation)),
    ):
        mean, se = mean_and_se(got)
        assert (np.abs(mean - want) <= 3 * se + 0.01 * np.abs(want)).all()


def video_consult_km(evaluation: Evaluation) -> np.ndarray:
    """(S,) staff km a year that video consults save: each would have been one of
    ``consults_per_visit`` consults on a round trip from the serving team's site."""
    _, site_km = site_to_site(evaluation.region, evaluation.travel_minutes, evaluation.travel_km)
    plan = evaluation.plan
    per_visit = evaluation.region.parameters.consults_per_visit
    saved = np.zeros(plan.serving_team.shape[0])
    for s in range(saved.size):
        for site, team in enumerate(plan.serving_team[s]):
            video = evaluation.allocation.consults_video[s, site]
            if video > 0:
                saved[s] += video / per_visit * 2 * site_km[team, site]
    return saved
