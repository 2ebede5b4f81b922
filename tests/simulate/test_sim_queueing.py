"""The engine against queueing theory: one clinic, Poisson(λ) referrals a day, a fixed
capacity of c one-minute visits a day, one priority, no absences or follow-ups.

Discretisation (the engine's, see ``engine``): on day t the day's arrivals A(t) join the
queue, then up to c patients are seen oldest first (same-day service possible), so the
queue at the end of day t is Q(t) = max(Q(t−1) + A(t) − c, 0). A patient in position
pos (0-based) of day t's arrivals, behind Q(t−1) older patients, is seen on day
t + ⌊(Q(t−1) + pos) / c⌋: his wait exceeds k days iff Q(t−1) + pos ≥ (k + 1) c. Hence
  P(W > k) = E[(A − max(0, (k + 1) c − Q))⁺] / λ,   E[W] = E[Q] / λ (Little),
with Q ~ the stationary law of the chain, computed here by a truncated transition
matrix and a linear solve, independent of the engine.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy import stats

from bassplan.simulate import SimulationSettings, clinic_network, simulate_year

CAPACITY = 10
TRUNCATE = 600  # queue states kept; the mass beyond is < 1e-12 for ρ ≤ 0.95
BATCHES = 30


def stationary_queue(lam: float, c: int, n: int = TRUNCATE) -> np.ndarray:
    """Stationary law of Q(t) = max(Q(t−1) + A − c, 0), A ~ Poisson(lam), on 0..n."""
    pmf = stats.poisson.pmf(np.arange(n + c + 1), lam)
    cdf = np.cumsum(pmf)
    i = np.arange(n + 1)[:, None]
    jump = np.arange(n + 1)[None, :] + c - i  # arrivals needed to go from i to j > 0
    P = np.where((jump >= 0) & (jump < pmf.size), pmf[np.clip(jump, 0, pmf.size - 1)], 0.0)
    P[:, 0] = np.where(c - i[:, 0] >= 0, cdf[np.clip(c - i[:, 0], 0, None)], 0.0)
    P[:, n] += 1.0 - P.sum(axis=1)  # the truncated tail stays at n
    A = P.T - np.eye(n + 1)
    A[-1] = 1.0  # replace one balance equation by Σ π = 1
    b = np.zeros(n + 1)
    b[-1] = 1.0
    return np.linalg.solve(A, b)


def wait_tail(pi: np.ndarray, lam: float, c: int, k: int) -> float:
    """P(W > k) for a random patient, from the stationary queue law."""
    arrivals = np.arange(int(lam * 10 + 50))
    pa = stats.poisson.pmf(arrivals, lam)
    ahead = np.maximum((k + 1) * c - np.arange(pi.size), 0)
    late = np.maximum(arrivals[None, :] - ahead[:, None], 0)
    return float((pi[:, None] * pa[None, :] * late).sum() / lam)


def run_clinic(lam: float, days: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    settings = SimulationSettings(
        days=days, warmup_days=300, priorities=("routine",), priority_shares=(1.0,),
        target_days=(0,), follow_up_rank=1, overtime_cap=0.0, max_wait_days=80)
    inp = clinic_network([lam], [CAPACITY], settings)
    trace = simulate_year(inp, seed, 0)
    queue = trace.backlog[inp.counted, 0].astype(float)
    return queue, trace.served_by_wait[0, 0].astype(float)


def batch_se(series: np.ndarray) -> float:
    """Standard error of a long correlated series' mean by batch means."""
    usable = series[: series.size // BATCHES * BATCHES].reshape(BATCHES, -1).mean(axis=1)
    return float(usable.std(ddof=1) / np.sqrt(BATCHES))


def test_chain_solver_matches_hand_case() -> None:
    # c = 1, λ = 0.5: the solved law satisfies the balance equation of state 0 and the
    # zero-drift identity (patients seen a day = λ), both written out by hand
    pi = stationary_queue(0.5, 1, 200)
    pmf = stats.poisson.pmf(np.arange(205), 0.5)
    # from state 0 or 1 the queue goes to 0 with P(A ≤ 1 − i); π0 = π0 P(A≤1) + π1 P(A=0)
    assert pi[0] == pytest.approx(pi[0] * (pmf[0] + pmf[1]) + pi[1] * pmf[0], rel=1e-9)
    # mean drift zero in steady state: E[served] = λ, served = min(Q + A, 1)
    served = 1.0 - pi[0] * pmf[0]
    assert served == pytest.approx(0.5, rel=1e-9)


@pytest.mark.parametrize("rho", [0.8, 0.95])
def test_mean_queue_and_wait_match_the_markov_chain(rho: float) -> None:
    lam = rho * CAPACITY
    days = 30_000
    queue, served = run_clinic(lam, days, seed=11)
    pi = stationary_queue(lam, CAPACITY)
    mean_queue = float((pi * np.arange(pi.size)).sum())
    # tolerance: 4 batch-means standard errors of the simulated mean
    assert abs(queue.mean() - mean_queue) < 4 * batch_se(queue)
    waits = np.arange(served.size)
    mean_wait = (served * waits).sum() / served.sum()
    assert mean_wait == pytest.approx(mean_queue / lam, abs=4 * batch_se(queue) / lam)
    # every patient who arrived in the counted days and was seen appears once
    assert served.sum() == pytest.approx(lam * days, rel=0.01)


def test_wait_tail_matches_the_markov_chain() -> None:
    lam = 8.0
    _, served = run_clinic(lam, 30_000, seed=5)
    pi = stationary_queue(lam, CAPACITY)
    for k, tolerance in ((0, 0.006), (1, 0.0006)):
        exact = wait_tail(pi, lam, CAPACITY, k)
        simulated = served[k + 1:].sum() / served.sum()
        assert simulated == pytest.approx(exact, abs=tolerance), k
    # Σ_k P(W > k) = E[W] = E[Q] / λ: the two formulas of the module docstring agree
    tails = sum(wait_tail(pi, lam, CAPACITY, k) for k in range(30))
    assert tails == pytest.approx((pi * np.arange(pi.size)).sum() / lam, rel=1e-9)


def test_heavy_traffic_approaches_md1() -> None:
    # Pollaczek–Khinchine for M/D/1 with service rate c a day: Wq = ρ / (2 c (1 − ρ)).
    # The daily-batch queue waits less at light load (same-day service) and tends to
    # the M/D/1 value as ρ → 1; Kingman's bound E[W] ≤ 1 / (2 (c − λ)) holds throughout.
    ratios = []
    for rho in (0.5, 0.8, 0.9, 0.95, 0.98):
        lam = rho * CAPACITY
        pi = stationary_queue(lam, CAPACITY, 1500)
        wait = (pi * np.arange(pi.size)).sum() / lam
        assert wait <= 1.0 / (2.0 * (CAPACITY - lam)) + 1e-9
        ratios.append(wait / (rho / (2 * CAPACITY * (1 - rho))))
    assert all(a < b for a, b in itertools.pairwise(ratios))
    assert 0.9 < ratios[-1] < 1.0
    # the engine follows the chain into heavy traffic: ρ = 0.95 in the test above
