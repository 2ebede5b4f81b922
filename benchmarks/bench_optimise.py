"""Benchmark: the strength-position MILP on the bundled regions, one specialty and all seven
jointly (targets: Region Sjælland's seven in < 10 s; Region Østdanmark's seven, 46
municipalities, proven optimal or within 0.5 % in < 30 s on 2 cores, issue 14), and the
pure-access case on Østdanmark by the p-median engine beside the general MILP. The
p-median engine against spopt is benchmarks/bench_pmedian.py.
Run: .venv/bin/python benchmarks/bench_optimise.py
"""

from __future__ import annotations

import time
from pathlib import Path

from bassplan.data import load_region, load_scenario
from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import build_model, build_request, optimise
from bassplan.optimise._blocks import split_blocks
from bassplan.pmedian import solve_pmedian

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
TARGET_S = {"sjaelland": 10.0, "oestdanmark": 30.0}
TARGET_GAP = 0.005


def milp_cases() -> None:
    """Each example: wall and CPU seconds (all threads; the machine may be shared), status,
    gap, objective and the model's size."""
    cases = [
        ("sjaelland", "optimer_kardiologi.yaml", ["kardiologi"]),
        ("sjaelland", "optimer_alle.yaml", None),
        ("oestdanmark", "oestdanmark/optimer_alle.yaml", None),
    ]
    print(f"{'case':<56} {'rows×cols':>12} {'blocks':>6} {'wall s':>7} {'cpu s':>6} {'status':>10} "
          f"{'gap':>8} {'objective':>12} {'target':>7}")
    for region_id, name, specialties in cases:
        region = load_region(region_id)
        scenario = load_scenario(EXAMPLES / name, region)
        model = build_model(build_request(region, scenario, specialties))
        blocks = len(split_blocks(model.matrix, model.col_specialty))
        start, cpu = time.perf_counter(), time.process_time()
        plan = optimise(region, scenario, specialties)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        met = wall < TARGET_S[region_id] and plan.mip_gap <= TARGET_GAP
        label = f"{region_id}: {name} ({'all seven' if specialties is None else specialties[0]})"
        size = f"{model.matrix.shape[0]}×{model.matrix.shape[1]}"
        print(f"{label:<56} {size:>12} {blocks:>6} {wall:>7.2f} {cpu:>6.2f} {plan.status:>10} "
              f"{plan.mip_gap:>8.1e} {plan.objective:>12,.0f} {'OK' if met else 'OVER':>7}")


def pure_access(p: int = 4) -> None:
    """Østdanmark, cardiology, access only: the p-median engine and the MILP agree."""
    region = load_region("oestdanmark")
    scenario = Scenario(
        name="pure access", year=2027, consult_reach_minutes=10_000,
        optimisation=OptimisationSettings(
            allow_cross_organisation=True, max_outreach_days=0, min_strength_positions=p,
            max_strength_positions=p,
            weights={"patient_hours": 1.0, "staff_hours": 0.0, "cost_dkk": 0.0}),
    )
    req = build_request(region, scenario, ["kardiologi"])
    weights = req.in_person[0] * 2.0 / 60.0
    cand = req.candidates[0]
    start = time.perf_counter()
    engine = solve_pmedian(req.minutes[:, cand], weights, p)
    engine_s = time.perf_counter() - start
    start = time.perf_counter()
    plan = optimise(region, scenario, ["kardiologi"])
    milp_s = time.perf_counter() - start
    admissions = float((req.admissions[0] * req.admit_minutes).sum() * 2.0 / 60.0)
    print(f"pure access, Østdanmark kardiologi, p={p} ({req.residents.size} areas × "
          f"{int(cand.sum())} sites): p-median engine {engine_s * 1e3:.1f} ms "
          f"({engine.status}, {engine.objective:,.1f} patient hours), MILP {milp_s:.2f} s "
          f"({plan.status}, {plan.patient_hours - admissions:,.1f})")


def main() -> None:
    milp_cases()
    pure_access()


if __name__ == "__main__":
    main()
