"""A sparse MILP assembled in blocks of NumPy index arrays: columns and rows are handed
out in ranges, coefficients arrive as (row, column, value) arrays and become one CSC
matrix at the end. Mutable while building; the model it produces is not."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse

from bassplan.domain.vocabulary import BoolArray, FloatArray, IntArray

INF = np.inf
TERMS = ("patient", "staff", "cost")


@dataclass(frozen=True)
class Slack:
    """One elastic column: how far constraint ``family`` of a specialty (position in the
    request, -1 for a shared row) at ``place`` (a site, an organisation, -1) is relaxed;
    ``team`` names the covering team of a 'reach' pair. ``penalty`` per unit."""

    family: str
    specialty: int
    place: int
    column: int
    penalty: float
    team: int = -1


@dataclass(frozen=True)
class Assembled:
    """The matrix, bounds, integrality and objective terms of a finished model."""

    matrix: sparse.csc_array
    row_lower: FloatArray
    row_upper: FloatArray
    col_lower: FloatArray
    col_upper: FloatArray
    integer: BoolArray
    col_specialty: IntArray
    terms: dict[str, FloatArray]
    slacks: tuple[Slack, ...]


def _vector(value: ArrayLike, count: int) -> FloatArray:
    """A float vector of length ``count`` from a scalar or an array."""
    result: FloatArray = np.broadcast_to(np.asarray(value, dtype=np.float64), (count,)).copy()
    return result


class Builder:
    """Collects columns, rows, coefficients and objective terms of one MILP."""

    def __init__(self) -> None:
        self.n_cols = 0
        self.n_rows = 0
        self._cols: list[tuple[FloatArray, FloatArray, BoolArray, IntArray]] = []
        self._rows: list[tuple[FloatArray, FloatArray]] = []
        self._entries: list[tuple[IntArray, IntArray, FloatArray]] = []
        self._terms: dict[str, list[tuple[IntArray, FloatArray]]] = {t: [] for t in TERMS}
        self._upper_fix: list[tuple[IntArray, float]] = []
        self.slacks: list[Slack] = []

    def cols(
        self, count: int, specialty: int, *, lower: ArrayLike = 0.0, upper: ArrayLike = 1.0,
        integer: bool = True,
    ) -> IntArray:
        """Hand out ``count`` new columns (binary by default) and return their indices."""
        index = np.arange(self.n_cols, self.n_cols + count, dtype=np.int64)
        self._cols.append((_vector(lower, count), _vector(upper, count),
                           np.full(count, integer), np.full(count, specialty, dtype=np.int64)))
        self.n_cols += count
        return index

    def rows(self, count: int, lower: ArrayLike, upper: ArrayLike) -> IntArray:
        """Hand out ``count`` new rows with bounds lower ≤ row ≤ upper."""
        index = np.arange(self.n_rows, self.n_rows + count, dtype=np.int64)
        self._rows.append((_vector(lower, count), _vector(upper, count)))
        self.n_rows += count
        return index

    def put(self, rows: ArrayLike, cols: ArrayLike, values: ArrayLike = 1.0) -> None:
        """Add coefficients (broadcast together); repeated (row, column) pairs add up."""
        r, c, v = np.broadcast_arrays(np.asarray(rows, dtype=np.int64),
                                      np.asarray(cols, dtype=np.int64),
                                      np.asarray(values, dtype=np.float64))
        self._entries.append((r.ravel(), c.ravel(), v.ravel()))

    def term(self, name: str, cols: ArrayLike, values: ArrayLike) -> None:
        """Add ``values`` × columns to objective term ``name`` (patient, staff or cost)."""
        c, v = np.broadcast_arrays(np.asarray(cols, dtype=np.int64),
                                   np.asarray(values, dtype=np.float64))
        self._terms[name].append((c.ravel(), v.ravel()))

    def fix_upper(self, cols: IntArray, upper: float) -> None:
        """Lower the upper bound of existing columns (a pair that may not be chosen)."""
        self._upper_fix.append((cols, upper))

    def slack(
        self, family: str, specialty: int, places: ArrayLike, rows: IntArray, sign: float,
        penalty: ArrayLike, teams: ArrayLike = -1,
    ) -> IntArray:
        """Add one elastic column per row (coefficient ``sign``) and record it."""
        cols = self.cols(rows.size, specialty, upper=INF, integer=False)
        self.put(rows, cols, sign)
        place = np.broadcast_to(np.asarray(places, dtype=np.int64), rows.shape)
        team = np.broadcast_to(np.asarray(teams, dtype=np.int64), rows.shape)
        cost = _vector(penalty, rows.size)
        self.slacks.extend(Slack(family, specialty, int(p), int(c), float(w), int(t))
                           for p, c, w, t in zip(place, cols, cost, team, strict=True))
        return cols

    def mark(self, family: str, specialty: int, places: ArrayLike, cols: IntArray,
             penalty: float, teams: ArrayLike = -1) -> None:
        """Record existing columns as elastic (their use is penalised, e.g. a forbidden pair)."""
        place = np.broadcast_to(np.asarray(places, dtype=np.int64), cols.shape)
        team = np.broadcast_to(np.asarray(teams, dtype=np.int64), cols.shape)
        self.slacks.extend(Slack(family, specialty, int(p), int(c), penalty, int(t))
                           for p, c, t in zip(place, cols, team, strict=True))

    def assemble(self) -> Assembled:
        """The finished matrix (CSC), bounds and objective terms."""
        col_upper = _cat([c[1] for c in self._cols], np.float64)
        for cols, upper in self._upper_fix:
            col_upper[cols] = np.minimum(col_upper[cols], upper)
        rows = _cat([e[0] for e in self._entries], np.int64)
        cols = _cat([e[1] for e in self._entries], np.int64)
        values = _cat([e[2] for e in self._entries], np.float64)
        matrix = sparse.csc_array((values, (rows, cols)), shape=(self.n_rows, self.n_cols))
        matrix.sum_duplicates()
        terms: dict[str, FloatArray] = {}
        for name, parts in self._terms.items():
            vector = np.zeros(self.n_cols)
            np.add.at(vector, _cat([c for c, _ in parts], np.int64),
                      _cat([v for _, v in parts], np.float64))
            terms[name] = vector
        return Assembled(
            matrix=matrix,
            row_lower=_cat([r[0] for r in self._rows], np.float64),
            row_upper=_cat([r[1] for r in self._rows], np.float64),
            col_lower=_cat([c[0] for c in self._cols], np.float64),
            col_upper=col_upper,
            integer=_cat([c[2] for c in self._cols], np.bool_),
            col_specialty=_cat([c[3] for c in self._cols], np.int64),
            terms=terms,
            slacks=tuple(self.slacks),
        )


def _cat(parts: Sequence[NDArray[Any]], dtype: type[Any]) -> NDArray[Any]:
    """The parts end to end as one array of ``dtype`` (empty when there are none)."""
    if not parts:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(parts).astype(dtype)
