"""The scatter helper against a plain loop."""

from __future__ import annotations

import numpy as np

from bassplan.model.arrays import scatter_rows


def test_scatter_rows_equals_a_loop_with_trailing_axes_and_dropped_targets() -> None:
    rng = np.random.default_rng(3)
    values = rng.uniform(0, 10, (3, 7, 2, 4))
    target = rng.integers(-1, 5, (3, 7))
    expected = np.zeros((3, 5, 2, 4))
    for s in range(3):
        for k in range(7):
            if target[s, k] >= 0:
                expected[s, target[s, k]] += values[s, k]
    np.testing.assert_allclose(scatter_rows(values, target, 5), expected, rtol=1e-12)
    flat = scatter_rows(values[..., 0, 0], target, 5)
    np.testing.assert_allclose(flat, expected[..., 0, 0], rtol=1e-12)
