"""The Pareto front between patient access and staff burden as a PNG and a self-contained
HTML page (a table and the same plot as inline SVG; no external assets)."""

from __future__ import annotations

import html
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

from bassplan.i18n.words import Lang, label


@dataclass(frozen=True)
class FrontRow:
    """One non-dominated plan: its two criteria and the staff-burden indicators beside them."""

    label: str
    patient_hours: float  # patient travel hours per year
    staff_hours: float  # staff travel hours per year
    mean_minutes: float  # population-weighted mean travel minutes
    share_within: float  # share of residents within the access limit
    min_rota_n: float  # the smallest on-call 1-in-N among the plan's teams
    n1_share: float  # share of teams that keep their minimum team if one specialist leaves
    strength_positions: str  # e.g. 'kardiologi: suh_koege, slagelse'


_KEYS = ("title", "x", "y", "plan", "mean", "within", "rota", "n1", "sp")


def _text(lang: Lang) -> dict[str, str]:
    """The figure's and the page's words (``pareto_*`` in the word store)."""
    return {key: label(f"pareto_{key}", lang) for key in _KEYS}


def _figure(rows: Sequence[FrontRow], lang: Lang, fmt: str) -> bytes:
    """Render the front with matplotlib (Agg) into PNG or SVG bytes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    text = _text(lang)
    ordered = sorted(rows, key=lambda r: r.patient_hours)
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    ax.plot([r.patient_hours for r in ordered], [r.staff_hours for r in ordered], "-o",
            color="#1f5f8b")
    for r in ordered:
        ax.annotate(r.label, (r.patient_hours, r.staff_hours), textcoords="offset points",
                    xytext=(5, 5), fontsize=8)
    ax.set_xlabel(text["x"])
    ax.set_ylabel(text["y"])
    ax.set_title(text["title"], fontsize=11)
    ax.grid(alpha=0.3)
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format=fmt)
    plt.close(fig)
    return buffer.getvalue()


def _number(value: float, digits: int = 0) -> str:
    return "–" if math.isnan(value) else f"{value:,.{digits}f}".replace(",", " ")


def front_html(rows: Sequence[FrontRow], lang: Lang = "da") -> str:
    """A self-contained page: the plot as inline SVG and one table row per plan."""
    text = _text(lang)
    svg = _figure(rows, lang, "svg").decode("utf-8")
    svg = svg[svg.index("<svg"):]
    head = "".join(f"<th>{html.escape(text[k])}</th>"
                   for k in ("plan", "x", "y", "mean", "within", "rota", "n1", "sp"))
    body = "".join(
        "<tr>"
        f"<td>{html.escape(r.label)}</td><td>{_number(r.patient_hours)}</td>"
        f"<td>{_number(r.staff_hours)}</td><td>{_number(r.mean_minutes, 1)}</td>"
        f"<td>{_number(100 * r.share_within, 1)} %</td><td>{_number(r.min_rota_n, 1)}</td>"
        f"<td>{_number(100 * r.n1_share)} %</td><td>{html.escape(r.strength_positions)}</td>"
        "</tr>"
        for r in sorted(rows, key=lambda r: r.patient_hours)
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(text['title'])}</title><style>"
        "body{font-family:sans-serif;margin:2em;color:#1b2a3a}"
        "table{border-collapse:collapse;margin-top:1em}"
        "td,th{border:1px solid #ccd;padding:4px 8px;text-align:right;font-size:14px}"
        "td:first-child,td:last-child,th{text-align:left}"
        "</style></head><body>"
        f"<h1>{html.escape(text['title'])}</h1>{svg}"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</body></html>"
    )


def front_png(rows: Sequence[FrontRow], lang: Lang = "da") -> bytes:
    """The front as a PNG image."""
    return _figure(rows, lang, "png")
