"""The sundhedsråd level: council figures are the sums and residents-weighted means of the
municipalities' own figures (``views.responsibility``), on the bundled Østdanmark."""

from __future__ import annotations

from collections import defaultdict

import pytest

from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.views.councils import council_records, council_rows
from bassplan.views.responsibility import responsibility_records
from tests.support.paths import EXAMPLES


def test_councils_add_up_to_their_municipalities() -> None:
    region = load_region("oestdanmark")
    ev = evaluate(region, load_scenario(EXAMPLES / "oestdanmark" / "geriatri_bornholm.yaml",
                                        region))
    rows = council_rows(ev)
    assert len(rows) == 6  # Østdanmark's six sundhedsråd (SOURCES.md)
    assert sum(len(r.area_codes) for r in rows) == 46
    assert sum(r.residents for r in rows) == pytest.approx(float(ev.residents.sum()))
    capital = next(r for r in rows if r.council == "Sundhedsråd Hovedstaden")
    assert set(capital.area_codes) == {"101", "147", "400"}  # København, Frederiksberg, Bornholm
    # by hand from the per-area records: residents-weighted minutes and share within 45
    per_area = [r for r in responsibility_records(ev)
                if r["area_code"] in capital.area_codes and r["specialty"] == "geriatri"]
    people = {str(r["area_code"]): float(ev.residents[region.area_index(str(r["area_code"]))])
              for r in per_area}
    total = sum(people.values())
    minutes = sum(people[str(r["area_code"])] * float(str(r["minutes"])) for r in per_area)
    within = sum(people[str(r["area_code"])] for r in per_area if r["within_45"])
    geri = next(e for e in capital.specialties if e.specialty_id == "geriatri")
    assert geri.minutes == pytest.approx(minutes / total, abs=0.01)
    assert geri.share_within_45 == pytest.approx(within / total)
    assert sum(share for _, share in geri.team_sites) == pytest.approx(1.0)
    # outpatient contacts: the councils' sum is the region's
    split = ev.allocation.outpatient
    by_spec: dict[str, float] = defaultdict(float)
    for record in council_records(ev):
        by_spec[str(record["specialty"])] += float(str(record["outpatient_contacts"]))
    for s, spec in enumerate(region.specialties):
        expected = float((split.in_person + split.digital)[:, s, :].sum())
        assert by_spec[spec.id] == pytest.approx(expected, abs=0.1 * len(rows))


def test_a_region_without_councils_has_no_council_rows() -> None:
    from dataclasses import replace

    region = replace(load_region("oestdanmark"), councils=None)
    ev = evaluate(region, load_scenario(EXAMPLES / "oestdanmark" / "baseline.yaml", region))
    assert council_rows(ev) == []
