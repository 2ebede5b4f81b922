"""Benchmark: the vectorised year simulation against an equivalent SimPy model.

For the bundled region (all seven specialties, ``examples/baseline.yaml`` and
``examples/bass_2030.yaml``) it reports the wall time of one replication (target
< 0.5 s), the time of 1,000 replications on a pool of 2 processes (target < 5 min;
measured, or projected from ``--replications`` fewer), and, side by side, a SimPy model
of the same year's work: one SimPy process per patient (referral or follow-up falling
due) and, per clinic unit, a clinic-day process that hands the day's minutes (the
engine's capacity for that replication, so both see the same staff and ward work) to
waiting patients in priority order, oldest first. Target ratio ≥ 30×.

Run: .venv/bin/python benchmarks/bench_simulate.py [--replications N] [--simpy-runs N]
"""

from __future__ import annotations

import argparse
import time
from collections import deque
from collections.abc import Callable, Generator
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path

import numpy as np
import simpy

from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.simulate import SimulationInput, run_replication, simulate_year, simulation_input
from bassplan.simulate.capacity import DailyCapacity

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SEED = 2026


class SimpyYear:
    """The engine's year in SimPy, one process per patient (see the module docstring)."""

    def __init__(self, inp: SimulationInput, capacity: DailyCapacity, seed: int) -> None:
        self.inp, self.capacity = inp, capacity
        self.env = simpy.Environment()
        self.rng = np.random.default_rng(seed)
        n_classes = len(inp.classes)
        self.queues: list[list[deque[tuple[int, simpy.Event]]]] = [
            [deque() for _ in range(n_classes)] for _ in range(inp.n_units)]
        self.minutes = np.repeat(inp.minutes_first[:, None], n_classes, axis=1)
        self.minutes[:, inp.follow_up_class] = inp.minutes_follow_up
        self.visits = 0
        self.waits: list[int] = []

    def wait_for_visit(self, unit: int, k: int, day: int) -> Generator[simpy.Event, int, int]:
        event = self.env.event()
        self.queues[unit][k].append((day, event))
        seen: int = yield event
        self.visits += int(self.inp.counted[seen])  # the year's visits, as the engine counts
        self.waits.append(seen - day)
        return seen

    def referral(self, unit: int, k: int, day: int) -> Generator[simpy.Event, int, None]:
        seen = yield from self.wait_for_visit(unit, k, day)
        if self.rng.random() < self.inp.continue_prob[unit]:
            self.env.process(self.follow_up(unit, seen + self.inp.interval_days))

    def follow_up(self, unit: int, due: int) -> Generator[simpy.Event, int, None]:
        yield self.env.timeout(due - self.env.now)
        if self.rng.random() < self.inp.continue_prob[unit]:
            self.env.process(self.follow_up(unit, due + self.inp.interval_days))
        if self.rng.random() < self.inp.avoid_prob[unit]:
            return
        yield from self.wait_for_visit(unit, self.inp.follow_up_class, due)

    def arrivals(self) -> Generator[simpy.Event, None, None]:
        inp = self.inp
        for day in range(inp.day.size):
            means = (inp.referrals_per_day[:, None] * inp.referral_factor[day]
                     * inp.referral_share[None, :])
            counts = self.rng.poisson(means)
            for unit, k in zip(*np.nonzero(counts), strict=True):
                for _ in range(counts[unit, k]):
                    self.env.process(self.referral(int(unit), int(k), day))
            yield self.env.timeout(1)

    def clinic_days(self) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(0.5)  # after the day's arrivals and due follow-ups
        acute = self.inp.acute_class
        for day in range(self.inp.day.size):
            for unit in range(self.inp.n_units):
                left = self.capacity.clinic[day, unit]
                for k in range(self.minutes.shape[1]):
                    left = self.serve(unit, k, day, left)
                self.serve(unit, acute, day, self.capacity.overtime[day, unit])
            yield self.env.timeout(1)

    def serve(self, unit: int, k: int, day: int, left: float) -> float:
        queue, minutes = self.queues[unit][k], self.minutes[unit, k]
        while queue and left >= minutes - 1e-9:
            queue.popleft()[1].succeed(day)
            left -= minutes
        return left

    def run(self) -> int:
        """Simulate the warm-up and the year; return the year's visits."""
        for unit, due in enumerate(self.inp.follow_ups_due_per_day):
            for day in range(self.inp.interval_days):
                for _ in range(self.rng.poisson(due)):
                    self.env.process(self.follow_up(unit, day))
        self.env.process(self.arrivals())
        self.env.process(self.clinic_days())
        self.env.run(until=self.inp.day.size)
        return self.visits


def simpy_visits_of(inp: SimulationInput, capacity: DailyCapacity) -> int:
    """One SimPy year on the engine's capacities; its visits."""
    return SimpyYear(inp, capacity, SEED).run()


def timed(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    """Mean wall seconds of ``repeat`` calls, and the last call's value."""
    start = time.perf_counter()
    value: object = None
    for _ in range(repeat):
        value = run()
    return (time.perf_counter() - start) / repeat, value


def pool_time(inp: SimulationInput, replications: int, workers: int) -> float:
    """Wall seconds for ``replications`` replications on a pool of ``workers`` processes."""
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(partial(run_replication, inp, SEED), range(replications),
                                chunksize=max(1, replications // (8 * workers))))
    assert [r.replication for r in results] == list(range(replications))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replications", type=int, default=1000,
                        help="replications on the pool (projected to 1,000 if fewer)")
    parser.add_argument("--simpy-runs", type=int, default=3, help="SimPy replications timed")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    region = load_region()
    print(f"{'scenario':<16} {'units':>5} {'visits/rep':>11} {'engine s':>9} "
          f"{'SimPy visits':>13} {'SimPy s':>8} {'ratio':>7} "
          f"{'1,000 reps on ' + str(args.workers) + ' cores':>24}")
    for name in ("baseline.yaml", "bass_2030.yaml"):
        inp = simulation_input(evaluate(region, load_scenario(EXAMPLES / name, region)))
        run_replication(inp, SEED, 0)  # warm caches
        engine_s, result = timed(partial(run_replication, inp, SEED, 1), 20)
        visits = float(np.sum(result.visits))  # type: ignore[attr-defined]
        trace = simulate_year(inp, SEED, 1)
        year_visits = int(trace.visits.sum())
        simpy_s, simpy_visits = timed(partial(simpy_visits_of, inp, trace.capacity),
                                      args.simpy_runs)
        pool_s = pool_time(inp, args.replications, args.workers)
        projected = pool_s * 1000 / args.replications
        label = "measured" if args.replications == 1000 else "projected"
        print(f"{name[:-5]:<16} {inp.n_units:>5} {visits:>11,.0f} {engine_s:>9.3f} "
              f"{simpy_visits:>13,} {simpy_s:>8.2f} {simpy_s / engine_s:>6.0f}× "
              f"{projected:>13.0f} s {label}")
        assert year_visits == visits


if __name__ == "__main__":
    main()
