"""Array helpers shared by the stages."""

from __future__ import annotations

import numpy as np

from bassplan.domain import FloatArray, IntArray


def scatter_rows(values: FloatArray, target: IntArray, n_targets: int) -> FloatArray:
    """Sum ``values`` (S, K, ...) into (S, n_targets, ...) at [s, target[s, k], ...];
    a target of -1 drops the value. Used to gather areas or sites onto serving sites."""
    shape = (values.shape[0], n_targets, *values.shape[2:])
    summed = np.zeros(shape, dtype=np.float64)
    rows = np.broadcast_to(np.arange(values.shape[0])[:, None], target.shape)
    keep = target >= 0
    np.add.at(summed, (rows[keep], target[keep]), values[keep])
    return summed
