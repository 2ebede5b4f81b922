"""The simulated year's headline per specialty: the main metrics of a ``SimulationSummary``
as P5–P50–P95 bands, read at the routine queue class where a metric has classes — shared
by the CLI's table and the API's JSON so both show the same figures."""

from __future__ import annotations

from dataclasses import dataclass

from bassplan.simulate.summary import SimulationSummary

ROUTINE = "routine"  # the queue class whose waits the headline shows


@dataclass(frozen=True)
class Headline:
    """One headline metric: its record key, the ``ReplicationResult`` field it reads, whether
    that field has a queue-class axis (then the routine class is read) and decimals to show;
    its column label is ``sim_<key>`` in the word store."""

    key: str
    metric: str
    by_class: bool
    digits: int


HEADLINES = (
    Headline("wait_p50_routine_days", "wait_p50_days", True, 1),
    Headline("wait_p90_routine_days", "wait_p90_days", True, 1),
    Headline("share_beyond_target_routine", "share_beyond_target", True, 2),
    Headline("overtime_hours", "overtime_hours", False, 0),
    Headline("visits_avoided", "visits_avoided", False, 0),
    Headline("patient_km_saved", "patient_km_saved", False, 0),
)


def headline_band(
    summary: SimulationSummary, headline: Headline, s: int
) -> tuple[float, float, float]:
    """(P5, P50, P95) of one headline metric for the specialty at row ``s``."""
    band = summary.metrics[headline.metric]
    index = (s, summary.classes.index(ROUTINE)) if headline.by_class else (s,)
    return float(band.p5[index]), float(band.p50[index]), float(band.p95[index])


def specialty_bands(summary: SimulationSummary) -> list[dict[str, object]]:
    """Per specialty: its id and, for every headline, ``{"p5", "p50", "p95"}`` (nan where a
    class had no patients in any replication)."""
    rows: list[dict[str, object]] = []
    for s, specialty in enumerate(summary.specialty_ids):
        row: dict[str, object] = {"specialty": specialty}
        for headline in HEADLINES:
            p5, p50, p95 = headline_band(summary, headline, s)
            row[headline.key] = {"p5": p5, "p50": p50, "p95": p95}
        rows.append(row)
    return rows
