"""Region Sjælland alone beside Østdanmark over the same residents: the Østdanmark figures
restricted to the 17 former Region Sjælland municipalities, checked against sums over
the per-municipality JSON and the sites of the former region."""

from __future__ import annotations

import json
from collections import defaultdict

import numpy as np
import pytest
from typer.testing import CliRunner

from bassplan.cli.main import app
from bassplan.data import load_region, load_scenario
from bassplan.domain.scenario import Scenario
from bassplan.model.evaluate import evaluate
from bassplan.views.records import headlines
from bassplan.views.same_residents import area_headlines, same_residents
from tests.support.paths import EXAMPLES
from tests.support.toy import toy_region

ALONE = EXAMPLES / "kardiologi_styrkepositioner.yaml"
ACROSS = EXAMPLES / "oestdanmark" / "kardiologi_paa_tvaers.yaml"


def _by_hand(records: list[dict[str, object]], codes: set[str]) -> dict[str, tuple[float, float]]:
    """Per specialty, (residents-weighted mean minutes, share within 45) over ``codes``."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for r in records:
        if r["area_code"] in codes:
            people = float(r["residents"])  # type: ignore[arg-type]
            entry = sums[str(r["specialty"])]
            entry[0] += people
            entry[1] += people * float(r["minutes"])  # type: ignore[arg-type]
            entry[2] += people * bool(r["within_45"])
    return {s: (m / p, w / p) for s, (p, m, w) in sums.items()}


def test_compare_json_restricts_oestdanmark_to_the_17_municipalities() -> None:
    result = CliRunner().invoke(app, ["compare", str(ALONE), str(ACROSS), "--region",
                                      "sjaelland", "--second-region", "oestdanmark",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    view = payload["same_residents"]
    first_codes = {str(r["area_code"]) for r in payload["first"]["responsibility"]}
    assert len(first_codes) == 17 and set(view["area_codes"]) == first_codes
    assert view["restricted"] is True
    expected = _by_hand(payload["second"]["responsibility"], first_codes)
    whole = {h["specialty_id"]: h for h in payload["second"]["specialties"]}
    moved = 0
    for row in view["second"]:
        mean, within = expected[row["specialty_id"]]
        assert row["mean_minutes"] == pytest.approx(mean, abs=0.01)  # JSON minutes: 2 places
        assert row["share_within_45"] == pytest.approx(within, abs=1e-9)
        moved += abs(row["mean_minutes"] - whole[row["specialty_id"]]["mean_minutes"]) > 0.5
    assert moved >= 1  # over all 46 municipalities the figures are others
    # Region Sjælland holds only the 17: its side is its own headline
    for row, head in zip(view["first"], payload["first"]["specialties"], strict=True):
        assert row["mean_minutes"] == pytest.approx(head["mean_minutes"], rel=1e-12)
        assert row["share_within_45"] == pytest.approx(head["share_within_45"], rel=1e-12)
        assert row["available_fte"] == pytest.approx(head["available_fte"], rel=1e-12)


def test_staff_at_the_former_regions_sites_and_same_residents() -> None:
    alone, across = load_region("sjaelland"), load_region("oestdanmark")
    ev_a = evaluate(alone, load_scenario(ALONE, alone))
    ev_b = evaluate(across, load_scenario(ACROSS, across))
    view = same_residents(ev_a, ev_b)
    assert view is not None
    # FTE at Region Sjælland's own sites (by site id) in the Østdanmark evaluation
    former = [j for j, site in enumerate(across.sites) if site.id in {s.id for s in alone.sites}]
    available = np.nansum(ev_b.workload.available_fte[:, former], axis=1)
    codes = set(view.area_codes)
    inside = [a for a, area in enumerate(across.areas) if area.code in codes]
    for s, row in enumerate(view.second):
        assert row.available_fte == pytest.approx(float(available[s]), rel=1e-12)
        assert row.residents == pytest.approx(float(ev_b.residents[inside].sum()), rel=1e-12)
    # restricted to every area, the figures are the headline's
    all_codes = tuple(area.code for area in across.areas)
    for row, head in zip(area_headlines(ev_b, all_codes), headlines(ev_b), strict=True):
        assert row.mean_minutes == pytest.approx(head.mean_minutes, rel=1e-12)
        assert row.p90_minutes == pytest.approx(head.p90_minutes, rel=1e-12)
        assert row.available_fte == pytest.approx(head.available_fte, rel=1e-12)
        assert row.required_fte == pytest.approx(head.required_fte, rel=1e-12)


def test_regions_without_a_shared_municipality_have_no_view() -> None:
    region = load_region("sjaelland")
    ev = evaluate(region, load_scenario(ALONE, region))
    toy = evaluate(toy_region(), Scenario(name="toy", year=2021))
    assert same_residents(ev, toy) is None
    whole = same_residents(ev, ev)  # one region beside itself: nothing left out
    assert whole is not None and whole.restricted is False and len(whole.area_codes) == 17
