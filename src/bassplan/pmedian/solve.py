"""Exact p-median: choose p sites minimising Σ_i w_i min_{j open} C_ij.

    min Σ_i w_i θ_i   s.t.  Σ_j y_j = p,  y ∈ {0, 1}^m,
                            θ_i ≥ t − Σ_j max(t − C_ij, 0) · y_j   for every point i and level t

The Benders reformulation of the radius formulation (García, Labbé & Marín 2011;
Duran-Mateluna, Ales & Elloumi 2023, "An efficient Benders decomposition for the
p-median problem", EJOR 308): cuts are generated only where the LP needs them, for all
points at once, so the model never holds the n × m assignment variables of the textbook
formulation. Before solving, demand points with identical cost rows are merged (weights
summed), points of zero weight dropped and fixed-closed sites removed. A greedy plus
vertex-substitution heuristic gives the first upper bound; branch-and-Benders-cut
(``pmedian_search``) proves optimality or stops at the gap or the time limit.

Example (by hand), 4 points × 3 sites, weights (1, 2, 1, 1)::

    C = [[0, 4, 9],      p = 2:  {0,1}: 1·0 + 2·2 + 1·5 + 1·3 = 12   (optimum)
         [5, 2, 6],              {0,2}: 1·0 + 2·5 + 1·1 + 1·3 = 14
         [8, 5, 1],              {1,2}: 1·4 + 2·2 + 1·1 + 1·6 = 15
         [3, 6, 8]]      p = 1:  {0}: 21, {1}: 19 (optimum), {2}: 30
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.vocabulary import FloatArray, IntArray
from bassplan.pmedian.heuristic import greedy_add
from bassplan.pmedian.search import branch_and_cut

SOURCE = "p-median request"
OPTIMAL_GAP = 1e-9  # relative gap that counts as proven optimal

Status = Literal["optimal", "gap_reached", "time_limit"]


@dataclass(frozen=True)
class PMedianResult:
    """A solved p-median: the open sites, who goes where, and how good the proof is.

    ``objective`` is the weighted cost of ``open_sites`` (cost units × weight units);
    ``lower_bound`` is proven; ``gap`` = (objective − lower_bound) / objective.
    ``points`` is the number of distinct weighted demand profiles the model was built on.
    """

    open_sites: tuple[int, ...]
    assignment: IntArray  # (n,) the open site serving each demand point
    objective: float
    lower_bound: float
    gap: float
    status: Status
    seconds: float
    nodes: int
    lp_solves: int
    cuts: int
    points: int


def _fail(field: str, rule: str, where: str = "") -> InputError:
    return InputError(SOURCE, where, field, rule)


def _site_set(sites: Iterable[int], m: int, field: str) -> IntArray:
    """Distinct site indices from ``sites``, checked to be integers in 0..m−1."""
    raw = np.asarray(list(sites))
    if raw.size == 0:
        return np.zeros(0, dtype=np.int64)
    if raw.ndim != 1 or not np.issubdtype(raw.dtype, np.integer):
        raise _fail(field, "must be a list of integer site indices")
    if raw.min() < 0 or raw.max() >= m:
        raise _fail(field, f"site indices must lie in 0..{m - 1}")
    return np.unique(raw).astype(np.int64)


def _arrays(cost: FloatArray, weights: FloatArray) -> tuple[FloatArray, FloatArray]:
    """The cost matrix and weights as float arrays, checked for shape and sign."""
    c = np.asarray(cost, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if c.ndim != 2 or c.shape[0] < 1 or c.shape[1] < 1:
        raise _fail("cost", "must be a 2-D matrix (points × sites) with at least one of each")
    if w.shape != (c.shape[0],):
        raise _fail("weights", f"must hold one value per row of cost ({c.shape[0]})")
    if not np.isfinite(c).all():
        raise _fail("cost", "must be finite (no NaN or infinity)")
    if (c < 0).any():
        raise _fail("cost", "must be ≥ 0")
    if not np.isfinite(w).all() or (w < 0).any():
        raise _fail("weights", "must be finite and ≥ 0")
    return c, w


def assignment_cost(cost: FloatArray, weights: FloatArray, open_sites: Iterable[int]) -> float:
    """Σ_i w_i min_{j ∈ open_sites} C_ij: the p-median objective of a given set of sites."""
    c, w = _arrays(cost, weights)
    sites = _site_set(open_sites, c.shape[1], "open_sites")
    if sites.size == 0:
        raise _fail("open_sites", "must name at least one site")
    return float(w @ c[:, sites].min(axis=1))


def solve_pmedian(
    cost: FloatArray,
    weights: FloatArray,
    p: int,
    *,
    fixed_open: Iterable[int] = (),
    fixed_closed: Iterable[int] = (),
    time_limit: float = 60.0,
    gap: float = 0.0,
) -> PMedianResult:
    """Open exactly p sites minimising the weighted cost to each point's nearest open site.

    ``fixed_open`` / ``fixed_closed`` are site indices kept open / closed; ``time_limit``
    is in seconds; ``gap`` is the relative optimality gap to stop at (0: prove optimal).
    """
    started = time.perf_counter()
    c, w = _arrays(cost, weights)
    if isinstance(p, bool) or not isinstance(p, (int, np.integer)):
        raise _fail("p", "must be an integer")
    m = c.shape[1]
    opened = _site_set(fixed_open, m, "fixed_open")
    closed = _site_set(fixed_closed, m, "fixed_closed")
    both = np.intersect1d(opened, closed)
    if both.size:
        raise _fail("fixed_open", f"site {int(both[0])} cannot be both fixed open and closed")
    if p < 1:
        raise _fail("p", "must be at least 1", f"p = {p}")
    if p > m:
        raise _fail("p", f"must be at most the number of sites ({m})", f"p = {p}")
    if p < opened.size:
        raise _fail("p", f"must be at least the number of fixed open sites ({opened.size})",
                    f"p = {p}")
    if p > m - closed.size:
        raise _fail("p", f"must be at most the sites not fixed closed ({m - closed.size})",
                    f"p = {p}")
    if not (np.isfinite(time_limit) and time_limit > 0):
        raise _fail("time_limit", "must be a positive number of seconds")
    if not (np.isfinite(gap) and 0.0 <= gap < 1.0):
        raise _fail("gap", "must lie in [0, 1)")

    sites = np.setdiff1d(np.arange(m), closed)  # the candidate columns kept
    forced = np.isin(sites, opened)
    kept = c[:, sites]
    positive = w > 0
    trivial = not positive.any() or p in (sites.size, opened.size)
    if trivial:
        chosen = greedy_add(kept, w, p, forced, np.ones(sites.size, dtype=bool))
        nodes = lp_solves = cuts = points = 0
        lower = -np.inf
    else:
        profiles, inverse = np.unique(kept[positive], axis=0, return_inverse=True)
        merged = np.bincount(inverse.reshape(-1), w[positive]).astype(np.float64)
        deadline = started + float(time_limit)
        outcome = branch_and_cut(profiles, merged, p, forced, deadline, float(gap))
        chosen, lower = outcome.is_open, outcome.lower
        nodes, lp_solves, cuts = outcome.nodes, outcome.lp_solves, outcome.cuts
        points = int(merged.size)

    open_sites = sites[chosen]
    served = c[:, open_sites]
    assignment = open_sites[np.argmin(served, axis=1)].astype(np.int64)
    objective = float(w @ served.min(axis=1))
    bound = objective if trivial else min(lower, objective)
    rel_gap = (objective - bound) / objective if objective > 0 else 0.0
    status: Status = "time_limit"
    if rel_gap <= OPTIMAL_GAP * (1.0 + 1e-6):
        status = "optimal"
    elif rel_gap <= gap:
        status = "gap_reached"
    return PMedianResult(
        open_sites=tuple(int(j) for j in open_sites),
        assignment=assignment,
        objective=objective,
        lower_bound=bound,
        gap=rel_gap,
        status=status,
        seconds=time.perf_counter() - started,
        nodes=nodes,
        lp_solves=lp_solves,
        cuts=cuts,
        points=points,
    )
