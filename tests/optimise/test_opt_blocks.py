"""Solving specialties block by block: the blocks partition the model (no row crosses
two blocks), coupling rows merge them, and the optimum equals the joint model's, solved
as one HiGHS model (the formulation before the split)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from bassplan.domain.scenario import OptimisationSettings, Scenario
from bassplan.optimise import build_model, build_request
from bassplan.optimise._blocks import split_blocks
from bassplan.optimise._highs import run, run_arrays
from bassplan.optimise.model import Model, Row
from tests.support.opt_regions import random_region


def _scenario(seed: int, **settings: object) -> Scenario:
    rng = np.random.default_rng(seed)
    return Scenario(
        name=f"blocks {seed}", year=2023, consult_reach_minutes=60.0,
        digital_share={"default": {"consult": 0.3, "follow_up": 0.1}},
        optimisation=OptimisationSettings.model_validate({
            "max_outreach_days": float(rng.choice([0.0, 1.5])),
            "min_strength_positions": 1, "max_strength_positions": 2,
            "allow_cross_organisation": True,
            "access_share": float(rng.choice([0.0, 0.5])), "access_minutes": 30.0,
            "weights": {"patient_hours": 1.0, "staff_hours": 0.5, "cost_dkk": 1e-4},
            **settings,
        }),
    )


def _model(seed: int, **settings: object) -> Model:
    region = random_region(seed, 2, n_areas=7, n_sites=5, scale=20.0)
    return build_model(build_request(region, _scenario(seed, **settings)))


def _assert_partition(model: Model, blocks: tuple[object, ...]) -> None:
    """Every column and row in exactly one block; every nonzero inside one block."""
    n_rows, n_cols = model.matrix.shape
    col_block = np.full(n_cols, -1)
    row_block = np.full(n_rows, -1)
    for b, block in enumerate(blocks):
        assert (col_block[block.columns] < 0).all()  # type: ignore[attr-defined]
        assert (row_block[block.rows] < 0).all()  # type: ignore[attr-defined]
        col_block[block.columns] = b  # type: ignore[attr-defined]
        row_block[block.rows] = b  # type: ignore[attr-defined]
    assert (col_block >= 0).all() and (row_block >= 0).all()
    coo = sparse.coo_array(model.matrix)
    assert (row_block[coo.row] == col_block[coo.col]).all()


def test_uncoupled_specialties_are_separate_blocks() -> None:
    model = _model(1)
    blocks = split_blocks(model.matrix, model.col_specialty)
    assert len(blocks) == 2
    _assert_partition(model, blocks)
    for s, block in enumerate(blocks):
        assert (model.col_specialty[block.columns] == s).all()


def test_shared_rows_join_the_blocks() -> None:
    capped = _model(2, max_moved_fte={"default": 4.0})  # one move cap for both
    assert len(split_blocks(capped.matrix, capped.col_specialty)) == 1
    model = _model(2)
    assert len(split_blocks(model.matrix, model.col_specialty)) == 2
    both = Row(np.array([model.columns[0].y[0], model.columns[1].y[0]]), np.ones(2),
               -np.inf, 1.0)
    matrix, _, _ = model.with_rows((both,))
    assert len(split_blocks(matrix, model.col_specialty)) == 1


@pytest.mark.parametrize("seed", range(6))
def test_blockwise_optimum_equals_joint_model(seed: int) -> None:
    model = _model(10 + seed)
    objective = model.weighted()
    joint = run_arrays(model.matrix, model.row_lower, model.row_upper, model.col_lower,
                       model.col_upper, model.integer, objective, time_limit=60.0, gap=0.0)
    split = run(model, objective, time_limit=60.0, gap=0.0)
    assert joint.status == split.status == "optimal"
    assert split.objective == pytest.approx(joint.objective, rel=1e-7)
    assert split.bound == pytest.approx(joint.bound, rel=1e-6)
    assert split.values is not None
    # the combined values are one feasible point of the joint model with that objective
    activity = model.matrix @ split.values
    scale = 1e-6 * np.maximum(1.0, np.abs(activity))
    assert (activity >= model.row_lower - scale).all()
    assert (activity <= model.row_upper + scale).all()
    assert float(objective.cost @ split.values + objective.offset) == pytest.approx(
        split.objective, rel=1e-7)
