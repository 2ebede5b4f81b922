"""Benchmark: evaluate every Østdanmark example (all seven specialties, 46 municipalities ×
23 sites, Bornholm's ferries in the travel model) and score it.

Target (issue 14): one evaluation of all seven specialties < 50 ms.
Run: .venv/bin/python benchmarks/bench_oestdanmark.py [--quick]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.model.travel import travel_matrix
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.score import score

EXAMPLES = Path(__file__).resolve().parent.parent / "examples" / "oestdanmark"
TARGET_MS = 50.0


def best_ms(work: Callable[[], object], repeat: int) -> float:
    """The fastest of ``repeat`` runs of ``work()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 20
    region = load_region("oestdanmark")
    indicators = load_indicators()
    print(f"Region Østdanmark: {len(region.areas)} areas × {len(region.sites)} sites × "
          f"{len(region.specialties)} specialties")
    print(f"{'case':<44} {'evaluate ms':>12} {'+ score ms':>11}")
    print(f"{'travel matrix with ferries':<44} "
          f"{best_ms(lambda: travel_matrix(region), repeat):>12.2f}")
    worst = 0.0
    for path in sorted(EXAMPLES.glob("*.yaml")):
        scenario = load_scenario(path, region)
        ms = best_ms(lambda s=scenario: evaluate(region, s), repeat)
        both = best_ms(lambda s=scenario: score(evaluate(region, s), indicators), repeat)
        worst = max(worst, ms)
        print(f"{path.name:<44} {ms:>12.2f} {both:>11.2f}")
    verdict = "OK" if worst < TARGET_MS else "OVER"
    print(f"slowest evaluation {worst:.2f} ms against the {TARGET_MS:g} ms target: {verdict}")


if __name__ == "__main__":
    main()
