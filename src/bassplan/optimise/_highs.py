"""One HiGHS run on arrays: pass the model column-wise, solve, and report honestly what
HiGHS reached (optimal, within the gap, stopped by the time limit, or infeasible)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import highspy
import numpy as np
from scipy import sparse

from bassplan.domain.errors import SolverError
from bassplan.domain.vocabulary import BoolArray, FloatArray
from bassplan.optimise._blocks import split_blocks
from bassplan.optimise.model import Model, Objective, Row
from bassplan.solver.highs import new_highs

OPTIMAL_GAP = 1e-6  # a relative gap this small counts as proven optimal
MIN_BLOCK_SECONDS = 1.0  # a block started after the time limit still gets this long


@dataclass(frozen=True)
class Solution:
    """What one run reached: status 'optimal' | 'gap_reached' | 'time_limit' |
    'infeasible'; values None when HiGHS found no feasible point."""

    status: str
    values: FloatArray | None
    objective: float
    bound: float
    gap: float
    seconds: float


def run_arrays(
    matrix: sparse.csc_array, row_lower: FloatArray, row_upper: FloatArray,
    col_lower: FloatArray, col_upper: FloatArray, integer: BoolArray, objective: Objective,
    *, time_limit: float, gap: float,
) -> Solution:
    """Solve min objective over the given rows and bounds with HiGHS."""
    started = time.perf_counter()
    highs = new_highs()
    highs.setOptionValue("time_limit", float(time_limit))
    highs.setOptionValue("mip_rel_gap", float(gap))
    n_rows, n_cols = matrix.shape
    status = highs.passModel(
        int(n_cols), int(n_rows), int(matrix.nnz), int(highspy.MatrixFormat.kColwise),
        int(highspy.ObjSense.kMinimize), float(objective.offset),
        np.ascontiguousarray(objective.cost, dtype=np.float64),
        np.ascontiguousarray(col_lower, dtype=np.float64),
        np.ascontiguousarray(col_upper, dtype=np.float64),
        np.ascontiguousarray(row_lower, dtype=np.float64),
        np.ascontiguousarray(row_upper, dtype=np.float64),
        matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64),
        np.ascontiguousarray(matrix.data, dtype=np.float64),
        integer.astype(np.int64),
    )
    if status == highspy.HighsStatus.kError:
        raise SolverError("HiGHS rejected the model")
    highs.run()
    seconds = time.perf_counter() - started
    model_status = highs.getModelStatus()
    info = highs.getInfo()
    mip = bool(integer.any())
    has_point = info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible
    if model_status in (highspy.HighsModelStatus.kInfeasible,
                        highspy.HighsModelStatus.kUnboundedOrInfeasible):
        return Solution("infeasible", None, np.nan, np.nan, np.nan, seconds)
    if model_status == highspy.HighsModelStatus.kOptimal:
        reached_gap = float(info.mip_gap) if mip else 0.0
        label = "optimal" if reached_gap <= max(OPTIMAL_GAP, 0.0) else "gap_reached"
    elif model_status == highspy.HighsModelStatus.kTimeLimit and has_point:
        reached_gap, label = float(info.mip_gap), "time_limit"
    elif model_status == highspy.HighsModelStatus.kTimeLimit:
        raise SolverError(f"HiGHS found no feasible plan within the time limit of "
                          f"{time_limit:g} s")
    else:
        raise SolverError(f"HiGHS stopped with status '{highs.modelStatusToString(model_status)}'")
    values = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    value = float(info.objective_function_value)
    bound = float(info.mip_dual_bound) if mip else value
    return Solution(label, values, value, bound, reached_gap, seconds)


def run(model: Model, objective: Objective, rows: tuple[Row, ...] = (), *,
        time_limit: float, gap: float) -> Solution:
    """Solve the model (plus extra ``rows``) for ``objective``, block by block when its
    specialties share no row (``split_blocks``): the same optimum, proven sooner."""
    matrix, lower, upper = model.with_rows(rows)
    blocks = split_blocks(matrix, model.col_specialty)
    if len(blocks) == 1:
        return run_arrays(matrix, lower, upper, model.col_lower, model.col_upper,
                          model.integer, objective, time_limit=time_limit, gap=gap)
    started = time.perf_counter()
    values = np.zeros(model.col_lower.size)
    parts: list[Solution] = []
    for block in blocks:
        left = max(time_limit - (time.perf_counter() - started), MIN_BLOCK_SECONDS)
        cols, block_rows = block.columns, block.rows
        part = run_arrays(
            sparse.csc_array(matrix[block_rows][:, cols]), lower[block_rows],
            upper[block_rows], model.col_lower[cols], model.col_upper[cols],
            model.integer[cols], Objective(objective.cost[cols], 0.0),
            time_limit=left, gap=gap)
        if part.values is None:
            return replace(part, seconds=time.perf_counter() - started)
        values[cols] = part.values
        parts.append(part)
    return _combined(parts, values, objective.offset, gap, time.perf_counter() - started)


def _combined(parts: list[Solution], values: FloatArray, offset: float, gap: float,
              seconds: float) -> Solution:
    """One solution from the blocks': objective and bound add up (plus the constant), the
    gap is the sum's, 'optimal' only when every block is."""
    value = offset + sum(p.objective for p in parts)
    bound = offset + sum(p.bound for p in parts)
    reached = (value - bound) / max(abs(value), 1e-9)
    if all(p.status == "optimal" for p in parts):
        label = "optimal"
    elif all(p.status in ("optimal", "gap_reached") for p in parts) or reached <= gap:
        label = "gap_reached"
    else:
        label = "time_limit"
    return Solution(label, values, value, bound, max(reached, 0.0), seconds)


def polish(model: Model, objective: Objective, first: Solution, rows: tuple[Row, ...] = (), *,
           time_limit: float) -> Solution:
    """Among plans as good as ``first`` with the same integer choices, the cheapest in
    staffing: fix the integers, bound the objective by its value, minimise cost (an LP).
    Team FTE are then determined even when cost has no weight in the objective."""
    assert first.values is not None
    lower, upper = model.col_lower.copy(), model.col_upper.copy()
    chosen = np.round(first.values[model.integer])
    lower[model.integer] = chosen
    upper[model.integer] = chosen
    value = float(objective.cost @ first.values)
    bound = Row(np.arange(objective.cost.size), objective.cost, -np.inf,
                value + 1e-7 * max(1.0, abs(value)))
    matrix, row_lower, row_upper = model.with_rows((*rows, bound))
    second = run_arrays(matrix, row_lower, row_upper, lower, upper,
                        np.zeros_like(model.integer), Objective(model.cost, 0.0),
                        time_limit=time_limit, gap=0.0)
    if second.values is None:
        return first
    return Solution(first.status, second.values, first.objective, first.bound, first.gap,
                    first.seconds + second.seconds)
