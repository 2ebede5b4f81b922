"""Time bassplan's exact p-median against PySAL spopt's PMedian on the same instances.

Run: ``python benchmarks/bench_pmedian.py [--sizes 500x20,5000x50,20000x100]
[--p 5] [--spopt-limit SECONDS] [--spopt-max-points N]``.

Instances are region-shaped and seeded: demand points and candidate sites scattered over
a Zealand-sized 130 × 150 km box, weights lognormal like municipal or grid-cell
populations, cost = road minutes = euclidean km × 1.3 (detour) / 70 km/h × 60.

Each solver runs in its own subprocess so that its peak memory is measured cleanly:
``rss`` is the process's peak resident set during the solve less what it held before
(Linux VmHWM after a clear_refs reset), which counts HiGHS's C++ memory too; for bassplan the
Python-heap peak under tracemalloc is shown as well (a separate run, untimed). bassplan's
time is the best of three runs. spopt builds the textbook assignment model
(``PMedian.from_cost_matrix``) and solves it with HiGHS through PuLP at PuLP's defaults
(HiGHS's default relative MIP gap is 1e-4), capped at ``--spopt-limit`` seconds;
instances with more than ``--spopt-max-points`` demand points skip spopt.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

import numpy as np

SEED = 2024
HEADER = (
    f"{'instance':>12} {'solver':>8} {'seconds':>9} {'rss MB':>8} {'heap MB':>8} "
    f"{'objective':>17} {'status':>12} {'gap':>9} {'nodes':>5} {'cuts':>6}"
)


def instance(n_points: int, n_sites: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Road minutes (n, m) and lognormal weights (n,) over a 130 × 150 km box."""
    rng = np.random.default_rng(seed)
    points = rng.uniform([0.0, 0.0], [130.0, 150.0], size=(n_points, 2))
    sites = rng.uniform([0.0, 0.0], [130.0, 150.0], size=(n_sites, 2))
    km = np.linalg.norm(points[:, None, :] - sites[None, :, :], axis=2) * 1.3
    minutes = km / 70.0 * 60.0
    weights = rng.lognormal(mean=6.0, sigma=1.2, size=n_points)
    return minutes, weights


def _status_mb(key: str) -> float | None:
    """A memory line of /proc/self/status (Linux) in MB, or None elsewhere."""
    try:
        text = Path("/proc/self/status").read_text()
    except OSError:
        return None
    for row in text.splitlines():
        if row.startswith(key + ":"):
            return float(row.split()[1]) / 1024.0  # kB
    return None


def start_peak() -> float:
    """Reset the peak resident set (Linux: clear_refs 5) and return the current one, MB."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    now = _status_mb("VmRSS")
    return now if now is not None else peak_rss_mb()


def peak_rss_mb() -> float:
    """This process's peak resident set since ``start_peak``, in MB."""
    hwm = _status_mb("VmHWM")
    if hwm is not None:
        return hwm
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KB on Linux


def run_ours(cost: np.ndarray, weights: np.ndarray, p: int) -> dict[str, object]:
    from bassplan.pmedian.solve import solve_pmedian

    solve_pmedian(cost[:50], weights[:50], min(p, cost.shape[1]))  # load HiGHS, warm caches
    base = start_peak()
    times = []
    for _ in range(3):
        started = time.perf_counter()
        result = solve_pmedian(cost, weights, p, time_limit=600.0)
        times.append(time.perf_counter() - started)
    rss = peak_rss_mb() - base
    tracemalloc.start()
    solve_pmedian(cost, weights, p, time_limit=600.0)
    heap = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {
        "seconds": min(times),
        "rss_mb": rss,
        "heap_mb": heap,
        "objective": result.objective,
        "status": result.status,
        "gap": result.gap,
        "nodes": result.nodes,
        "cuts": result.cuts,
        "open_sites": list(result.open_sites),
    }


def run_spopt(cost: np.ndarray, weights: np.ndarray, p: int, limit: float) -> dict[str, object]:
    warnings.simplefilter("ignore", DeprecationWarning)  # PuLP 3.x on spopt's variable style
    import pulp
    from spopt.locate import PMedian

    base = start_peak()
    started = time.perf_counter()
    model = PMedian.from_cost_matrix(cost, weights, p_facilities=p)
    try:
        model = model.solve(pulp.HiGHS(msg=False, timeLimit=limit))
        status = "optimal"
    except RuntimeError as error:  # spopt raises when PuLP reports no optimal solution
        status = f"stopped ({error})"[:40]
    seconds = time.perf_counter() - started
    objective = model.problem.objective.value()
    chosen = [j for j, y in enumerate(model.fac_vars) if (y.value() or 0.0) > 0.5]
    return {
        "seconds": seconds,
        "rss_mb": peak_rss_mb() - base,
        "heap_mb": float("nan"),
        "objective": float(objective) if objective is not None else float("nan"),
        "status": status,
        "gap": float("nan"),
        "nodes": 0,
        "cuts": 0,
        "open_sites": chosen,
    }


def worker(args: argparse.Namespace) -> None:
    """Solve one instance with one solver and print the measurements as one JSON line."""
    n, m = (int(v) for v in args.size.split("x"))
    cost, weights = instance(n, m, SEED + n + m)
    if args.worker == "ours":
        out = run_ours(cost, weights, args.p)
    else:
        out = run_spopt(cost, weights, args.p, args.spopt_limit)
    print(json.dumps(out))


def in_subprocess(solver: str, size: str, p: int, limit: float) -> dict[str, object] | None:
    """Run ``worker`` in a fresh interpreter; None if it failed or ran out of time."""
    command = [
        sys.executable, str(Path(__file__).resolve()), "--worker", solver, "--size", size,
        "--p", str(p), "--spopt-limit", str(limit),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=limit + 600.0, check=False
        )
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        print(done.stderr.strip().splitlines()[-1] if done.stderr else "failed", file=sys.stderr)
        return None
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def line(size: str, solver: str, r: dict[str, object]) -> str:
    return (
        f"{size:>12} {solver:>8} {r['seconds']:>9.3f} {r['rss_mb']:>8.1f} {r['heap_mb']:>8.1f} "
        f"{r['objective']:>17.3f} {r['status']!s:>12} {r['gap']:>9.2e} {r['nodes']!s:>5} "
        f"{r['cuts']!s:>6}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500x20,5000x50,20000x100")
    parser.add_argument("--p", type=int, default=5)
    parser.add_argument("--spopt-limit", type=float, default=900.0)
    parser.add_argument("--spopt-max-points", type=int, default=5000)
    parser.add_argument("--worker", choices=["ours", "spopt"], help=argparse.SUPPRESS)
    parser.add_argument("--size", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args)
        return

    print(f"p = {args.p}; spopt capped at {args.spopt_limit:.0f} s, "
          f"skipped above {args.spopt_max_points} points")
    print(HEADER)
    for size in args.sizes.split(","):
        ours = in_subprocess("ours", size, args.p, args.spopt_limit)
        if ours is None:
            print(f"{size:>12} {'bassplan':>8} failed")
            continue
        print(line(size, "bassplan", ours), flush=True)
        if int(size.split("x")[0]) > args.spopt_max_points:
            print(f"{size:>12} {'spopt':>8} skipped (--spopt-max-points)", flush=True)
            continue
        peer = in_subprocess("spopt", size, args.p, args.spopt_limit)
        if peer is None:
            print(f"{size:>12} {'spopt':>8} no answer within {args.spopt_limit:.0f} s + build")
            continue
        print(line(size, "spopt", peer))
        ratio = float(peer["seconds"]) / float(ours["seconds"])  # type: ignore[arg-type]
        ref = float(peer["objective"])  # type: ignore[arg-type]
        agree = abs(float(ours["objective"]) - ref) / abs(ref)  # type: ignore[arg-type]
        same = sorted(ours["open_sites"]) == sorted(peer["open_sites"])  # type: ignore[type-var]
        print(
            f"{size:>12}   speed-up ×{ratio:,.0f}; objectives differ by {agree:.1e} "
            f"(relative, {'agree' if agree <= 1e-6 else 'DISAGREE'} at 1e-6); "
            f"same open sites: {same}",
            flush=True,
        )


if __name__ == "__main__":
    main()
