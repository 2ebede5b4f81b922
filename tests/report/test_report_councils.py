"""The report's sundhedsråd section: one row per council with the council view's figures."""

from __future__ import annotations

from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.report.html import build_report_context, render_report
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.score import score
from bassplan.views.councils import council_rows
from bassplan.views.formatting import format_number
from tests.support.paths import EXAMPLES


def test_report_has_a_row_per_sundhedsraad_and_bornholm_in_an_inset() -> None:
    region = load_region("oestdanmark")
    ev = evaluate(region, load_scenario(EXAMPLES / "oestdanmark" / "geriatri_bornholm.yaml",
                                        region))
    context = build_report_context(ev, score(ev, load_indicators()), lang="en")
    rows = council_rows(ev)
    assert [c[0] for c in context.councils] == [r.council for r in rows]
    assert [c[1] for c in context.councils] == [format_number(r.residents, "en") for r in rows]
    assert len(context.council_columns) == 2 + 7
    html = render_report(context)
    assert 'id="councils"' in html
    assert "Sundhedsråd Hovedstaden" in html
    assert 'class="inset"' in html  # Bornholm's map inset
