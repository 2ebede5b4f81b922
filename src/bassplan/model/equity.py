"""How travel time is spread over residents: weighted mean, quantile, share within a
limit and Gini, each population-weighted.

Every statistic weights an area's value by its residents, so it describes residents,
not areas; areas without residents do not count. A total weight of zero gives nan.
The ``*_rows`` forms take values of shape (R, A), one row per specialty, and weights of
shape (A,) shared by all rows; the one-row forms call them, so there is one definition.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.vocabulary import FloatArray, IntArray

# Cumulative shares are sums of floats: a share meant to equal q may come out a few
# units in the last place below it. Shares within this distance of q count as reaching q.
QUANTILE_TOLERANCE = 1e-12


def _rows(values: FloatArray) -> FloatArray:
    """Return values as a 2-D float array with one row per series."""
    array = np.asarray(values, dtype=np.float64)
    return array[None, :] if array.ndim == 1 else array


def _sorted_rows(
    values: FloatArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Sort each row ascending; return sorted values, their weights and cumulative weights."""
    order = np.argsort(values, axis=1, kind="stable")
    sorted_values = np.take_along_axis(values, order, axis=1)
    sorted_weights = np.asarray(weights, dtype=np.float64)[order]
    return sorted_values, sorted_weights, np.cumsum(sorted_weights, axis=1)


def _total(weights: FloatArray) -> float:
    """Sum of weights (residents)."""
    return float(np.sum(weights, dtype=np.float64))


def weighted_mean_rows(values: FloatArray, weights: FloatArray) -> FloatArray:
    """(R,) resident-weighted mean of each row of values (R, A); nan if nobody lives there."""
    total = _total(weights)
    if total <= 0:
        return np.full(_rows(values).shape[0], np.nan)
    return np.asarray(_rows(values) @ weights / total, dtype=np.float64)


def weighted_quantile_rows(values: FloatArray, weights: FloatArray, q: float) -> FloatArray:
    """(R,) weighted q-quantile of each row: the smallest value t such that the share of
    residents with a value ≤ t is at least q (no interpolation; see ``QUANTILE_TOLERANCE``)."""
    if not 0.0 < q <= 1.0:
        raise ValueError(f"quantile q must lie in (0, 1], got {q}")
    rows = _rows(values)
    total = _total(weights)
    if total <= 0:
        return np.full(rows.shape[0], np.nan)
    sorted_values, _, cumulative = _sorted_rows(rows, weights)
    first = np.argmax(cumulative / total >= q - QUANTILE_TOLERANCE, axis=1)
    return np.asarray(sorted_values[np.arange(rows.shape[0]), first], dtype=np.float64)


def share_within_rows(values: FloatArray, weights: FloatArray, limit: float) -> FloatArray:
    """(R,) share of residents whose value is at most ``limit`` (inclusive), per row."""
    total = _total(weights)
    rows = _rows(values)
    if total <= 0:
        return np.full(rows.shape[0], np.nan)
    return np.asarray((rows <= limit) @ weights / total, dtype=np.float64)


def weighted_max_rows(values: FloatArray, weights: FloatArray) -> tuple[FloatArray, IntArray]:
    """(R,) largest value over areas with residents, and (R,) the first area holding it
    (nan and -1 when nobody lives anywhere)."""
    rows = _rows(values)
    lived_in = np.asarray(weights) > 0
    if not lived_in.any():
        return np.full(rows.shape[0], np.nan), np.full(rows.shape[0], -1, dtype=np.int64)
    masked = np.where(lived_in[None, :], rows, -np.inf)
    worst = np.argmax(masked, axis=1).astype(np.int64)
    return np.asarray(rows[np.arange(rows.shape[0]), worst], dtype=np.float64), worst


def weighted_gini_rows(values: FloatArray, weights: FloatArray) -> FloatArray:
    """(R,) Gini coefficient of each row over residents, in [0, 1]; 0 when all are equal.

    G = Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ), with W = Σ w and μ the weighted mean
    (half the weighted mean absolute difference over the mean). Computed in O(A log A)
    from the sorted values: each gap x_(k+1) − x_(k) separates C_k residents below from
    W − C_k above, so the double sum is 2 Σ_k gap_k C_k (W − C_k). All gaps of equal values
    are exactly 0, so equal times give exactly 0. Values must be ≥ 0; μ = 0 gives 0.
    """
    rows = _rows(values)
    total = _total(weights)
    if total <= 0:
        return np.full(rows.shape[0], np.nan)
    sorted_values, _, cumulative = _sorted_rows(rows, weights)
    gaps = np.diff(sorted_values, axis=1)
    below = cumulative[:, :-1]
    # the residents above a gap, from the same running sum, so that zero-weight tails give
    # exactly 0 (a separately summed total differs in the last bits and swamps tiny gaps)
    above = cumulative[:, -1:] - below
    half_pairs = np.sum(gaps * below * above, axis=1)
    weighted_sum = rows @ weights
    gini = np.divide(
        half_pairs,
        total * weighted_sum,
        out=np.zeros(rows.shape[0]),
        where=weighted_sum > 0,
    )
    return np.asarray(np.clip(gini, 0.0, 1.0), dtype=np.float64)


def weighted_mean(values: FloatArray, weights: FloatArray) -> float:
    """Resident-weighted mean of values (A,) with weights (A,) residents; nan if W = 0."""
    return float(weighted_mean_rows(values, weights)[0])


def weighted_quantile(values: FloatArray, weights: FloatArray, q: float) -> float:
    """Smallest value t such that the weighted share of residents with value ≤ t is ≥ q."""
    return float(weighted_quantile_rows(values, weights, q)[0])


def share_within(values: FloatArray, weights: FloatArray, limit_minutes: float) -> float:
    """Share of residents (0..1) whose travel time is at most ``limit_minutes``."""
    return float(share_within_rows(values, weights, limit_minutes)[0])


def weighted_gini(values: FloatArray, weights: FloatArray) -> float:
    """Gini of travel time across residents: 0 for equal times, at most 1."""
    return float(weighted_gini_rows(values, weights)[0])
