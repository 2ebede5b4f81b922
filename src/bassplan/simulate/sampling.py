"""Random numbers of one replication: one stream per activity, and counts drawn by
inversion so that runs with different inputs but the same seed stay comparable.

A replication's streams come from ``SeedSequence(seed, spawn_key=(replication,))`` — the
replication-th child of ``SeedSequence(seed).spawn(...)`` — split once more per activity,
so results never depend on worker count or run order. Counts are Poisson or Binomial
quantiles of uniforms drawn up front (common random numbers): raising a rate, a head
count or a probability never lowers a count drawn from the same uniform. Inversion
starts from a Cornish–Fisher guess and steps to the exact quantile with SciPy's ``pdtr``
and ``betainc``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special

from bassplan.domain.vocabulary import FloatArray, IntArray

Cdf = Callable[[FloatArray, IntArray], FloatArray]
_MAX_STEPS = 200  # search steps from the first guess; far more than any guess needs
ACTIVITIES = (
    "referrals", "ward", "sickness", "sickness_fraction", "schedule",
    "continuation", "chain_start", "pro",
)


@dataclass(frozen=True)
class Streams:
    """One generator per activity of a replication (``ACTIVITIES`` order)."""

    referrals: np.random.Generator
    ward: np.random.Generator
    sickness: np.random.Generator
    sickness_fraction: np.random.Generator
    schedule: np.random.Generator
    continuation: np.random.Generator
    chain_start: np.random.Generator
    pro: np.random.Generator


def replication_streams(seed: int, replication: int) -> Streams:
    """The activity streams of replication ``replication`` of a run seeded ``seed``."""
    if seed < 0 or replication < 0:
        raise ValueError(f"seed {seed} and replication {replication} must be ≥ 0")
    root = np.random.SeedSequence(seed, spawn_key=(replication,))
    children = root.spawn(len(ACTIVITIES))
    return Streams(*(np.random.default_rng(child) for child in children))


def _invert(cdf: Cdf, guess: FloatArray, uniform: FloatArray, upper: FloatArray) -> IntArray:
    """The smallest k in [0, upper] with cdf(k) ≥ u, searched from ``guess``: step up
    while cdf(k) < u, then down while cdf(k − 1) ≥ u (a step or two from a good guess).
    ``cdf(k, index)`` is the distribution function at k of the elements ``index``."""
    k = np.clip(guess, 0.0, upper).ravel()
    flat_u = uniform.ravel()
    active = np.flatnonzero(cdf(k, np.arange(k.size)) < flat_u)
    for _ in range(_MAX_STEPS):
        if active.size == 0:
            break
        k[active] += 1.0
        active = active[cdf(k[active], active) < flat_u[active]]
    active = np.flatnonzero(k > 0)
    active = active[cdf(k[active] - 1.0, active) >= flat_u[active]]
    for _ in range(_MAX_STEPS):
        if active.size == 0:
            break
        k[active] -= 1.0
        active = active[k[active] > 0]
        active = active[cdf(k[active] - 1.0, active) >= flat_u[active]]
    result: IntArray = k.reshape(uniform.shape).astype(np.int64)
    return result


def _normal_score(uniform: FloatArray) -> FloatArray:
    score: FloatArray = special.ndtri(np.clip(uniform, 1e-15, 1.0 - 1e-15))
    return score


def poisson_quantile(uniform: FloatArray, mean: FloatArray) -> IntArray:
    """Poisson(mean) counts by inversion of uniforms in [0, 1): the smallest k with
    P(X ≤ k) ≥ u (``scipy.stats.poisson.ppf``), from a Cornish–Fisher first guess."""
    uniform = np.asarray(uniform, dtype=np.float64)
    mean = np.broadcast_to(np.asarray(mean, dtype=np.float64), uniform.shape)
    z = _normal_score(uniform)
    guess = np.floor(mean + np.sqrt(mean) * z + (z * z - 1.0) / 6.0 + 0.5)
    flat_mean = mean.ravel()

    def cdf(k: FloatArray, index: IntArray) -> FloatArray:
        return np.asarray(special.pdtr(k, flat_mean[index]), dtype=np.float64)

    counts = _invert(cdf, guess, uniform, np.full(uniform.shape, np.inf))
    result: IntArray = np.where(mean > 0, counts, 0)
    return result


def binomial_quantile(uniform: FloatArray, n: IntArray, p: FloatArray) -> IntArray:
    """Binomial(n, p) counts by inversion of uniforms in [0, 1) (``scipy.stats.binom.ppf``);
    P(X ≤ k) = I_{1−p}(n − k, k + 1), the regularised incomplete beta function."""
    uniform = np.asarray(uniform, dtype=np.float64)
    trials = np.broadcast_to(np.asarray(n, dtype=np.float64), uniform.shape)
    prob = np.broadcast_to(np.asarray(p, dtype=np.float64), uniform.shape)
    z = _normal_score(uniform)
    mean, sd = trials * prob, np.sqrt(trials * prob * (1.0 - prob))
    guess = np.floor(mean + sd * z + (z * z - 1.0) * (1.0 - 2.0 * prob) / 6.0 + 0.5)
    flat_n, flat_q = trials.ravel(), 1.0 - prob.ravel()

    def cdf(k: FloatArray, index: IntArray) -> FloatArray:
        n_i = flat_n[index]
        inside = k < n_i
        out = np.ones(k.shape)
        out[inside] = special.betainc(n_i[inside] - k[inside], k[inside] + 1.0,
                                      flat_q[index][inside])
        return out

    return _invert(cdf, guess, uniform, trials)
