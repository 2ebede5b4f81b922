"""The engine against an equivalent SimPy model with one process per patient.

Network: two clinics, two priorities (acute, routine) and scheduled follow-ups served
between them, fixed daily clinic minutes, first visits longer than follow-ups, acute
overtime, follow-up chains (a first visit starts one with probability q; every due
follow-up, visit or PRO answer, falls due again ``INTERVAL`` days later with probability
q) and PRO answers that avoid a visit. Both models start from the same steady-state
follow-up schedule (Poisson per day for the first ``INTERVAL`` days).

The SimPy model draws every patient's fate independently, so the two agree only in
distribution: means over replications must agree within 4 standard errors of their
difference.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from dataclasses import dataclass

import numpy as np
import pytest
import simpy

from bassplan.simulate import SimulationSettings, clinic_network, simulate_year

SETTINGS = SimulationSettings(
    days=150, warmup_days=0, priorities=("acute", "routine"), priority_shares=(0.2, 0.8),
    target_days=(1, 10), follow_up_rank=1, follow_up_target_days=3,
    follow_up_interval_days=7, overtime_cap=0.15, max_wait_days=150,
)
REFERRALS = np.array([5.0, 3.0])  # per day
CAPACITY = np.array([16.0, 8.5])  # clinic minutes per day
MINUTES_FIRST = np.array([2.0, 1.5])
MINUTES_FOLLOW_UP = np.array([1.0, 1.0])
CONTINUE = np.array([0.6, 0.5])
AVOID = np.array([0.3, 0.0])
DUE = CONTINUE * REFERRALS / (1.0 - CONTINUE)  # steady state: D = q (D + N)
CLASSES = SETTINGS.classes  # acute, follow_up, routine
TARGETS = np.array(SETTINGS.class_targets)
FOLLOW_UP = CLASSES.index("follow_up")
ENGINE_RUNS, SIMPY_RUNS = 200, 150


@dataclass
class Tally:
    """Waits (days) per clinic and class, and visits per clinic, of one replication."""

    waits: list[list[list[int]]]
    visits: np.ndarray


class SimpyClinics:
    """Two clinics in SimPy: a process per referral and per due follow-up; a clinic
    process per day serves each class oldest first while its visit minutes still fit."""

    def __init__(self, seed: int) -> None:
        self.env = simpy.Environment()
        self.rng = np.random.default_rng(seed)
        n = REFERRALS.size
        self.queues: list[list[deque[tuple[int, simpy.Event]]]] = [
            [deque() for _ in CLASSES] for _ in range(n)]
        self.tally = Tally([[[] for _ in CLASSES] for _ in range(n)], np.zeros(n))

    def minutes(self, clinic: int, k: int) -> float:
        return float(MINUTES_FOLLOW_UP[clinic] if k == FOLLOW_UP else MINUTES_FIRST[clinic])

    def wait_for_visit(self, clinic: int, k: int, day: int) -> Generator[simpy.Event, int, int]:
        event = self.env.event()
        self.queues[clinic][k].append((day, event))
        seen: int = yield event
        self.tally.waits[clinic][k].append(seen - day)
        self.tally.visits[clinic] += 1
        return seen

    def referral(self, clinic: int, k: int, day: int) -> Generator[simpy.Event, int, None]:
        seen = yield from self.wait_for_visit(clinic, k, day)
        if self.rng.random() < CONTINUE[clinic]:
            self.env.process(self.follow_up(clinic, seen + SETTINGS.follow_up_interval_days))

    def follow_up(self, clinic: int, due: int) -> Generator[simpy.Event, int, None]:
        yield self.env.timeout(due - self.env.now)
        if self.rng.random() < CONTINUE[clinic]:
            self.env.process(self.follow_up(clinic, due + SETTINGS.follow_up_interval_days))
        if self.rng.random() < AVOID[clinic]:
            return
        yield from self.wait_for_visit(clinic, FOLLOW_UP, due)

    def arrivals(self) -> Generator[simpy.Event, None, None]:
        shares = [SETTINGS.priority_shares[SETTINGS.priorities.index(c)] if c != "follow_up"
                  else 0.0 for c in CLASSES]
        for day in range(SETTINGS.days):
            for clinic, rate in enumerate(REFERRALS):
                for k, share in enumerate(shares):
                    for _ in range(self.rng.poisson(rate * share)):
                        self.env.process(self.referral(clinic, k, day))
            yield self.env.timeout(1)

    def clinic_days(self) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(0.5)  # after the day's arrivals
        for day in range(SETTINGS.days):
            for clinic in range(REFERRALS.size):
                left = CAPACITY[clinic]
                for k in range(len(CLASSES)):
                    left = self.serve(clinic, k, day, left)
                self.serve(clinic, 0, day, SETTINGS.overtime_cap * CAPACITY[clinic])
            yield self.env.timeout(1)

    def serve(self, clinic: int, k: int, day: int, left: float) -> float:
        queue, minutes = self.queues[clinic][k], self.minutes(clinic, k)
        while queue and left >= minutes - 1e-9:
            queue.popleft()[1].succeed(day)
            left -= minutes
        return left

    def run(self) -> Tally:
        for clinic, due in enumerate(DUE):
            for day in range(SETTINGS.follow_up_interval_days):
                for _ in range(self.rng.poisson(due)):
                    self.env.process(self.follow_up(clinic, day))
        self.env.process(self.arrivals())
        self.env.process(self.clinic_days())
        self.env.run(until=SETTINGS.days)
        last = SETTINGS.days - 1
        for clinic, queues in enumerate(self.queues):  # still waiting: time waited so far
            for k, queue in enumerate(queues):
                self.tally.waits[clinic][k].extend(last - day for day, _ in queue)
        return self.tally


def simpy_statistics(seed: int) -> np.ndarray:
    """(2, K, 2) mean wait and share beyond target, and (2,) visits, flattened."""
    tally = SimpyClinics(seed).run()
    stats = np.zeros((REFERRALS.size, len(CLASSES), 2))
    for clinic in range(REFERRALS.size):
        for k in range(len(CLASSES)):
            waits = np.array(tally.waits[clinic][k], dtype=float)
            stats[clinic, k] = waits.mean(), (waits > TARGETS[k]).mean()
    return np.concatenate([stats.ravel(), tally.visits])


def engine_statistics(seed: int, replication: int) -> np.ndarray:
    inp = clinic_network(REFERRALS, CAPACITY, SETTINGS, follow_ups_due_per_day=DUE,
                         continue_prob=CONTINUE, avoid_prob=AVOID,
                         minutes_first=MINUTES_FIRST, minutes_follow_up=MINUTES_FOLLOW_UP)
    trace = simulate_year(inp, seed, replication)
    histogram = (trace.served_by_wait + trace.waiting_at_end).astype(float)
    waits = np.arange(histogram.shape[-1])
    patients = histogram.sum(axis=-1)
    mean = (histogram * waits).sum(axis=-1) / patients
    beyond = (histogram * (waits[None, None, :] > TARGETS[None, :, None])).sum(axis=-1) / patients
    return np.concatenate([np.stack([mean, beyond], axis=-1).ravel(), trace.visits.sum(axis=1)])


@pytest.fixture(scope="module")
def both() -> tuple[np.ndarray, np.ndarray]:
    engine = np.array([engine_statistics(2024, r) for r in range(ENGINE_RUNS)])
    other = np.array([simpy_statistics(1000 + r) for r in range(SIMPY_RUNS)])
    return engine, other


def test_engine_and_simpy_agree_in_distribution(both: tuple[np.ndarray, np.ndarray]) -> None:
    engine, other = both
    difference = engine.mean(axis=0) - other.mean(axis=0)
    se = np.sqrt(engine.var(axis=0, ddof=1) / len(engine) + other.var(axis=0, ddof=1) / len(other))
    names = [f"clinic{c} {k} {s}" for c in range(2) for k in CLASSES for s in ("wait", "late")]
    names += ["clinic0 visits", "clinic1 visits"]
    z = np.abs(difference) / np.maximum(se, 1e-12)
    assert (z < 4).all(), [(n, round(float(v), 2)) for n, v in zip(names, z, strict=True) if v >= 4]


def test_the_network_is_busy_enough_to_test_queueing(both: tuple[np.ndarray, np.ndarray]) -> None:
    engine, _ = both
    means = engine.mean(axis=0)[:-2].reshape(2, len(CLASSES), 2)
    # the routine class waits days in both clinics, and some patients miss their targets
    assert (means[:, CLASSES.index("routine"), 0] > 0.5).all()
    assert (means[:, :, 1].max(axis=1) > 0.01).all()
