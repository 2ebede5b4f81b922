"""The terminal tables: numbers in the reader's conventions, and a heat-map whose site names
stay readable when a region has more sites than specialties."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from bassplan.cli.tables import headline_table, heatmap_table
from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.score import score
from tests.support.paths import EXAMPLES


def _text(table: Table) -> str:
    console = Console(file=io.StringIO(), width=200, color_system=None)
    console.print(table)
    out = console.file
    assert isinstance(out, io.StringIO)
    return out.getvalue()


def _first_cells(text: str) -> list[str]:
    return [line.split("│")[1].strip() for line in text.splitlines() if line.startswith("│")]


def test_oestdanmark_heatmap_has_a_row_per_site_with_its_whole_short_name() -> None:
    region = load_region("oestdanmark")
    ev = evaluate(region, load_scenario(EXAMPLES / "oestdanmark" / "baseline.yaml", region))
    text = _text(heatmap_table(ev, score(ev, load_indicators()), "da"))
    rows = [r for r in _first_cells(text) if r]
    assert len(region.sites) > len(region.specialties)
    assert {"SUH Køge", "Rigshospitalet", "Speciale samlet"} <= set(rows)  # sites as rows
    assert len(rows) > len(region.specialties) + 1
    assert "Kardiologi" in text and "Kardiologi" not in rows  # specialties across
    words = " ".join(text.split())
    assert "✓ grøn" in words and "· ingen data" in words  # the legend from the word store


def test_sjaelland_heatmap_keeps_specialties_as_rows() -> None:
    region = load_region("sjaelland")
    ev = evaluate(region, load_scenario(EXAMPLES / "baseline.yaml", region))
    rows = _first_cells(_text(heatmap_table(ev, score(ev, load_indicators()), "en")))
    assert [r for r in rows if r][:2] == ["Cardiology", "Respiratory medicine"]


def test_headline_numbers_follow_the_language() -> None:
    region = load_region("sjaelland")
    ev = evaluate(region, load_scenario(EXAMPLES / "baseline.yaml", region))
    da, en = _text(headline_table(ev, "da")), _text(headline_table(ev, "en"))
    assert " %" in da and "%" in en and " %" not in en
    assert "," in da.split("│")[6] and "." in en.split("│")[6]  # required FTE, one decimal
