"""The exact p-median checked against PySAL spopt (0.7) solved by HiGHS through PuLP.

What spopt's ``PMedian.from_cost_matrix(cost, weights, p_facilities=p)`` builds (read
from spopt/locate/p_median.py): the textbook assignment model, min Σ_ij w_i C_ij x_ij
with Σ_j x_ij = 1, Σ_j y_j = p, x_ij ≤ y_j, binary x and y; ``predefined_facilities_arr``
(a 0/1 array over sites) fixes y_j = 1. Its optimum is the p-median optimum, so both
objectives must agree (the open sets may differ only where the optimum is tied).

Instances are region-shaped: points and sites scattered over a 130 × 150 km box, road
minutes = euclidean km × 1.3 / 70 km/h × 60, lognormal weights like area populations.
"""

from __future__ import annotations

import numpy as np
import pytest

from bassplan.pmedian.solve import assignment_cost, solve_pmedian

pulp = pytest.importorskip("pulp")
locate = pytest.importorskip("spopt.locate")

# PuLP 3.x warns that spopt builds variables the pre-4.0 way; nothing else is silenced
pytestmark = pytest.mark.filterwarnings(
    "ignore:Constructing LpVariable:DeprecationWarning:pulp.*"
)


def region_instance(n: int, m: int, seed: int, whole_minutes: bool = False):
    rng = np.random.default_rng(seed)
    points = rng.uniform([0, 0], [130, 150], size=(n, 2))
    sites = rng.uniform([0, 0], [130, 150], size=(m, 2))
    km = np.linalg.norm(points[:, None, :] - sites[None, :, :], axis=2) * 1.3
    minutes = km / 70.0 * 60.0
    if whole_minutes:
        minutes = np.round(minutes)  # travel matrices often come in whole minutes: ties
    weights = rng.lognormal(6.0, 1.2, n)
    return minutes, weights


def spopt_pmedian(cost, weights, p, fixed_open=()):
    """spopt's optimum objective and open sites, solved with HiGHS."""
    predefined = None
    if fixed_open:
        predefined = np.zeros(cost.shape[1], dtype=int)
        predefined[list(fixed_open)] = 1
    model = locate.PMedian.from_cost_matrix(
        cost, weights, p_facilities=p, predefined_facilities_arr=predefined
    )
    model = model.solve(pulp.HiGHS(msg=False, gapRel=1e-9))  # HiGHS stops at 1e-4 by default
    chosen = tuple(j for j, y in enumerate(model.fac_vars) if y.value() > 0.5)
    return float(model.problem.objective.value()), chosen


@pytest.mark.parametrize(
    ("seed", "p", "whole_minutes"),
    [(1, 3, False), (2, 5, False), (3, 4, True), (6, 2, True)],
)
def test_same_optimum_as_spopt(seed, p, whole_minutes):
    cost, weights = region_instance(200, 15, seed, whole_minutes)
    peer_objective, peer_sites = spopt_pmedian(cost, weights, p)
    ours = solve_pmedian(cost, weights, p)
    assert ours.status == "optimal"
    assert ours.objective == pytest.approx(peer_objective, rel=1e-6)
    # spopt's own set costs what it reports, and ours is at least as good
    assert assignment_cost(cost, weights, peer_sites) == pytest.approx(peer_objective, rel=1e-6)
    assert ours.objective <= assignment_cost(cost, weights, peer_sites) * (1 + 1e-9)


def test_same_optimum_as_spopt_with_predefined_sites():
    cost, weights = region_instance(200, 15, 4)
    peer_objective, peer_sites = spopt_pmedian(cost, weights, 4, fixed_open=(2, 9))
    ours = solve_pmedian(cost, weights, 4, fixed_open=[2, 9])
    assert {2, 9} <= set(peer_sites)
    assert {2, 9} <= set(ours.open_sites)
    assert ours.objective == pytest.approx(peer_objective, rel=1e-6)
    # the free optimum differs here, so the fixing mattered
    assert solve_pmedian(cost, weights, 4).objective < ours.objective * (1 - 1e-6)
