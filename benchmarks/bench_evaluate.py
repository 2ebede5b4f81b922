"""Benchmark: evaluate scenarios on the bundled region and on a synthetic 20,000 × 100 region,
each with its 2SFCA side by side with the `access` package on the evaluation's own inputs.

Targets (issue 2): bundled region < 0.2 s per evaluation of all seven specialties;
20,000 × 100 < 2 s and < 1 GB; 2SFCA ≥ 20× faster than `access` with equal results.
Run: .venv/bin/python benchmarks/bench_evaluate.py [--quick]
"""

from __future__ import annotations

import argparse
import resource
from pathlib import Path

from bassplan.data import load_region, load_scenario
from bassplan.data.synthetic import synthetic_region
from bassplan.domain.region import Region
from bassplan.domain.results import Evaluation
from bassplan.domain.scenario import Scenario
from bassplan.model.evaluate import evaluate, supply_fte
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.score import score
from bench_2sfca import CATCHMENT_MINUTES, Instance, bench, best_time, peak_mb

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def fca_instance(name: str, evaluation: Evaluation, specialty: int = 0) -> Instance:
    """The 2SFCA inputs one evaluation uses for one specialty."""
    return Instance(
        name,
        supply_fte(evaluation.plan)[specialty],
        evaluation.residents,
        evaluation.travel_minutes,
    )


def row(name: str, seconds: float, mb: float) -> str:
    return f"{name:<58} {seconds * 1e3:>10.2f} {mb:>9.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    repeat = 3 if args.quick else 20
    region = load_region()
    indicators = load_indicators()
    print(f"{'case':<58} {'wall ms':>10} {'peak MB':>9}")
    fca: list[Instance] = []
    for name in ("baseline.yaml", "bass_2030.yaml"):
        scenario = load_scenario(EXAMPLES / name, region)
        ev = evaluate(region, scenario)
        run = lambda s=scenario: evaluate(region, s)  # noqa: E731
        print(row(f"bundled region, {name}: evaluate 7 specialties", best_time(run, repeat),
                  peak_mb(run)))
        run = lambda e=ev: score(e, indicators)  # noqa: E731
        print(row(f"bundled region, {name}: scorecard", best_time(run, repeat), peak_mb(run)))
        fca.append(fca_instance(f"bundled {name[:-5]}", ev))

    big: Region = synthetic_region(region, 20_000, 100, seed=1)
    acute = [s.id for s in big.sites if s.acute][:3]
    scenario = Scenario(
        name="synthetic",
        year=2027,
        strength_positions={spec.id: acute for spec in big.specialties},
        digital_share={"default": {"follow_up": 0.25}},  # type: ignore[dict-item]
        pool_staff="region",
    )
    run = lambda: evaluate(big, scenario)  # noqa: E731
    print(row("synthetic 20,000 × 100: evaluate 7 specialties", best_time(run, max(1, repeat // 4)),
              peak_mb(run)))
    fca.append(fca_instance("synthetic", evaluate(big, scenario)))

    print()
    print(f"2SFCA on the evaluations' inputs (catchment {CATCHMENT_MINUTES:g} min)")
    print(f"{'instance (areas × sites)':<32} {'method':<9} {'wall ms':>10} {'peak MB':>9} "
          f"{'speed-up':>9} {'max rel Δ':>10}")
    for instance in fca:
        small = instance.minutes.shape[0] < 1000
        for line in bench(instance, 200 if small else 10, 20 if small else 2):
            print(line)
    print(f"process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
