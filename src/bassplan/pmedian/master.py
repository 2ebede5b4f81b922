"""The Benders master LP of the p-median, kept in one HiGHS model that only grows by cuts.

    min Σ_g Θ_g   s.t.  Σ_j y_j = p,   Θ_g ≥ group cuts (``pmedian_cuts``),
    lo_j ≤ y_j ≤ hi_j (a branch-and-bound node's box in [0, 1]),   Θ_g ≥ floor_g

Columns 0..m−1 are y, columns m..m+G−1 are Θ. Cuts are appended with ``addRows`` and
bounds changed in place, so every solve restarts the dual simplex from the last basis.
"""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from bassplan.domain.errors import SolverError
from bassplan.domain.vocabulary import FloatArray
from bassplan.pmedian.cuts import GroupCuts
from bassplan.solver.highs import new_highs


@dataclass(frozen=True)
class MasterSolution:
    """One LP solve: y (m,), Θ (G,), the objective and the reduced costs of y.

    ``solved`` is False when HiGHS stopped at its time limit (no usable solution).
    """

    y: FloatArray
    theta: FloatArray
    objective: float
    reduced_cost: FloatArray
    solved: bool


class Master:
    """The master LP in HiGHS; mutable on purpose (it gains cuts, nodes change its box)."""

    def __init__(self, floor: FloatArray, p: int, m: int) -> None:
        self.m = m
        self.groups = int(floor.size)
        self.cut_count = 0
        self.solves = 0
        h = new_highs()
        n_col = m + self.groups
        h.addCols(
            n_col,
            np.concatenate([np.zeros(m), np.ones(self.groups)]),
            np.concatenate([np.zeros(m), floor]),
            np.concatenate([np.ones(m), np.full(self.groups, highspy.kHighsInf)]),
            0,
            np.zeros(n_col, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        h.addRows(
            1,
            np.array([float(p)]),
            np.array([float(p)]),
            m,
            np.zeros(1, dtype=np.int32),
            np.arange(m, dtype=np.int32),
            np.ones(m),
        )
        self.highs = h

    def add_cuts(self, cuts: GroupCuts) -> None:
        """Append cuts Θ_g + Σ coef · y_j ≥ level as rows (the Θ entry first in each row)."""
        k = cuts.count
        if k == 0:
            return
        counts = np.diff(cuts.start) + 1
        start = np.zeros(k, dtype=np.int64)
        np.cumsum(counts[:-1], out=start[1:])
        nnz = int(counts.sum())
        index = np.empty(nnz, dtype=np.int32)
        value = np.empty(nnz)
        index[start] = self.m + cuts.group
        value[start] = 1.0
        body = np.ones(nnz, dtype=bool)
        body[start] = False
        index[body] = cuts.site
        value[body] = cuts.coef
        self.highs.addRows(
            k,
            cuts.level,
            np.full(k, highspy.kHighsInf),
            nnz,
            start.astype(np.int32),
            index,
            value,
        )
        self.cut_count += k

    def purge(self, keep_binding: float = 1e-7) -> int:
        """Delete cut rows that are slack at the last solution (their slack above
        ``keep_binding`` × the right-hand side); return how many were deleted."""
        h = self.highs
        rows = h.getNumRow()
        if rows <= 1:
            return 0
        activity = np.asarray(h.getSolution().row_value, dtype=np.float64)[1:]
        lp = h.getLp()
        rhs = np.asarray(lp.row_lower_, dtype=np.float64)[1:]
        slack = activity - rhs > keep_binding * np.maximum(np.abs(rhs), 1.0)
        drop = (np.flatnonzero(slack) + 1).astype(np.int32)
        if drop.size:
            h.deleteRows(int(drop.size), drop)
        return int(drop.size)

    def set_box(self, lower: FloatArray, upper: FloatArray) -> None:
        """Bound y to [lower, upper] (a node's fixings)."""
        self.highs.changeColsBounds(
            self.m, np.arange(self.m, dtype=np.int32), lower.astype(np.float64),
            upper.astype(np.float64),
        )

    def solve(self, seconds: float) -> MasterSolution:
        """Solve the current LP within ``seconds``; raise SolverError if HiGHS fails."""
        h = self.highs
        # HiGHS measures its limit on the model's cumulative run clock
        h.setOptionValue("time_limit", h.getRunTime() + max(seconds, 1e-3))
        h.run()
        self.solves += 1
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kTimeLimit:
            empty = np.zeros(self.m)
            return MasterSolution(empty, np.zeros(self.groups), -np.inf, empty, False)
        if status != highspy.HighsModelStatus.kOptimal:
            raise SolverError(f"HiGHS, p-median master LP: {h.modelStatusToString(status)}")
        sol = h.getSolution()
        col = np.asarray(sol.col_value, dtype=np.float64)
        dual = np.asarray(sol.col_dual, dtype=np.float64)[: self.m]
        objective = float(h.getInfo().objective_function_value)
        return MasterSolution(col[: self.m], col[self.m :], objective, dual, True)
