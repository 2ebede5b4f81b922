"""Plots of simulated years: the backlog through the year with its P5–P95 band, waiting
times per specialty, and a sweep's metric against the varied value; PNG and inline SVG."""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np

from bassplan.domain.vocabulary import FloatArray
from bassplan.i18n.words import Lang, label
from bassplan.simulate import Band, SimulationSummary

_KEYS = ("backlog", "day", "patients", "wait", "median")  # simfig_* in the word store


def _render(fig: object, fmt: str) -> bytes:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.tight_layout()  # type: ignore[attr-defined]
    fig.savefig(buffer, format=fmt)  # type: ignore[attr-defined]
    plt.close(fig)  # type: ignore[arg-type]
    return buffer.getvalue()


def _pyplot() -> object:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def year_figure(summary: SimulationSummary, lang: Lang = "da", fmt: str = "png") -> bytes:
    """Backlog band through the year (left) and P90 routine wait per specialty (right)."""
    plt = _pyplot()
    text = {key: label(f"simfig_{key}", lang) for key in _KEYS}
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), dpi=110)  # type: ignore[attr-defined]
    backlog: Band = summary.metrics["backlog"]
    days = np.arange(1, backlog.p50.size + 1)
    left.fill_between(days, backlog.p5, backlog.p95, color="#9ecae1", alpha=0.7, label="P5–P95")
    left.plot(days, backlog.p50, color="#08519c", label=text["median"])
    left.set_title(text["backlog"], fontsize=10)
    left.set_xlabel(text["day"])
    left.set_ylabel(text["patients"])
    left.legend(fontsize=8)
    wait: Band = summary.metrics["wait_p90_days"]
    routine = summary.classes.index("routine")
    x = np.arange(len(summary.specialty_ids))
    mid = wait.p50[:, routine]
    errors = np.vstack([mid - wait.p5[:, routine], wait.p95[:, routine] - mid])
    right.bar(x, mid, yerr=np.maximum(errors, 0.0), color="#3182bd", capsize=3)
    right.set_xticks(x, summary.specialty_ids, rotation=35, ha="right", fontsize=8)
    right.set_title(text["wait"], fontsize=10)
    return _render(fig, fmt)


def sweep_figure(
    labels: Sequence[str], bands: Sequence[tuple[float, float, float]], metric: str,
    fmt: str = "png",
) -> bytes:
    """One metric's median and P5–P95 band at each grid point of a sweep."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4), dpi=110)  # type: ignore[attr-defined]
    x = np.arange(len(labels))
    low, mid, high = (np.array(v) for v in zip(*bands, strict=True))
    ax.errorbar(x, mid, yerr=np.vstack([mid - low, high - mid]), fmt="o-", capsize=4,
                color="#08519c")
    ax.set_xticks(x, labels, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel(metric)
    ax.grid(alpha=0.3)
    return _render(fig, fmt)


def inline_svg(svg: bytes) -> str:
    """The <svg> element of a matplotlib SVG file, for embedding in a page."""
    text = svg.decode("utf-8")
    return text[text.index("<svg"):]


def total(values: FloatArray) -> float:
    """Sum over specialties (and priorities) of one replication's metric."""
    return float(np.sum(values))
