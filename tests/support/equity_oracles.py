"""Slow, obvious loop versions of the equity measures: the oracles of the vectorised ones."""

from __future__ import annotations


def loop_mean(values: list[float], weights: list[float]) -> float:
    total = sum(weights)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / total


def loop_quantile(values: list[float], weights: list[float], q: float) -> float:
    """Walk the values in ascending order until the share of residents reaches q."""
    total = sum(weights)
    running = 0.0
    for value, weight in sorted(zip(values, weights, strict=True)):
        running += weight
        if running / total >= q - 1e-12:
            return value
    raise AssertionError("never reached q")


def loop_share(values: list[float], weights: list[float], limit: float) -> float:
    total = sum(weights)
    return sum(w for v, w in zip(values, weights, strict=True) if v <= limit) / total


def loop_gini(values: list[float], weights: list[float]) -> float:
    """Σ_i Σ_j w_i w_j |x_i − x_j| / (2 W² μ), the double sum over every pair."""
    total = sum(weights)
    mean = loop_mean(values, weights)
    if mean == 0:
        return 0.0
    pairs = 0.0
    for x_i, w_i in zip(values, weights, strict=True):
        for x_j, w_j in zip(values, weights, strict=True):
            pairs += w_i * w_j * abs(x_i - x_j)
    return pairs / (2 * total**2 * mean)


def loop_worst(values: list[float], weights: list[float]) -> tuple[float, int]:
    """The longest time over areas with residents and the first area holding it."""
    best_value, best_area = -1.0, -1
    for area, (value, weight) in enumerate(zip(values, weights, strict=True)):
        if weight > 0 and value > best_value:
            best_value, best_area = value, area
    return best_value, best_area


