"""The engine's mechanics: serving oldest first, classes in order within the minutes,
overtime, capacity from staff and ward work — each against a slow loop written here —
and the bookkeeping laws of a simulated year."""

from __future__ import annotations

import dataclasses
import pickle

import numpy as np
import pytest

from bassplan.simulate import SimulationSettings, clinic_network, run_replication, simulate_year
from bassplan.simulate.capacity import daily_capacity
from bassplan.simulate.engine import _oldest_first, _serve_counts
from bassplan.simulate.model import SimulationInput
from bassplan.simulate.sampling import replication_streams

RNG = np.random.default_rng(99)
SMALL = SimulationSettings(days=80, warmup_days=0, follow_up_interval_days=5, overtime_cap=0.2)


def slow_oldest_first(queue: np.ndarray, counts: np.ndarray) -> np.ndarray:
    taken = np.zeros_like(queue)
    for u in range(queue.shape[0]):
        for k in range(queue.shape[1]):
            left = counts[u, k]
            for age in range(queue.shape[2] - 1, -1, -1):  # oldest bin first
                take = min(left, queue[u, k, age])
                taken[u, k, age] = take
                left -= take
    return taken


def slow_serve(totals: np.ndarray, minutes: np.ndarray, clinic: np.ndarray,
               overtime: np.ndarray, acute: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.zeros_like(totals)
    used = np.zeros(totals.shape[0])
    for u in range(totals.shape[0]):
        left = clinic[u]
        for k in range(totals.shape[1]):  # one visit at a time while it fits
            while counts[u, k] < totals[u, k] and left >= minutes[u, k] - 1e-9:
                counts[u, k] += 1
                left -= minutes[u, k]
        extra = overtime[u]
        while counts[u, acute] < totals[u, acute] and extra >= minutes[u, acute] - 1e-9:
            counts[u, acute] += 1
            extra -= minutes[u, acute]
            used[u] += minutes[u, acute]
    return counts, used


def test_oldest_first_matches_a_loop() -> None:
    for _ in range(50):
        queue = RNG.integers(0, 4, (3, 4, 9))
        counts = RNG.integers(0, 20, (3, 4))
        assert np.array_equal(_oldest_first(queue, counts), slow_oldest_first(queue, counts))


def test_service_in_class_order_with_overtime_matches_a_loop() -> None:
    for _ in range(200):
        totals = RNG.integers(0, 8, (3, 4))
        minutes = RNG.choice([1.0, 1.5, 2.0, 3.0], (3, 4))
        clinic = RNG.random(3) * 15
        overtime = RNG.random(3) * 4
        got = _serve_counts(totals, minutes, clinic, overtime, acute=0)
        want = slow_serve(totals, minutes, clinic, overtime, acute=0)
        assert np.array_equal(got[0], want[0])
        assert got[1] == pytest.approx(want[1])


def network(**kwargs: object) -> SimulationInput:
    values: dict[str, object] = {"follow_ups_due_per_day": [2.0, 1.0], "continue_prob": [0.5, 0.8],
                                 "avoid_prob": [0.2, 0.0], "minutes_first": [2.0, 1.0]}
    values.update(kwargs)
    return clinic_network([4.0, 3.0], [9.0, 5.0], SMALL, **values)  # type: ignore[arg-type]


def test_every_patient_is_seen_or_still_waiting() -> None:
    inp = network()
    trace = simulate_year(inp, 3, 0)
    seen = trace.served_by_wait.sum(axis=-1)
    waiting = trace.waiting_at_end.sum(axis=-1)
    assert np.array_equal(trace.joined, seen + waiting)
    assert np.array_equal(trace.backlog[-1], waiting.sum(axis=1))
    assert np.array_equal(trace.visits.sum(axis=1), seen.sum(axis=1))
    referral = [k for k in range(len(inp.classes)) if k != inp.follow_up_class]
    assert np.array_equal(trace.visits[:, 0], seen[:, referral].sum(axis=1))
    # a clinic never uses more minutes than its day's capacity plus acute overtime
    minutes = trace.visits[:, 0] * inp.minutes_first + trace.visits[:, 1] * inp.minutes_follow_up
    allowed = trace.capacity.clinic.sum(axis=0) + trace.acute_overtime_minutes
    assert (minutes <= allowed + 1e-9).all()


def test_overtime_is_used_only_for_acute_patients_left_waiting() -> None:
    inp = network()
    trace = simulate_year(inp, 4, 0)
    acute_seen = trace.served_by_wait[:, inp.acute_class].sum(axis=-1)
    assert (trace.acute_overtime_minutes <= acute_seen * inp.minutes_first + 1e-9).all()
    assert (trace.acute_overtime_minutes <= 0.2 * 80 * np.array([9.0, 5.0]) + 1e-9).all()
    lavish = dataclasses.replace(inp, minutes_per_fte_day=inp.minutes_per_fte_day * 10)
    assert simulate_year(lavish, 4, 0).acute_overtime_minutes.sum() == 0.0


def test_follow_ups_keep_their_steady_rate_and_pro_avoids_its_share() -> None:
    # N = 5 referrals a day seen the same day, q = 0.5: the steady due rate is
    # D = q (D + N) = 5 a day, and the schedule starts there
    inp = clinic_network([5.0], [100.0], SimulationSettings(days=400, warmup_days=0),
                         follow_ups_due_per_day=5.0, continue_prob=0.5, avoid_prob=0.25)
    trace = simulate_year(inp, 8, 0)
    due = trace.joined[0, inp.follow_up_class] + trace.avoided[0]
    # chains of ~2 events make the yearly count over-dispersed: sd ≈ √(2 × 2000) ≈ 63
    assert due == pytest.approx(5.0 * 400, abs=3 * 63)
    assert trace.avoided[0] / due == pytest.approx(0.25, abs=3 * np.sqrt(0.25 * 0.75 / due))


def test_capacity_matches_a_loop_over_days_and_teams() -> None:
    # two teams; team 0 holds a home unit and an outreach unit, team 1 one home unit
    inp = dataclasses.replace(
        clinic_network([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], SMALL),
        unit_team=np.array([0, 0, 1]), team_specialty=np.array([0, 1]),
        team_site=np.array([0, 2]), specialists=np.array([3.5, 2.0]),
        trainees=np.array([1.0, 0.0]), extra_absent=np.array([1.0, 0.0]),
        extra_absence=np.arange(80) < 30, minutes_per_fte_day=np.array([100.0, 80.0]),
        sick_prob=0.1, ward_share=np.array([0.3, 0.5]), clinic_share=np.array([0.6, 0.5]),
        ward_per_day=np.array([[2.0, 5.0, 1.0, 1.0], [1.0, 3.0, 0.0, 0.0]]),
        ward_minutes=np.array([[40.0, 10.0, 30.0, 15.0], [40.0, 10.0, 30.0, 15.0]]),
        outreach_minutes=np.array([0.0, 90.0, 0.0]), presence=np.linspace(0.6, 1.0, 80),
        overtime_share=np.array([0.8, 0.2, 1.0]), overtime_cap=0.1,
    )
    capacity = daily_capacity(inp, replication_streams(5, 0))
    streams = replication_streams(5, 0)
    sick_draws = streams.sickness.random((3, 80, 2))  # whole specialists: 3 and 2
    fraction_draws = streams.sickness_fraction.random((80, 2))
    for d in range(80):
        for t in range(2):
            whole = int(np.floor(inp.specialists[t]))
            sick = sum(sick_draws[s, d, t] < 0.1 for s in range(whole))
            sick += (inp.specialists[t] - whole) * (fraction_draws[d, t] < 0.1)
            away = inp.extra_absent[t] if d < 30 else 0.0
            present = max(inp.specialists[t] - sick - away, 0.0) + inp.trainees[t] * 0.9
            budget = present * inp.presence[d] * inp.minutes_per_fte_day[t]
            assert capacity.budget[d, t] == pytest.approx(budget)
            ward = float(capacity.ward_items[d, t] @ inp.ward_minutes[t])
            over_ward = max(ward - inp.ward_share[t] * budget, 0.0)
            clinic = max(inp.clinic_share[t] * budget - over_ward, 0.0)
            ward_overtime = max(over_ward - inp.clinic_share[t] * budget, 0.0)
            assert capacity.ward_overtime[d, t] == pytest.approx(ward_overtime)
            pool = max(0.1 * budget - ward_overtime, 0.0)
            if t == 0:
                outreach = min(90.0 * inp.presence[d], clinic)
                assert capacity.clinic[d, 1] == pytest.approx(outreach)
                assert capacity.clinic[d, 0] == pytest.approx(clinic - outreach)
                assert capacity.overtime[d, :2] == pytest.approx([0.8 * pool, 0.2 * pool])
            else:
                assert capacity.clinic[d, 2] == pytest.approx(clinic)


def test_adding_a_specialist_never_lowers_anyone_present() -> None:
    inp = dataclasses.replace(network(), sick_prob=0.3, specialists=np.array([4.5, 2.0]),
                              minutes_per_fte_day=np.array([10.0, 10.0]))
    more = dataclasses.replace(inp, specialists=inp.specialists + 1)
    base = daily_capacity(inp, replication_streams(1, 0)).budget
    added = daily_capacity(more, replication_streams(1, 0)).budget
    assert (added >= base - 1e-12).all()
    assert (added > base).any()


def test_replications_are_pure_and_distinct() -> None:
    inp = network()
    a, b, c = run_replication(inp, 1, 2), run_replication(inp, 1, 2), run_replication(inp, 1, 3)
    assert pickle.dumps(a) == pickle.dumps(b)
    assert not np.array_equal(a.backlog, c.backlog)
    assert a.replication == 2 and c.replication == 3
    assert pickle.loads(pickle.dumps(a)).visits.tolist() == a.visits.tolist()
