"""Random streams and counts by inversion: against SciPy's quantile functions, and the
couplings the metamorphic tests rely on."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from bassplan.simulate.sampling import (
    ACTIVITIES,
    binomial_quantile,
    poisson_quantile,
    replication_streams,
)

RNG = np.random.default_rng(20240601)
UNIFORM = np.clip(RNG.random(20_000), 0.0, 1.0 - 1e-12)


def test_poisson_matches_scipy_ppf() -> None:
    mean = RNG.random(UNIFORM.size) * 30.0
    mean[::7] *= 10.0
    mean[::11] = 0.0
    mean[::13] *= 1e-3
    for u in (UNIFORM, UNIFORM**8, np.minimum(1.0 - UNIFORM**8, 1.0 - 1e-12)):
        expected = np.maximum(stats.poisson.ppf(u, mean), 0.0)
        assert np.array_equal(poisson_quantile(u, mean), expected)


def test_binomial_matches_scipy_ppf() -> None:
    n = RNG.integers(0, 400, UNIFORM.size)
    p = RNG.random(UNIFORM.size)
    p[::5], p[::9] = 0.0, 1.0
    p[::17] *= 1e-3
    for u in (UNIFORM, UNIFORM**8):
        expected = np.maximum(stats.binom.ppf(u, n, p), 0.0)
        assert np.array_equal(binomial_quantile(u, n, p), expected)


def test_inversion_is_monotone_in_rate_trials_and_probability() -> None:
    u = np.full(500, 0.37)
    assert (np.diff(poisson_quantile(u, np.linspace(0, 60, 500))) >= 0).all()
    by_n = binomial_quantile(u, np.arange(500), np.full(500, 0.3))
    assert ((np.diff(by_n) >= 0) & (np.diff(by_n) <= 1)).all()  # one more trial, ≤ one more
    assert (np.diff(binomial_quantile(u, np.full(500, 80), np.linspace(0, 1, 500))) >= 0).all()


def test_draws_have_the_right_moments() -> None:
    counts = poisson_quantile(RNG.random(200_000), np.full(200_000, 3.7))
    assert counts.mean() == pytest.approx(3.7, abs=0.02)
    assert counts.var() == pytest.approx(3.7, abs=0.05)


def test_streams_are_the_spawned_children_of_the_seed() -> None:
    streams = replication_streams(42, 3)
    child = np.random.SeedSequence(42).spawn(4)[3]
    expected = [np.random.default_rng(c).random(3) for c in child.spawn(len(ACTIVITIES))]
    drawn = [getattr(streams, name).random(3) for name in ACTIVITIES]
    assert all(np.array_equal(a, b) for a, b in zip(drawn, expected, strict=True))


def test_streams_depend_only_on_seed_and_replication() -> None:
    a = replication_streams(7, 5).referrals.random(4)
    b = replication_streams(7, 5).referrals.random(4)
    c = replication_streams(7, 6).referrals.random(4)
    d = replication_streams(8, 5).referrals.random(4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert not np.array_equal(a, d)
    with pytest.raises(ValueError, match="≥ 0"):
        replication_streams(-1, 0)
