"""Benchmark: the strength-position MILP on the bundled region, one specialty and all seven
jointly (target: all seven in < 10 s). The p-median engine against spopt is
benchmarks/bench_pmedian.py.
Run: .venv/bin/python benchmarks/bench_optimise.py
"""

from __future__ import annotations

import time
from pathlib import Path

from bassplan.data import load_region, load_scenario
from bassplan.optimise import optimise

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    region = load_region()
    cases = [
        ("optimer_kardiologi.yaml", ["kardiologi"]),
        ("optimer_alle.yaml", None),
    ]
    print(f"{'case':<44} {'wall s':>8} {'status':>10} {'gap':>8} {'objective':>14}")
    for name, specialties in cases:
        scenario = load_scenario(EXAMPLES / name, region)
        start = time.perf_counter()
        plan = optimise(region, scenario, specialties)
        wall = time.perf_counter() - start
        label = f"{name} ({'all seven' if specialties is None else specialties[0]})"
        print(f"{label:<44} {wall:>8.2f} {plan.status:>10} {plan.mip_gap:>8.1e} "
              f"{plan.objective:>14,.0f}")


if __name__ == "__main__":
    main()
