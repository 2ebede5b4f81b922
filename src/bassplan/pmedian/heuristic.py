"""A good p-median starting solution: greedy addition, then vertex substitution.

Greedy addition (Kuehn & Hamburger 1963) opens, one at a time, the site that lowers the
weighted cost most. Vertex substitution (Teitz & Bart 1968) then makes the best single
swap of an open for a closed site while any swap helps, evaluated for all swaps at once
with Whitaker's (1983) nearest/second-nearest bookkeeping: one pass over the cost matrix
per swap. The exact solver uses the result as its first upper bound and first cuts.
"""

from __future__ import annotations

import numpy as np

from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray


def weighted_cost(cost: FloatArray, weights: FloatArray, open_mask: BoolArray) -> float:
    """Σ_i w_i min_{j open} C_ij for a boolean mask of open sites (cost units × weight)."""
    return float(weights @ cost[:, open_mask].min(axis=1))


def greedy_add(
    cost: FloatArray, weights: FloatArray, p: int, start: BoolArray, allowed: BoolArray
) -> BoolArray:
    """Open sites one by one, each the ``allowed`` one that lowers the cost most.

    ``start`` (m,) marks the sites open from the outset; the result has exactly p open.
    """
    is_open = start.copy()
    nearest = (
        cost[:, is_open].min(axis=1) if is_open.any() else np.full(cost.shape[0], np.inf)
    )
    while int(is_open.sum()) < p:
        # total cost if site j were added, for every j at once
        total = weights @ np.minimum(cost, nearest[:, None])
        total[is_open | ~allowed] = np.inf
        pick = int(np.argmin(total))
        is_open[pick] = True
        nearest = np.minimum(nearest, cost[:, pick])
    return is_open


def _two_nearest(cost: FloatArray, open_idx: IntArray) -> tuple[IntArray, FloatArray, FloatArray]:
    """Per point: the nearest open site, its cost, and the second-nearest open cost."""
    sub = cost[:, open_idx]
    if open_idx.size == 1:
        return (
            np.full(cost.shape[0], open_idx[0], dtype=np.int64),
            sub[:, 0].copy(),
            np.full(cost.shape[0], np.inf),
        )
    two = np.argpartition(sub, 1, axis=1)[:, :2]
    rows = np.arange(cost.shape[0])
    c0, c1 = sub[rows, two[:, 0]], sub[rows, two[:, 1]]
    first = np.where(c0 <= c1, two[:, 0], two[:, 1])
    return open_idx[first].astype(np.int64), np.minimum(c0, c1), np.maximum(c0, c1)


def vertex_substitution(
    cost: FloatArray,
    weights: FloatArray,
    is_open: BoolArray,
    locked: BoolArray,
    allowed: BoolArray,
    max_swaps: int = 1000,
) -> BoolArray:
    """Make the best improving swap (close one open, open one closed) until none helps.

    ``locked`` sites never close; only ``allowed`` sites may open.
    """
    is_open = is_open.copy()
    for _ in range(max_swaps):
        open_idx = np.flatnonzero(is_open)
        near, d1, d2 = _two_nearest(cost, open_idx)
        # gain[j]: saving from opening j alone; loss[k, j]: what closing k then costs back
        gain = weights @ np.maximum(d1[:, None] - cost, 0.0)
        back = weights[:, None] * (np.minimum(cost, d2[:, None]) - np.minimum(cost, d1[:, None]))
        owner = near[:, None] == open_idx[None, :]  # (n, p) which open site serves i
        loss = owner.T.astype(np.float64) @ back  # (p, m)
        delta = loss - gain[None, :]
        delta[locked[open_idx], :] = np.inf
        delta[:, is_open | ~allowed] = np.inf
        k, j = np.unravel_index(int(np.argmin(delta)), delta.shape)
        current = float(weights @ d1)
        if not delta[k, j] < -1e-12 * max(current, 1.0):
            break
        is_open[open_idx[k]] = False
        is_open[j] = True
    return is_open
