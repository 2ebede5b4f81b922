"""2SFCA checked against PySAL ``access`` (1.1.x) on the same inputs.

What ``access.Access.two_stage_fca(max_cost=d0)`` computes (read from access/fca.py):
- the catchment is inclusive: pairs with ``cost <= max_cost`` are kept;
- unweighted (no ``weight_fn``) and not normalised (``normalize=False``): the raw
  ratio Σ_j S_j / D_j in supply units per demand unit, here FTE per resident, so
  bassplan's per-100,000 value is access's value × 100,000;
- a site with no demand in reach drops out (adds 0), as in bassplan;
- an area with no site in reach gets no row (NaN after the join); bassplan gives 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bassplan.model.access import PER_RESIDENTS, two_step_fca, two_step_fca_rows

access = pytest.importorskip("access")

CATCHMENT = 45.0


def long_costs(minutes: np.ndarray, area_ids: list[str], site_ids: list[str]) -> pd.DataFrame:
    """The area × site matrix as the origin/dest/cost rows access reads."""
    n_areas, n_sites = minutes.shape
    return pd.DataFrame(
        {
            "origin": np.repeat(area_ids, n_sites),
            "dest": np.tile(site_ids, n_areas),
            "minutes": minutes.ravel(),
        }
    )


def peer_2sfca(supply: np.ndarray, residents: np.ndarray, minutes: np.ndarray) -> np.ndarray:
    """access's 2SFCA, one column per supply row, as an (R, A) array per 100,000."""
    supply_rows = np.atleast_2d(supply)
    n_areas, n_sites = minutes.shape
    area_ids = [f"a{a}" for a in range(n_areas)]
    site_ids = [f"s{j}" for j in range(n_sites)]
    columns = [f"fte{r}" for r in range(supply_rows.shape[0])]
    supply_df = pd.DataFrame({"site": site_ids, **dict(zip(columns, supply_rows, strict=True))})
    model = access.Access(
        demand_df=pd.DataFrame({"geoid": area_ids, "pop": residents}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=supply_df,
        supply_index="site",
        supply_value=columns,
        cost_df=long_costs(minutes, area_ids, site_ids),
        cost_origin="origin",
        cost_dest="dest",
        cost_name="minutes",
    )
    result = model.two_stage_fca(name="fca", max_cost=CATCHMENT)
    table = result.reindex(area_ids)[[f"fca_{c}" for c in columns]]
    return table.fillna(0.0).to_numpy().T * PER_RESIDENTS


def random_region(seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """~50 areas × 8 sites with whole minutes (so many pairs sit exactly on the
    catchment edge), one site nobody reaches and one area that reaches no site."""
    rng = np.random.default_rng(seed)
    n_areas, n_sites = 50, 8
    minutes = rng.integers(5, 90, size=(n_areas, n_sites)).astype(float)
    minutes[rng.random((n_areas, n_sites)) < 0.1] = CATCHMENT
    minutes[:, 7] = rng.uniform(50, 120, size=n_areas)  # site 7: beyond every area
    minutes[0, :] = rng.uniform(50, 120, size=n_sites)  # area 0: no site within reach
    residents = rng.integers(200, 60_000, size=n_areas).astype(float)
    supply = rng.uniform(0.5, 12.0, size=(7, n_sites)).round(1)
    return supply, residents, minutes


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_step_fca_equals_access(seed: int) -> None:
    supply, residents, minutes = random_region(seed)
    assert (minutes == CATCHMENT).any()
    got = two_step_fca(supply[0], residents, minutes, CATCHMENT)
    want = peer_2sfca(supply[0], residents, minutes)[0]
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)
    assert got[0] == 0.0  # the area with no site in reach


def test_every_specialty_at_once_equals_access() -> None:
    supply, residents, minutes = random_region(4)
    got = two_step_fca_rows(supply, residents, minutes, CATCHMENT)
    want = peer_2sfca(supply, residents, minutes)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=0)


def test_toy_values_equal_access() -> None:
    """The toy region's matrix: the edge pair (area 1, site 1) at exactly 45 minutes."""
    minutes = np.array([[10.0, 70.0], [35.0, 45.0], [80.0, 15.0]])
    residents = np.array([600.0, 200.0, 500.0])
    supply = np.array([4.0, 2.0])
    want = peer_2sfca(supply, residents, minutes)[0]
    np.testing.assert_allclose(want, [500.0, 500.0 + 2e5 / 700, 2e5 / 700], rtol=1e-12)
    np.testing.assert_allclose(
        two_step_fca(supply, residents, minutes, CATCHMENT), want, rtol=1e-12
    )
