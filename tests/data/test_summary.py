"""check_region_dir and describe_region: what `bass data check` / `bass data show` print."""

from __future__ import annotations

import pytest

from bassplan.data import check_region_dir, describe_region, load_region
from bassplan.domain.errors import InputError


def test_check_bundled_region() -> None:
    lines = check_region_dir(None)
    text = "\n".join(lines)
    assert lines[0] == "region: Region Sjælland (base year 2021)"
    assert "areas: 17, residents 2021: 838,840" in text
    assert "sites: 11 (4 active acute), organisations: 4" in text
    assert "specialties: 7" in text
    assert "travel matrix: none" in text
    assert "illustrative inputs:" in text and "staffing" in text


def test_check_broken_copy_raises(region_copy) -> None:
    region_copy.edit("areas", 2, "lat", "abc")
    with pytest.raises(InputError, match=r"areas\.csv, row 2: field 'lat': 'abc' is not a number"):
        check_region_dir(region_copy.path)


def test_describe_region_tables() -> None:
    region = load_region()
    views = {v.title.split(" (")[0]: v for v in describe_region(region)}
    assert set(views) == {
        "Region",
        "Areas",
        "Sites",
        "Organisations",
        "Specialties",
        "Parameters",
        "Provenance",
    }
    for view in views.values():
        assert all(len(row) == len(view.columns) for row in view.rows)
    areas = views["Areas"]
    assert len(areas.rows) == 17
    koege = next(r for r in areas.rows if r[0] == "259")
    assert koege[1] == "Køge" and koege[4] == "61,475"
    specialties = views["Specialties"]
    assert next(r[0] for r in specialties.rows) == "kardiologi"
    # admissions per year of the seven specialties add up to 152 × 0.30 per 1,000 × 838,840
    admissions = sum(float(r[5].replace(",", "")) for r in specialties.rows)
    assert admissions == pytest.approx(38_251, rel=0.001)
    params = {r[0]: r for r in views["Parameters"].rows}
    assert params["cost_per_fte_dkk"][1] == "1300000"
    assert params["co2_g_per_km"][3] == "no"
