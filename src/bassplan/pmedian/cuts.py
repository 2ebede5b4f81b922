"""Benders optimality cuts of the p-median radius formulation, separated for all points at once.

For demand point i and any threshold t (a cost level), every choice of open sites y with
Σ_j y_j = p, fractional or not, leaves the point a cost of at least

    θ_i ≥ t − Σ_j max(t − C_ij, 0) · y_j        (García, Labbé & Marín 2011, radius
                                                  formulation; Duran-Mateluna, Ales &
                                                  Elloumi 2023, EJOR: its Benders cuts)

and the strongest cut at a point y* takes t = the smallest cost level at which the point's
nearest sites, taken in order, carry a cumulative y* of 1. At an integer y* the cut is
exact: its right-hand side is the cost to the nearest open site.

Points are pooled into groups (all points with the same nearest site): one variable
Θ_g = Σ_{i∈g} w_i θ_i per group and one cut per group and round, the weighted sum of its
points' cuts. The master stays small (groups ≤ sites) while the cuts keep most of the
per-point strength, because points sharing a nearest site have similar cost profiles.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bassplan.domain.vocabulary import FloatArray, IntArray

# a cumulative opening this close to 1 counts as reaching 1 (LP solutions are inexact)
_REACH = 1.0 - 1e-9


@dataclass(frozen=True)
class Profiles:
    """Each point's sites in order of cost, with its weight and group.

    ``site[i, r]`` is point i's r-th nearest site and ``cost[i, r]`` the cost to it. Only
    the first ``depth`` ranks are kept: with p of the sites open, one of a point's
    m − p + 1 nearest sites is always open, so farther ranks never set a cut.
    """

    site: IntArray  # (n, depth)
    cost: FloatArray  # (n, depth)
    weight: FloatArray  # (n,)
    group: IntArray  # (n,) group of each point, 0..groups−1
    groups: int
    sites: int  # m, the number of candidate sites (columns)

    @property
    def group_floor(self) -> FloatArray:
        """(groups,) Σ_{i∈g} w_i · (cost to i's nearest site): the least Θ_g can be."""
        return np.bincount(
            self.group, self.weight * self.cost[:, 0], minlength=self.groups
        ).astype(np.float64)


@dataclass(frozen=True)
class GroupCuts:
    """Cuts Θ_g + Σ_j coef · y_j ≥ level, one per row, with the y part in CSR form."""

    group: IntArray  # (k,) the group whose Θ the cut bounds
    level: FloatArray  # (k,) right-hand side Σ_{i∈g} w_i t_i
    start: IntArray  # (k + 1,) CSR row starts into ``site`` / ``coef``
    site: IntArray  # (nnz,)
    coef: FloatArray  # (nnz,) Σ_{i∈g} w_i max(t_i − C_ij, 0) > 0

    @property
    def count(self) -> int:
        """Number of cuts."""
        return int(self.group.size)


def build_profiles(cost: FloatArray, weight: FloatArray, depth: int) -> Profiles:
    """Sort every point's costs ascending, keep ``depth`` ranks, group by nearest site."""
    n, m = cost.shape
    depth = max(1, min(depth, m))
    order = np.argsort(cost, axis=1, kind="stable")[:, :depth]
    nearest = order[:, 0]
    used, group = np.unique(nearest, return_inverse=True)
    return Profiles(
        site=order.astype(np.int64),
        cost=np.take_along_axis(cost, order, axis=1),
        weight=weight.astype(np.float64),
        group=group.reshape(n).astype(np.int64),
        groups=int(used.size),
        sites=m,
    )


def _reach_rank(profiles: Profiles, y: FloatArray) -> IntArray:
    """Per point, the first rank at which the cumulative y of its nearest sites reaches 1.

    Most points reach 1 within a few ranks, so ranks are scanned in widening slices and
    only the points still short of 1 go on to the next slice.
    """
    n, depth = profiles.site.shape
    rank = np.full(n, depth - 1, dtype=np.int64)  # Σ y = p reaches 1 by the last rank
    pending = np.arange(n)
    done = 0
    carried = np.zeros(n)
    for width in (4, 16, depth):
        stop = min(width, depth)
        if stop <= done or pending.size == 0:
            continue
        cum = np.cumsum(y[profiles.site[pending, done:stop]], axis=1) + carried[:, None]
        reach = cum >= _REACH
        found = reach.any(axis=1)
        rank[pending[found]] = done + reach[found].argmax(axis=1)
        carried = cum[~found, -1]
        pending = pending[~found]
        done = stop
    return rank


def point_values(profiles: Profiles, y: FloatArray) -> tuple[FloatArray, FloatArray, int]:
    """Per point at ``y``: the least cost θ_i the relaxed assignment allows and the
    threshold t of the cut that attains it (both in cost units); and the number of
    ranks that carry any cut coefficient."""
    rank = _reach_rank(profiles, y)
    level = np.take_along_axis(profiles.cost, rank[:, None], axis=1)[:, 0]
    width = int(rank.max()) + 1  # beyond a point's rank, C ≥ t: coefficient 0
    gain = np.maximum(level[:, None] - profiles.cost[:, :width], 0.0)
    value = level - (gain * y[profiles.site[:, :width]]).sum(axis=1)
    return value, level, width


def group_cuts(profiles: Profiles, y: FloatArray) -> tuple[GroupCuts, FloatArray]:
    """The strongest cut of every group at ``y`` and each group's value Σ w_i θ_i there."""
    value, level, width = point_values(profiles, y)
    g, m = profiles.groups, profiles.sites
    w = profiles.weight
    coef = w[:, None] * np.maximum(level[:, None] - profiles.cost[:, :width], 0.0)
    flat = (profiles.group[:, None] * m + profiles.site[:, :width]).ravel()
    dense = np.bincount(flat, coef.ravel(), minlength=g * m).reshape(g, m)
    keep = dense > 0.0
    start = np.zeros(g + 1, dtype=np.int64)
    np.cumsum(keep.sum(axis=1), out=start[1:])
    cuts = GroupCuts(
        group=np.arange(g, dtype=np.int64),
        level=np.bincount(profiles.group, w * level, minlength=g).astype(np.float64),
        start=start,
        site=np.nonzero(keep)[1].astype(np.int64),
        coef=dense[keep].astype(np.float64),
    )
    return cuts, np.bincount(profiles.group, w * value, minlength=g).astype(np.float64)


def select(cuts: GroupCuts, rows: IntArray) -> GroupCuts:
    """The cuts at positions ``rows`` (ascending)."""
    counts = np.diff(cuts.start)[rows]
    start = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(counts, out=start[1:])
    take = np.repeat(cuts.start[rows] - start[:-1], counts) + np.arange(int(start[-1]))
    return GroupCuts(cuts.group[rows], cuts.level[rows], start, cuts.site[take], cuts.coef[take])


def violated(
    cuts: GroupCuts, values: FloatArray, theta: FloatArray, rel_tol: float
) -> GroupCuts:
    """The group cuts that the master's Θ violates by more than ``rel_tol`` × the value."""
    rows = np.flatnonzero(values - theta > rel_tol * np.maximum(np.abs(values), 1.0))
    return select(cuts, rows)
