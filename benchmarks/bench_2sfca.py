"""Time bassplan's 2SFCA against PySAL ``access`` on the same inputs.

Run: ``python benchmarks/bench_2sfca.py``. Two seeded instances: (a) region-like, 17
areas × 11 sites (Region Sjælland's municipalities and hospitals in count and spread),
(b) synthetic, 20,000 areas × 100 sites. Both methods get their native input: bassplan
an (A, J) minutes matrix, access the long origin/dest/cost table it reads (built once,
outside the timing). Wall time is the best of several runs; peak memory is measured
in a separate run under tracemalloc. access returns FTE per resident with NaN for areas
that reach no site; it is scaled by 100,000 and NaN read as 0 before comparing.
"""

from __future__ import annotations

import time
import tracemalloc
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from access import Access

from bassplan.model.access import PER_RESIDENTS, two_step_fca

CATCHMENT_MINUTES = 45.0


@dataclass(frozen=True)
class Instance:
    """One 2SFCA problem: supply FTE (J,), residents (A,), minutes (A, J)."""

    name: str
    supply: np.ndarray
    residents: np.ndarray
    minutes: np.ndarray


def synthetic(name: str, n_areas: int, n_sites: int, seed: int, mean_residents: float) -> Instance:
    """Areas and sites scattered over a 130 × 150 km box, driven at 70 km/h with a
    road detour of 1.3; residents (mean ``mean_residents``) and FTE drawn at random."""
    rng = np.random.default_rng(seed)
    areas = rng.uniform([0, 0], [130, 150], size=(n_areas, 2))
    sites = rng.uniform([0, 0], [130, 150], size=(n_sites, 2))
    km = np.linalg.norm(areas[:, None, :] - sites[None, :, :], axis=2) * 1.3
    minutes = km / 70.0 * 60.0
    residents = rng.uniform(0.2, 1.8, n_areas) * mean_residents
    supply = rng.uniform(1.0, 12.0, n_sites).round(1)
    return Instance(name, supply, residents, minutes)


def peer_inputs(instance: Instance) -> dict[str, object]:
    """The keyword arguments of ``access.Access`` for this instance."""
    n_areas, n_sites = instance.minutes.shape
    area_ids = np.array([f"a{a}" for a in range(n_areas)])
    site_ids = np.array([f"s{j}" for j in range(n_sites)])
    costs = pd.DataFrame(
        {
            "origin": np.repeat(area_ids, n_sites),
            "dest": np.tile(site_ids, n_areas),
            "minutes": instance.minutes.ravel(),
        }
    )
    return {
        "demand_df": pd.DataFrame({"geoid": area_ids, "pop": instance.residents}),
        "demand_index": "geoid",
        "demand_value": "pop",
        "supply_df": pd.DataFrame({"site": site_ids, "fte": instance.supply}),
        "supply_index": "site",
        "supply_value": "fte",
        "cost_df": costs,
        "cost_origin": "origin",
        "cost_dest": "dest",
        "cost_name": "minutes",
    }


def run_peer(inputs: dict[str, object], n_areas: int) -> np.ndarray:
    """access's 2SFCA per 100,000 residents, in area order."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        result = Access(**inputs).two_stage_fca(name="fca", max_cost=CATCHMENT_MINUTES)
    values = result["fca_fte"].reindex([f"a{a}" for a in range(n_areas)])
    return values.fillna(0.0).to_numpy() * PER_RESIDENTS


def best_time(run: Callable[[], object], repeats: int) -> float:
    """Best wall time of ``repeats`` runs, in seconds."""
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return float(best)


def peak_mb(run: Callable[[], object]) -> float:
    """Peak traced memory of one run, in MB."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def bench(instance: Instance, repeats_ours: int, repeats_peer: int) -> list[str]:
    """Time, measure and compare both methods on one instance; return table rows."""
    n_areas, n_sites = instance.minutes.shape
    inputs = peer_inputs(instance)

    def ours() -> np.ndarray:
        return two_step_fca(
            instance.supply, instance.residents, instance.minutes, CATCHMENT_MINUTES
        )

    def peer() -> np.ndarray:
        return run_peer(inputs, n_areas)

    ours_values, peer_values = ours(), peer()
    scale = np.maximum(np.abs(peer_values), np.finfo(float).tiny)
    max_rel = float(np.max(np.abs(ours_values - peer_values) / scale))
    t_ours, t_peer = best_time(ours, repeats_ours), best_time(peer, repeats_peer)
    m_ours, m_peer = peak_mb(ours), peak_mb(peer)
    size = f"{instance.name} ({n_areas:,} × {n_sites})"
    return [
        f"{size:<32} {'bassplan':<9} {t_ours * 1e3:>10.3f} {m_ours:>9.3f} "
        f"{t_peer / t_ours:>8.0f}× {max_rel:>10.1e}",
        f"{'':<32} {'access':<9} {t_peer * 1e3:>10.3f} {m_peer:>9.3f} {'':>9} {'':>10}",
    ]


def main() -> None:
    """Print the benchmark table."""
    instances = [
        (synthetic("(a) region-like", 17, 11, seed=2021, mean_residents=50_000), 200, 20),
        (synthetic("(b) synthetic", 20_000, 100, seed=2024, mean_residents=1_000), 10, 2),
    ]
    print(
        f"{'instance (areas × sites)':<32} {'method':<9} {'wall ms':>10} {'peak MB':>9} "
        f"{'speed-up':>9} {'max rel Δ':>10}"
    )
    for instance, repeats_ours, repeats_peer in instances:
        for row in bench(instance, repeats_ours, repeats_peer):
            print(row)
    print(f"catchment {CATCHMENT_MINUTES:g} min; wall = best of repeats; peak = tracemalloc")


if __name__ == "__main__":
    main()
