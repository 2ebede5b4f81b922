"""Bands over replications: the 5th, 50th and 95th percentile of every metric of
``ReplicationResult``, and flat rows of them for CSV and JSON.

Percentiles are NumPy's default (linear interpolation between order statistics) over the
replications that have a value (nan, e.g. a class without patients, is left out).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from bassplan.domain.errors import InputError
from bassplan.domain.vocabulary import FloatArray
from bassplan.simulate.outcome import ReplicationResult, week_ends

RESULTS_SOURCE = "simulation results"
PERCENTILES = (5.0, 50.0, 95.0)

# the axes of each metric, for labelling flat rows
AXES: Mapping[str, tuple[str, ...]] = {
    "wait_mean_days": ("specialty", "priority"),
    "wait_p50_days": ("specialty", "priority"),
    "wait_p90_days": ("specialty", "priority"),
    "share_beyond_target": ("specialty", "priority"),
    "backlog": ("day",),
    "backlog_by_specialty": ("specialty", "week"),
}
LABELS = ("replication", "specialty_ids", "classes")


@dataclass(frozen=True)
class Band:
    """The 5th, 50th and 95th percentile of one metric over replications (metric's shape)."""

    p5: FloatArray
    p50: FloatArray
    p95: FloatArray


@dataclass(frozen=True)
class SimulationSummary:
    """One band per ``ReplicationResult`` metric, over ``replications`` replications.

    ``days`` is the length of the simulated year (calendar days), for labelling the
    backlog axes; ``classes`` labels the priority axis.
    """

    replications: int
    specialty_ids: tuple[str, ...]
    metrics: Mapping[str, Band]
    classes: tuple[str, ...] = ()
    days: int = 0


def metric_names() -> tuple[str, ...]:
    """Names of the array metrics of ``ReplicationResult``, in field order."""
    return tuple(f.name for f in fields(ReplicationResult) if f.name not in LABELS)


def _check_alike(results: Sequence[ReplicationResult]) -> None:
    """Raise InputError unless every result has the first one's labels and shapes."""
    if not results:
        raise InputError(RESULTS_SOURCE, "", "replications", "needs at least one replication")
    first = results[0]
    for result in results[1:]:
        where = f"replication {result.replication}"
        if result.specialty_ids != first.specialty_ids or result.classes != first.classes:
            raise InputError(RESULTS_SOURCE, where, "specialty_ids",
                             "specialties or classes differ from the first replication")
        for name in metric_names():
            if np.shape(getattr(result, name)) != np.shape(getattr(first, name)):
                raise InputError(RESULTS_SOURCE, where, name,
                                 "shape differs from the first replication")


def band(values: FloatArray) -> Band:
    """Percentile band over the first axis (replications), ignoring nan."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-nan cells give nan
        p5, p50, p95 = np.nanpercentile(values, PERCENTILES, axis=0)
    return Band(p5=np.asarray(p5), p50=np.asarray(p50), p95=np.asarray(p95))


def summarise(results: Sequence[ReplicationResult]) -> SimulationSummary:
    """Bands of every metric over ``results`` (in any order: the bands do not depend on it)."""
    _check_alike(results)
    metrics = {
        name: band(np.stack([np.asarray(getattr(r, name), dtype=np.float64) for r in results]))
        for name in metric_names()
    }
    return SimulationSummary(
        replications=len(results),
        specialty_ids=results[0].specialty_ids,
        metrics=metrics,
        classes=results[0].classes,
        days=int(np.size(results[0].backlog)),
    )


def _labels(summary: SimulationSummary, axis: str, size: int) -> list[object]:
    if axis == "specialty":
        return list(summary.specialty_ids)
    if axis == "priority":
        return list(summary.classes)
    if axis == "week":
        return [int(d) for d in week_ends(summary.days)] if summary.days else list(range(size))
    return list(range(size))


def summary_records(summary: SimulationSummary) -> list[dict[str, object]]:
    """Flat rows (metric, specialty, priority, day, p5, p50, p95) for CSV or JSON; fields a
    metric lacks are None, and a weekly metric gives the week's last calendar day."""
    rows: list[dict[str, object]] = []
    for name, values in summary.metrics.items():
        ndim = values.p50.ndim
        axes = AXES.get(name, (("specialty",) + ("index",) * (ndim - 1))[:ndim])
        grids = [_labels(summary, axis, n) for axis, n in zip(axes, values.p50.shape, strict=True)]
        for index in np.ndindex(values.p50.shape):
            row: dict[str, object] = {"metric": name, "specialty": None, "priority": None,
                                      "day": None}
            for axis, labels, k in zip(axes, grids, index, strict=True):
                row["day" if axis == "week" else axis] = labels[k]
            row.update(p5=float(values.p5[index]), p50=float(values.p50[index]),
                       p95=float(values.p95[index]))
            rows.append(row)
    return rows
