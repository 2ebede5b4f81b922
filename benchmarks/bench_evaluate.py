"""Benchmark: evaluate scenarios on the bundled region and on a synthetic 20,000 × 100 region.

Runs side by side with the `access` package's 2SFCA on the same inputs and prints wall
time, peak memory and the ratio. Targets (issue 2): bundled region < 0.2 s per
evaluation of all seven specialties; 20,000 × 100 < 2 s and < 1 GB.
Run: .venv/bin/python benchmarks/bench_evaluate.py [--quick]
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from bassplan.data import load_region, load_scenario
from bassplan.data.indicators import load_indicators
from bassplan.domain import Region
from bassplan.evaluate import evaluate
from bassplan.scenario import Scenario
from bassplan.scorecard import score
from bassplan.synthetic import synthetic_region

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Return (best seconds per call, peak traced MB of one call)."""
    fn()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak / 2**20


def bench_bundled(repeat: int) -> list[tuple[str, float, float]]:
    region = load_region()
    indicators = load_indicators()
    rows = []
    for name in ("baseline.yaml", "bass_2030.yaml"):
        scenario = load_scenario(EXAMPLES / name, region)
        t, mb = timed(lambda s=scenario: evaluate(region, s), repeat)
        rows.append((f"bundled region, {name}: evaluate", t, mb))
        ev = evaluate(region, scenario)
        t, mb = timed(lambda e=ev: score(e, indicators), repeat)
        rows.append((f"bundled region, {name}: scorecard", t, mb))
    return rows


def bench_synthetic(base: Region, n_areas: int, n_sites: int, repeat: int) -> list[
        tuple[str, float, float]]:
    region = synthetic_region(base, n_areas, n_sites, seed=1)
    acute = [s.id for s in region.sites if s.acute][:3]
    scenario = Scenario(
        name="synthetic",
        year=2027,
        strength_positions={spec.id: acute for spec in region.specialties},
        digital_share={"default": {"follow_up": 0.25}},  # type: ignore[dict-item]
        pool_staff="region",
    )
    t, mb = timed(lambda: evaluate(region, scenario), repeat)
    return [(f"synthetic {n_areas} × {n_sites}: evaluate (7 specialties)", t, mb)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 10
    rows = bench_bundled(repeat)
    rows += bench_synthetic(load_region(), 20_000, 100, max(1, repeat // 3))
    print(f"{'case':62s} {'seconds':>9s} {'peak MB':>9s}")
    for name, t, mb in rows:
        print(f"{name:62s} {t:9.4f} {mb:9.1f}")
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
