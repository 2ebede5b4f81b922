"""Array helpers shared by the stages."""

from __future__ import annotations

import numpy as np

from bassplan.domain.vocabulary import FloatArray, IntArray


def scatter_rows(values: FloatArray, target: IntArray, n_targets: int) -> FloatArray:
    """Sum ``values`` (S, K, ...) into (S, n_targets, ...) at [s, target[s, k], ...];
    a target of -1 drops the value. Used to gather areas or sites onto serving sites.
    One bincount over flat indices (much faster than np.add.at on large inputs)."""
    n_rows, n_cols = target.shape
    trailing = values.shape[2:]
    width = int(np.prod(trailing, dtype=np.int64)) if trailing else 1
    keep = target >= 0
    cell = np.arange(n_rows)[:, None] * n_targets + np.where(keep, target, 0)  # (S, K)
    flat = (cell[:, :, None] * width + np.arange(width)[None, None, :]).ravel()
    weights = np.where(keep[:, :, None], values.reshape(n_rows, n_cols, width), 0.0).ravel()
    summed = np.bincount(flat, weights=weights, minlength=n_rows * n_targets * width)
    result: FloatArray = summed.reshape(n_rows, n_targets, *trailing).astype(np.float64)
    return result
