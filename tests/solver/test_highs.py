"""HiGHS models that live beside other HiGHS users in one process, and print nothing.

Each check runs in a fresh Python process, because the two faults it guards against are
per process: HiGHS sizes one task scheduler by the first model that runs, and prints its
banner at the first construction. The expected optimum is brute force over all subsets.
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

# The reproduction: 30 points × 8 sites, p = 3, from seed 1.
INSTANCE = "rng = np.random.default_rng(1); C = rng.random((30, 8)) * 60; w = rng.random(30)"


SOLVE = f"""
        from bassplan.pmedian.solve import solve_pmedian
        {INSTANCE}
        solve_pmedian(C, w, 3)
"""


def brute_force_optimum() -> tuple[tuple[int, ...], float]:
    rng = np.random.default_rng(1)
    cost = rng.random((30, 8)) * 60
    weights = rng.random(30)
    best = min(
        itertools.combinations(range(8), 3),
        key=lambda s: float(weights @ cost[:, list(s)].min(axis=1)),
    )
    return best, float(weights @ cost[:, list(best)].min(axis=1))


FIRST_MODELS = {
    "nothing": "",
    "pulp": """
        import pulp
        prob = pulp.LpProblem("x", pulp.LpMinimize); x = pulp.LpVariable("x", 0, 1)
        prob += x; prob += x >= 0.5
        prob.solve(pulp.HiGHS(msg=False))
    """,
    "highspy": """
        import highspy
        h = highspy.Highs(); h.setOptionValue("output_flag", False)
        h.addVar(0.0, 1.0); h.changeColCost(0, 1.0); h.run()
    """,
    "highspy, two threads": """
        import highspy
        h = highspy.Highs(); h.setOptionValue("output_flag", False)
        h.setOptionValue("threads", 2)
        h.addVar(0.0, 1.0); h.changeColCost(0, 1.0); h.run()
    """,
}


def run_script(first: str, then: str) -> subprocess.CompletedProcess[str]:
    """Run ``first`` (another model), print a marker, then ``then``, in a new process."""
    script = "\n".join([
        "import numpy as np, sys, json",
        textwrap.dedent(first),
        "print('--- ours ---', flush=True)",
        textwrap.dedent(then),
    ])
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False)


@pytest.mark.parametrize("first", sorted(FIRST_MODELS))
def test_pmedian_engine_after_another_highs_model(first: str) -> None:
    then = f"""
        from bassplan.pmedian.solve import solve_pmedian
        {INSTANCE}
        r = solve_pmedian(C, w, 3)
        sys.stderr.write(json.dumps([r.status, list(r.open_sites), r.objective]))
    """
    done = run_script(FIRST_MODELS[first], then)
    assert done.returncode == 0, done.stderr
    status, sites, objective = json.loads(done.stderr.strip().splitlines()[-1])
    best, best_cost = brute_force_optimum()
    assert status == "optimal"
    assert tuple(sites) == best
    assert objective == pytest.approx(best_cost, rel=1e-9)
    # nothing of ours on stdout: no banner, no log
    assert done.stdout.split("--- ours ---\n", 1)[1] == ""


def test_optimiser_after_pulp_prints_nothing() -> None:
    then = """
        from bassplan.solver.highs import new_highs
        from bassplan.optimise._highs import run_arrays
        from bassplan.optimise.model import Objective
        from scipy import sparse
        # min x0 + 2 x1  s.t.  x0 + x1 >= 1, x binary → x = (1, 0), objective 1
        m = sparse.csc_array(np.array([[1.0, 1.0]]))
        s = run_arrays(m, np.array([1.0]), np.array([np.inf]), np.zeros(2), np.ones(2),
                       np.ones(2, dtype=bool), Objective(np.array([1.0, 2.0]), 0.0),
                       time_limit=10.0, gap=0.0)
        sys.stderr.write(json.dumps([s.status, s.objective]))
    """
    done = run_script(FIRST_MODELS["pulp"], then)
    assert done.returncode == 0, done.stderr
    status, objective = json.loads(done.stderr.strip().splitlines()[-1])
    assert (status, objective) == ("optimal", 1.0)
    assert done.stdout.split("--- ours ---\n", 1)[1] == ""


def test_first_model_of_the_process_prints_no_banner() -> None:
    done = run_script("", SOLVE)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "--- ours ---\n"


def test_verbose_sends_the_solver_log_to_the_logger() -> None:
    done = run_script("", """
        import logging
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, format="%(name)s|%(message)s")
    """ + SOLVE)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "--- ours ---\n"
    solver_lines = [ln for ln in done.stderr.splitlines()
                    if ln.startswith("bassplan.solver.highs|")]
    assert any("LP has" in ln or "Solving" in ln or "Objective" in ln for ln in solver_lines)
