"""Branch-and-Benders-cut for the p-median on a reduced instance (see ``pmedian``).

Every node solves the master LP by Kelley's cutting planes: solve, separate the group
cuts at y*, add the violated ones, repeat. Cuts are valid everywhere, so they stay in the
one HiGHS model for the whole tree. A node is pruned when its bound reaches the incumbent
(within the gap), sites are fixed by reduced costs, and the tree branches on the most
fractional y_j. Nodes are taken best bound first, deepest first among equals (diving).
"""

from __future__ import annotations

import heapq
import itertools
import time
from dataclasses import dataclass

import numpy as np

from bassplan.domain.vocabulary import BoolArray, FloatArray
from bassplan.pmedian.cuts import Profiles, build_profiles, group_cuts, violated
from bassplan.pmedian.heuristic import greedy_add, vertex_substitution, weighted_cost
from bassplan.pmedian.master import Master, MasterSolution

_CUT_TOL = 1e-9  # relative violation that counts as a cut to add
_FRACTIONAL = 1e-6  # y within this of 0 or 1 counts as integer
_STALL_ROUNDS = 5  # rounds without bound progress before a node's cut loop stops
_MAX_ROUNDS = 500  # hard cap on cut rounds in one node
_PURGE_FACTOR = 5  # purge slack cuts once rows exceed this × (sites + groups)


@dataclass(frozen=True)
class SearchOutcome:
    """The best set found (mask over the reduced sites), its cost, a proven lower bound,
    and work counts; ``timed_out`` says whether the deadline cut the search short."""

    is_open: BoolArray
    upper: float
    lower: float
    nodes: int
    lp_solves: int
    cuts: int
    groups: int
    timed_out: bool


@dataclass(frozen=True)
class _Node:
    """A box on y: sites forced open (``lower``) and the sites still allowed (``upper``)."""

    lower: BoolArray
    upper: BoolArray
    depth: int


class _Incumbent:
    """The best known set of open sites and its cost (mutable during the search)."""

    def __init__(self, is_open: BoolArray, cost: float) -> None:
        self.is_open = is_open
        self.cost = cost

    def offer(self, is_open: BoolArray, cost: float) -> None:
        """Keep ``is_open`` if it is cheaper than the incumbent."""
        if cost < self.cost:
            self.is_open, self.cost = is_open.copy(), cost


def _round(y: FloatArray, node: _Node, p: int) -> BoolArray:
    """The node's forced sites plus its allowed sites with the largest y, p in all."""
    score = np.where(node.lower, 2.0, np.where(node.upper, y, -1.0))
    is_open = np.zeros(y.size, dtype=bool)
    is_open[np.argsort(-score, kind="stable")[:p]] = True
    return is_open


def reduced_cost_fixing(
    bound: float, reduced_cost: FloatArray, cutoff: float
) -> tuple[BoolArray, BoolArray]:
    """Sites that must stay closed and sites that must stay open in any set cheaper than
    ``cutoff``, read from an optimal LP's bound and reduced costs: opening a site at 0
    costs at least bound + rc_j (rc_j ≥ 0), closing a site at 1 at least bound − rc_j."""
    return bound + reduced_cost >= cutoff, bound - reduced_cost >= cutoff


def solve_node_lp(
    master: Master, profiles: Profiles, cutoff: float, deadline: float
) -> tuple[MasterSolution | None, bool]:
    """Kelley's loop at the current box until no cut is violated (converged), the bound
    reaches ``cutoff``, or progress stalls at a fractional y; None if the deadline passed."""
    best = -np.inf
    stall = 0
    sol: MasterSolution | None = None
    for _ in range(_MAX_ROUNDS):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            return None, False
        sol = master.solve(remaining)
        if not sol.solved:
            return None, False
        if sol.objective >= cutoff:
            return sol, True
        cuts, values = group_cuts(profiles, sol.y)
        new = violated(cuts, values, sol.theta, _CUT_TOL)
        if new.count == 0:
            return sol, True
        fractional = bool(np.any((sol.y > _FRACTIONAL) & (sol.y < 1.0 - _FRACTIONAL)))
        stall = stall + 1 if sol.objective <= best + 1e-12 * abs(best) else 0
        if stall >= _STALL_ROUNDS and fractional:
            return sol, False
        best = max(best, sol.objective)
        master.add_cuts(new)
    return sol, False


def branch_and_cut(
    cost: FloatArray,
    weight: FloatArray,
    p: int,
    forced_open: BoolArray,
    deadline: float,
    gap: float,
    heuristics: bool = True,
) -> SearchOutcome:
    """Solve min Σ_i w_i min_{j open} C_ij over sets of p sites containing ``forced_open``.

    ``cost`` (n, m) should have distinct rows of positive weight (duplicates only cost
    time); ``deadline`` is a ``time.perf_counter()`` instant; the search stops once
    (upper − lower)/upper ≤ ``gap``. ``heuristics=False`` starts from the greedy set
    alone and takes new incumbents only from integer LP solutions, leaving the search to
    the tree: tests use it to exercise branching and pruning.
    """
    m = cost.shape[1]
    allowed = np.ones(m, dtype=bool)
    start = greedy_add(cost, weight, p, forced_open, allowed)
    if heuristics:
        start = vertex_substitution(cost, weight, start, forced_open, allowed)
    best = _Incumbent(start, weighted_cost(cost, weight, start))

    # with p open, one of each point's m − p + 1 nearest sites is open; and no point
    # ever needs a rank beyond its nearest forced-open site
    depth = m - p + 1
    if forced_open.any():
        ranked = np.argsort(cost, axis=1, kind="stable")
        depth = min(depth, int(forced_open[ranked].argmax(axis=1).max()) + 1)
    profiles = build_profiles(cost, weight, depth)
    master = Master(profiles.group_floor, p, m)
    master.add_cuts(group_cuts(profiles, start.astype(np.float64))[0])

    tol = max(gap, 1e-9)
    counter = itertools.count()
    root = _Node(forced_open.copy(), np.ones(m, dtype=bool), 0)
    heap: list[tuple[float, int, int, _Node]] = [(-np.inf, 0, next(counter), root)]
    closed_global = np.zeros(m, dtype=bool)
    root_duals: tuple[float, FloatArray] | None = None
    pruned_floor = np.inf  # least bound among nodes pruned against the incumbent
    nodes = 0
    timed_out = False

    while heap:
        parent_bound, _, _, node = heap[0]
        cutoff = best.cost * (1.0 - tol)
        if parent_bound >= cutoff:
            heapq.heappop(heap)
            pruned_floor = min(pruned_floor, parent_bound)
            continue
        if time.perf_counter() >= deadline:
            timed_out = True
            break
        heapq.heappop(heap)
        upper = node.upper & ~closed_global
        if int(node.lower.sum()) > p or int(upper.sum()) < p:
            continue  # no set of p sites fits this box
        node = _Node(node.lower, upper, node.depth)
        master.set_box(node.lower.astype(np.float64), upper.astype(np.float64))
        nodes += 1
        sol, converged = solve_node_lp(master, profiles, cutoff, deadline)
        if sol is None:
            timed_out = True
            heapq.heappush(heap, (parent_bound, -node.depth, next(counter), node))
            break
        if master.highs.getNumRow() > 1 + _PURGE_FACTOR * (m + profiles.groups):
            master.purge()
        rounded = _round(sol.y, node, p)
        integral = not np.any((sol.y > _FRACTIONAL) & (sol.y < 1.0 - _FRACTIONAL))
        if heuristics or integral:
            best.offer(rounded, weighted_cost(cost, weight, rounded))
        if node.depth == 0:
            root_duals = (sol.objective, sol.reduced_cost)
            if heuristics:
                polished = vertex_substitution(cost, weight, rounded, forced_open, allowed)
                best.offer(polished, weighted_cost(cost, weight, polished))
        cutoff = best.cost * (1.0 - tol)
        if sol.objective >= cutoff:
            pruned_floor = min(pruned_floor, sol.objective)
            continue
        if root_duals is not None:
            # the root's bound and reduced costs hold in every node
            closed_global |= reduced_cost_fixing(*root_duals, cutoff)[0] & ~forced_open
        # the same with this node's own bound and reduced costs, for its subtree
        shut, keep = reduced_cost_fixing(sol.objective, sol.reduced_cost, cutoff)
        upper = node.upper & ~(shut & ~node.lower) & ~closed_global
        lower = node.lower | (keep & upper)
        if int(lower.sum()) > p or int(upper.sum()) < p:
            pruned_floor = min(pruned_floor, cutoff)  # every set in the box costs ≥ cutoff
            continue
        y = np.where(upper, sol.y, 0.0)
        free = upper & ~lower
        frac = np.flatnonzero((y > _FRACTIONAL) & (y < 1.0 - _FRACTIONAL) & free)
        if frac.size == 0 and converged:
            # an integer y with no violated cut: its cost (offered above) is the bound
            pruned_floor = min(pruned_floor, sol.objective)
            continue
        if frac.size == 0:
            frac = np.flatnonzero(free)  # stalled at an integer y: split the box anyway
            if frac.size == 0:
                continue  # the box holds one set only, and it was offered above
        j = int(frac[np.argmin(np.abs(y[frac] - 0.5))])
        take, drop = lower.copy(), upper.copy()
        take[j] = True
        drop[j] = False
        for child in (_Node(take, upper, node.depth + 1), _Node(lower, drop, node.depth + 1)):
            heapq.heappush(heap, (sol.objective, -child.depth, next(counter), child))

    open_bounds = [b for b, _, _, _ in heap]
    floor = float(profiles.group_floor.sum())  # every point at its nearest site
    proven = max(min([best.cost, pruned_floor, *open_bounds]), floor)
    return SearchOutcome(
        is_open=best.is_open,
        upper=best.cost,
        lower=min(proven, best.cost),
        nodes=nodes,
        lp_solves=master.solves,
        cuts=master.cut_count,
        groups=profiles.groups,
        timed_out=timed_out,
    )
