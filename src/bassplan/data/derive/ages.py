"""Single ages and age bands used by the bundled data and the rate derivation.

Ages run 0..``TOP_AGE``; the top age is open-ended (100 means '100 and older').
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from bassplan.data.csvread import read_table
from bassplan.domain.vocabulary import FloatArray, IntArray

TOP_AGE = 100
AGES: IntArray = np.arange(TOP_AGE + 1, dtype=np.int64)
ADULT_AGE = 18  # the seven specialties treat adults; children are seen in paediatrics

# The bands of rates.csv: children, then 18-19 to line up with 5-year bands, then 95+.
RATE_BANDS: tuple[tuple[int, int], ...] = (
    (0, 17),
    (18, 19),
    *((lo, lo + 4) for lo in range(20, 95, 5)),
    (95, TOP_AGE),
)


def parse_band(label: str) -> tuple[int, int]:
    """Read an age-group label ('0', '1-4', '80+', '75+') as (from, to) ages, inclusive."""
    text = label.strip()
    if text.endswith("+"):
        return int(text[:-1]), TOP_AGE
    if "-" in text:
        low, high = text.split("-", 1)
        return int(low), int(high)
    return int(text), int(text)


def spread_bands(bands: list[tuple[int, int]], values: list[float]) -> FloatArray:
    """Set each single age to the value of the band that holds it (0 outside all bands)."""
    out = np.zeros(TOP_AGE + 1)
    for (low, high), value in zip(bands, values, strict=True):
        out[low : min(high, TOP_AGE) + 1] = value
    return out


def band_means(per_age: FloatArray, weights: FloatArray) -> FloatArray:
    """Population-weighted mean of a single-age rate within each of ``RATE_BANDS``, so
    that band rates × band residents give the same total as the single-age rates."""
    out = np.empty(len(RATE_BANDS))
    for k, (low, high) in enumerate(RATE_BANDS):
        w = weights[low : high + 1]
        r = per_age[low : high + 1]
        out[k] = float(w @ r / w.sum()) if w.sum() > 0 else float(r.mean())
    return out


def region_weights(path: Path) -> FloatArray:
    """Residents by single age 0..TOP_AGE summed over areas (ages above TOP_AGE added to it)."""
    table = read_table(path, ("age", "population"))
    weights = np.zeros(TOP_AGE + 1)
    for row in table.rows:
        age = min(table.integer(row, "age"), TOP_AGE)
        weights[age] += table.non_negative(row, "population")
    return weights
