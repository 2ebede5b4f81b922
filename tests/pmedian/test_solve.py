"""The exact p-median against brute force, hand sums and slow loop oracles.

Brute force enumerates every set of p sites (itertools.combinations) and prices it with a
plain loop; the cut oracle evaluates the radius formulation's relaxed assignment level by
level. Neither shares code with the solver.
"""

from __future__ import annotations

import itertools
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bassplan.domain.errors import InputError
from bassplan.pmedian.cuts import build_profiles, group_cuts, point_values
from bassplan.pmedian.heuristic import greedy_add, vertex_substitution
from bassplan.pmedian.master import Master
from bassplan.pmedian.search import branch_and_cut, reduced_cost_fixing, solve_node_lp
from bassplan.pmedian.solve import assignment_cost, solve_pmedian

# 4 points × 3 sites, weights (1, 2, 1, 1) — the example in pmedian's docstring:
#   p = 1: {0}: 1·0 + 2·5 + 1·8 + 1·3 = 21, {1}: 1·4 + 2·2 + 1·5 + 1·6 = 19,
#          {2}: 1·9 + 2·6 + 1·1 + 1·8 = 30                      → {1}, 19
#   p = 2: {0,1}: 0 + 4 + 5 + 3 = 12, {0,2}: 0 + 10 + 1 + 3 = 14,
#          {1,2}: 4 + 4 + 1 + 6 = 15                             → {0,1}, 12
HAND_COST = np.array([[0, 4, 9], [5, 2, 6], [8, 5, 1], [3, 6, 8]], dtype=float)
HAND_WEIGHTS = np.array([1.0, 2.0, 1.0, 1.0])


def loop_cost(cost, weights, sites):
    """Σ_i w_i min_{j in sites} C_ij by plain loops."""
    total = 0.0
    for i in range(cost.shape[0]):
        total += weights[i] * min(cost[i, j] for j in sites)
    return total


def brute_force(cost, weights, p, fixed_open=(), fixed_closed=()):
    """The least cost over every admissible set of p sites."""
    best = np.inf
    for sites in itertools.combinations(range(cost.shape[1]), p):
        if set(fixed_open) <= set(sites) and not set(fixed_closed) & set(sites):
            best = min(best, loop_cost(cost, weights, sites))
    return best


def random_instance(seed, n=30, m=8, ties=False):
    rng = np.random.default_rng(seed)
    if ties:
        cost = rng.integers(0, 6, size=(n, m)).astype(float)  # many equal costs
    else:
        cost = rng.uniform(0.0, 60.0, size=(n, m))
    weights = rng.uniform(0.0, 10.0, n)
    weights[rng.random(n) < 0.25] = 0.0  # some points without demand
    return cost, weights


def check_solution(result, cost, weights, p, best, fixed_open=(), fixed_closed=()):
    assert result.status == "optimal"
    assert len(result.open_sites) == p
    assert list(result.open_sites) == sorted(set(result.open_sites))
    assert set(fixed_open) <= set(result.open_sites)
    assert not set(fixed_closed) & set(result.open_sites)
    assert result.objective == pytest.approx(best, rel=1e-9, abs=1e-9)
    # the chosen set and the assignment really cost that much
    assert loop_cost(cost, weights, result.open_sites) == pytest.approx(best, rel=1e-9, abs=1e-9)
    served = cost[np.arange(cost.shape[0]), result.assignment]
    assert set(result.assignment.tolist()) <= set(result.open_sites)
    assert np.allclose(served, cost[:, list(result.open_sites)].min(axis=1))
    assert result.lower_bound <= best * (1 + 1e-9) + 1e-9
    assert result.gap <= 1e-9


def test_hand_example():
    one = solve_pmedian(HAND_COST, HAND_WEIGHTS, 1)
    assert one.open_sites == (1,)
    assert one.objective == pytest.approx(19.0)
    two = solve_pmedian(HAND_COST, HAND_WEIGHTS, 2)
    assert two.open_sites == (0, 1)
    assert two.objective == pytest.approx(12.0)
    assert two.assignment.tolist() == [0, 1, 1, 0]
    assert two.status == "optimal"
    assert two.lower_bound == pytest.approx(12.0)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("p", [1, 2, 3, 4])
def test_matches_brute_force(seed, p):
    cost, weights = random_instance(seed, ties=seed % 2 == 1)
    result = solve_pmedian(cost, weights, p)
    check_solution(result, cost, weights, p, brute_force(cost, weights, p))


@pytest.mark.parametrize("seed", range(6))
def test_matches_brute_force_with_fixed_sites(seed):
    cost, weights = random_instance(100 + seed, ties=seed % 2 == 0)
    rng = np.random.default_rng(seed)
    order = rng.permutation(8)
    fixed_open, fixed_closed = sorted(order[:2].tolist()), sorted(order[2:4].tolist())
    for p in (2, 3, 4):
        result = solve_pmedian(cost, weights, p, fixed_open=fixed_open, fixed_closed=fixed_closed)
        best = brute_force(cost, weights, p, fixed_open, fixed_closed)
        check_solution(result, cost, weights, p, best, fixed_open, fixed_closed)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 25),
    m=st.integers(1, 7),
    p_share=st.floats(0.0, 1.0),
    ties=st.booleans(),
)
def test_matches_brute_force_property(seed, n, m, p_share, ties):
    cost, weights = random_instance(seed, n=n, m=m, ties=ties)
    p = 1 + round(p_share * (m - 1))
    result = solve_pmedian(cost, weights, p)
    check_solution(result, cost, weights, p, brute_force(cost, weights, p))


def test_tree_search_alone_finds_the_optimum():
    """Without the heuristics (greedy start only, incumbents only from integer LP
    solutions) the branch-and-cut tree has to find and prove the optimum itself."""
    nodes = 0
    for seed in range(8):
        rng = np.random.default_rng(seed)
        cost, weights = rng.uniform(0, 100, (40, 12)), rng.uniform(0, 10, 40)
        forced = np.zeros(12, dtype=bool)
        forced[seed % 12] = seed % 2 == 1
        for p in (3, 4, 5):
            outcome = branch_and_cut(
                cost, weights, p, forced, time.perf_counter() + 30.0, 0.0, heuristics=False
            )
            best = min(
                float(weights @ cost[:, list(sites)].min(axis=1))
                for sites in itertools.combinations(range(12), p)
                if forced[list(sites)].sum() == forced.sum()
            )
            assert outcome.upper == pytest.approx(best, rel=1e-9)
            assert outcome.lower <= best * (1 + 1e-9)
            assert outcome.lower >= best * (1 - 1e-9)
            assert forced[outcome.is_open].sum() == forced.sum()
            assert outcome.is_open.sum() == p
            nodes += outcome.nodes
    assert nodes > 40  # the tree was really used (24 roots)


def test_reduced_cost_fixing_is_safe():
    """Every site the root LP's reduced costs fix is checked by re-solving the LP with
    that site forced the other way: the bound must then reach the cutoff. The cutoff is
    set just above the root bound so that both kinds of fixing occur."""
    rng = np.random.default_rng(3)
    points, sites = rng.uniform(0, 10, (300, 2)), rng.uniform(0, 10, (20, 2))
    cost = np.linalg.norm(points[:, None] - sites[None], axis=2)
    weights = rng.lognormal(0.0, 1.0, 300)
    p, m = 4, 20
    profiles = build_profiles(cost, weights, depth=m - p + 1)
    master = Master(profiles.group_floor, p, m)
    start = np.zeros(m)
    start[:p] = 1.0
    master.add_cuts(group_cuts(profiles, start)[0])
    deadline = time.perf_counter() + 30.0
    master.set_box(np.zeros(m), np.ones(m))
    root, converged = solve_node_lp(master, profiles, np.inf, deadline)
    assert root is not None and converged
    cutoff = root.objective + 1.0
    shut, keep = reduced_cost_fixing(root.objective, root.reduced_cost, cutoff)
    assert shut.sum() >= 5  # the test is not vacuous
    assert keep.sum() >= 1
    assert not (shut & keep).any()
    forced_the_other_way = [(j, 1.0, 1.0) for j in np.flatnonzero(shut)]  # open it
    forced_the_other_way += [(j, 0.0, 0.0) for j in np.flatnonzero(keep)]  # close it
    for j, low, high in forced_the_other_way:
        lower, upper = np.zeros(m), np.ones(m)
        lower[j], upper[j] = low, high
        master.set_box(lower, upper)
        node, converged = solve_node_lp(master, profiles, np.inf, deadline)
        assert node is not None and converged
        assert node.objective >= cutoff * (1 - 1e-9)


def test_duplicate_points_merge_without_changing_the_optimum():
    cost, weights = random_instance(7, n=20, m=8)
    # split every point into two identical copies carrying a third and two thirds
    doubled = np.vstack([cost, cost])
    split = np.concatenate([weights / 3.0, weights * 2.0 / 3.0])
    once, twice = solve_pmedian(cost, weights, 3), solve_pmedian(doubled, split, 3)
    assert twice.objective == pytest.approx(once.objective, rel=1e-9)
    assert twice.points <= 20


def test_zero_weights_and_trivial_cases():
    cost, _ = random_instance(3)
    none = solve_pmedian(cost, np.zeros(30), 3, fixed_open=[5])
    assert none.objective == 0.0
    assert len(none.open_sites) == 3
    assert 5 in none.open_sites
    assert none.status == "optimal"
    weights = np.ones(30)
    every = solve_pmedian(cost, weights, 6, fixed_closed=[0, 7])
    assert every.open_sites == (1, 2, 3, 4, 5, 6)
    assert every.objective == pytest.approx(loop_cost(cost, weights, range(1, 7)))
    forced = solve_pmedian(cost, weights, 2, fixed_open=[4, 1])
    assert forced.open_sites == (1, 4)


def test_assignment_cost_matches_loop():
    cost, weights = random_instance(11)
    assert assignment_cost(cost, weights, [2, 5]) == pytest.approx(loop_cost(cost, weights, [2, 5]))
    assert assignment_cost(HAND_COST, HAND_WEIGHTS, (0, 1)) == pytest.approx(12.0)


def hard_instance():
    """Uniform random costs: no geometry, a 22 % LP gap, hundreds of branch-and-bound nodes.
    Its optimum, 20538.1915614, was found separately with HiGHS on the compact radius
    formulation (θ_i ≥ each distinct level's cut, all written out; 505 nodes, 124 s)."""
    rng = np.random.default_rng(0)
    return rng.uniform(0, 100, (300, 40)), rng.uniform(0, 10, 300)


def test_time_limit_returns_best_found_with_honest_bound():
    cost, weights = hard_instance()
    result = solve_pmedian(cost, weights, 5, time_limit=0.5)
    assert result.status == "time_limit"
    assert result.seconds < 30.0  # the limit is kept (a wide margin: not a speed test)
    assert len(result.open_sites) == 5
    assert result.objective == pytest.approx(loop_cost(cost, weights, result.open_sites))
    assert result.objective >= 20538.1915614 * (1 - 1e-9)
    assert result.lower_bound <= 20538.1915614 * (1 + 1e-9)
    assert result.gap == pytest.approx((result.objective - result.lower_bound) / result.objective)
    assert result.gap > 0.0


def test_gap_target_stops_early_with_bound_within_target():
    cost, weights = hard_instance()
    result = solve_pmedian(cost, weights, 5, gap=0.10, time_limit=30.0)
    assert result.status in ("gap_reached", "optimal")
    assert result.gap <= 0.10
    assert result.lower_bound <= 20538.1915614 * (1 + 1e-9)
    assert result.objective >= 20538.1915614 * (1 - 1e-9)


def radius_oracle(costs, y):
    """θ of one point in the relaxed radius formulation: D¹ + Σ_k (D^{k+1} − D^k) ·
    max(0, 1 − Σ_{j: C_j ≤ D^k} y_j), over the point's distinct cost levels D."""
    levels = sorted(set(costs.tolist()))
    theta = levels[0]
    for k in range(len(levels) - 1):
        reached = sum(y[j] for j in range(len(costs)) if costs[j] <= levels[k])
        theta += (levels[k + 1] - levels[k]) * max(0.0, 1.0 - reached)
    return theta


@pytest.mark.parametrize("seed", range(4))
def test_cut_values_match_radius_formulation(seed):
    cost, _ = random_instance(seed, n=25, m=8, ties=seed % 2 == 0)
    rng = np.random.default_rng(50 + seed)
    p = 3
    y = rng.random(8)
    y = np.minimum(y / y.sum() * p, 1.0)
    y[np.argmin(y)] += p - y.sum()  # Σ y = p, 0 ≤ y ≤ 1
    profiles = build_profiles(cost, np.ones(25), depth=8 - p + 1)
    values, _, _ = point_values(profiles, y)
    expected = [radius_oracle(cost[i], y) for i in range(25)]
    assert np.allclose(values, expected)


@pytest.mark.parametrize("seed", range(4))
def test_group_cuts_are_exact_at_integer_points_and_valid_elsewhere(seed):
    cost, weights = random_instance(seed, n=30, m=8)
    p = 3
    profiles = build_profiles(cost, weights, depth=8 - p + 1)
    rng = np.random.default_rng(seed)
    at = np.zeros(8)
    at[rng.choice(8, p, replace=False)] = 1.0
    cuts, values = group_cuts(profiles, at)
    # exact where generated: group values sum to the set's cost
    assert values.sum() == pytest.approx(loop_cost(cost, weights, np.flatnonzero(at)))
    # valid everywhere: no set of p sites costs less than a cut says
    dense = np.zeros((cuts.count, 8))
    for r in range(cuts.count):
        span = slice(cuts.start[r], cuts.start[r + 1])
        dense[r, cuts.site[span]] = cuts.coef[span]
    for sites in itertools.combinations(range(8), p):
        y = np.zeros(8)
        y[list(sites)] = 1.0
        group_cost = np.zeros(profiles.groups)
        for i in range(30):
            group_cost[profiles.group[i]] += weights[i] * cost[i, list(sites)].min()
        assert np.all(group_cost[cuts.group] >= cuts.level - dense @ y - 1e-9)


def test_vertex_substitution_ends_at_a_swap_local_optimum():
    cost, weights = random_instance(21, n=40, m=10)
    locked = np.zeros(10, dtype=bool)
    locked[3] = True
    allowed = np.ones(10, dtype=bool)
    start = greedy_add(cost, weights, 4, locked, allowed)
    assert start[3]
    assert start.sum() == 4
    final = vertex_substitution(cost, weights, start, locked, allowed)
    assert final[3]
    value = loop_cost(cost, weights, np.flatnonzero(final))
    for out in np.flatnonzero(final & ~locked):
        for into in np.flatnonzero(~final):
            swapped = final.copy()
            swapped[out], swapped[into] = False, True
            assert loop_cost(cost, weights, np.flatnonzero(swapped)) >= value - 1e-9


@pytest.mark.parametrize(
    ("kwargs", "field", "rule"),
    [
        ({"p": 0}, "p", "must be at least 1"),
        ({"p": 9}, "p", "must be at most the number of sites (8)"),
        ({"p": 1, "fixed_open": [0, 1]}, "p", "at least the number of fixed open sites (2)"),
        ({"p": 7, "fixed_closed": [0, 1]}, "p", "at most the sites not fixed closed (6)"),
        ({"weights": np.ones(29)}, "weights", "one value per row of cost (30)"),
        ({"weights": -np.ones(30)}, "weights", "must be finite and ≥ 0"),
        ({"cost_nan": True}, "cost", "must be finite (no NaN or infinity)"),
        ({"cost": -np.ones((30, 8))}, "cost", "must be ≥ 0"),
        ({"cost": np.ones(8)}, "cost", "must be a 2-D matrix"),
        ({"fixed_open": [8]}, "fixed_open", "site indices must lie in 0..7"),
        ({"fixed_open": [1], "fixed_closed": [1]}, "fixed_open", "both fixed open and closed"),
        ({"time_limit": 0.0}, "time_limit", "must be a positive number of seconds"),
        ({"gap": -0.1}, "gap", "must lie in [0, 1)"),
    ],
)
def test_bad_input_names_the_rule(kwargs, field, rule):
    cost, weights = random_instance(0)
    args = {"cost": cost, "weights": weights, "p": 3} | kwargs
    if args.pop("cost_nan", False):
        args["cost"] = cost.copy()
        args["cost"][4, 2] = np.nan
    with pytest.raises(InputError) as error:
        solve_pmedian(args.pop("cost"), args.pop("weights"), args.pop("p"), **args)
    assert error.value.source == "p-median request"
    assert error.value.field == field
    assert rule in error.value.rule
    assert "\n" not in str(error.value)


def test_assignment_cost_rejects_an_empty_set():
    cost, weights = random_instance(0)
    with pytest.raises(InputError, match="at least one site"):
        assignment_cost(cost, weights, [])
