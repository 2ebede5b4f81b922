"""sourcefacts and ages: picking published numbers by their cells, and age bands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bassplan.data.derive.ages import band_means, parse_band, spread_bands
from bassplan.data.derive.sourcefacts import Fact, SourceFile, cite_rows
from bassplan.domain.errors import InputError


@pytest.fixture
def facts(tmp_path: Path) -> SourceFile:
    path = tmp_path / "f.csv"
    path.write_text(
        "measure,age_group,value\n"
        "stays,0,405.1\n"
        "stays,1-4,109.7\n"
        "ratio,80+ vs 65-79,>2\n"
        "persons,all,110000-130000\n"
        "stays,5-9,55.1\n",
        encoding="utf-8",
    )
    return SourceFile(path)


def test_fact_cites_its_row(facts: SourceFile) -> None:
    assert facts.fact(measure="stays", age_group="1-4") == Fact(109.7, "f.csv row 3")


def test_midpoint_and_bound(facts: SourceFile) -> None:
    mid = facts.fact(form="midpoint", measure="persons")
    assert mid.value == 120_000 and "midpoint of 110000-130000" in mid.cite
    bound = facts.fact(form="bound", measure="ratio")
    assert bound.value == 2 and "(>2, taken as 2)" in bound.cite
    with pytest.raises(InputError, match="'>2' is not a number"):
        facts.fact(measure="ratio")


def test_ambiguous_or_missing_row(facts: SourceFile) -> None:
    with pytest.raises(InputError, match="expected one row with measure='stays', found 3"):
        facts.fact(measure="stays")
    with pytest.raises(InputError, match="found 0"):
        facts.fact(measure="nothing")


def test_cite_rows(facts: SourceFile) -> None:
    found = facts.band_facts(("0", "1-4"), measure="stays")
    assert cite_rows(found) == "f.csv rows 2, 3"
    spaced = [Fact(0, f"x.csv row {n}") for n in (64, 70, 76)]
    assert cite_rows(spaced) == "x.csv rows 64–76 (every 6th)"


def test_parse_band() -> None:
    assert parse_band("0") == (0, 0)
    assert parse_band("65-69") == (65, 69)
    assert parse_band("80+") == (80, 100)


def test_spread_and_band_means() -> None:
    per_age = spread_bands([(0, 0), (1, 4)], [10.0, 2.0])
    assert per_age[0] == 10 and per_age[1:5].tolist() == [2.0] * 4 and per_age[5:].sum() == 0
    weights = np.ones(101)
    weights[0] = 3.0
    rates = np.arange(101, dtype=float)
    means = band_means(rates, weights)
    # band 0-17: (0×3 + 1 + … + 17) / (3 + 17) = 153 / 20
    assert means[0] == pytest.approx(153 / 20)
    assert means[1] == pytest.approx(18.5)
    # totals are kept: Σ band mean × band residents = Σ rate × residents
    from bassplan.data.derive.ages import RATE_BANDS

    total = sum(
        m * weights[lo : hi + 1].sum() for m, (lo, hi) in zip(means, RATE_BANDS, strict=True)
    )
    assert total == pytest.approx(weights @ rates)
