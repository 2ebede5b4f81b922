"""The projection's tables: the life table, the death rates ahead and the official projection
— read as bundled against their published figures, every broken rule named by file, row,
field and rule, and imported in the dashboard like the other optional tables."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from bassplan.data import load_region
from bassplan.data.imports import ImportRejected, parse_table, region_with_overrides
from bassplan.domain.demography import PathKind
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.scenario import Scenario
from bassplan.model.evaluate import evaluate
from tests.data.conftest import RegionCopy
from tests.support.paths import SHARED

OFFICIAL_FILE = SHARED / "region_oestdanmark_population_projection_2026_2040.csv"


def expect(path: Path, *parts: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_region(path)
    for part in parts:
        assert part in str(info.value), str(info.value)
    return info.value


def life_expectancy(mx: np.ndarray) -> float:
    """Years lived from birth at these single-age rates, constant within each age, the last
    age open (L = l / m)."""
    closed = mx[:-1]
    survivors = np.exp(-np.concatenate([[0.0], np.cumsum(closed)]))
    lived = np.where(closed > 0, -np.expm1(-closed) / np.where(closed > 0, closed, 1.0), 1.0)
    return float((survivors[:-1] * lived).sum() + survivors[-1] / mx[-1])


def test_bundled_life_table_gives_the_published_life_expectancy(bundled: Region) -> None:
    table = bundled.population.life_table
    assert table is not None and table.year == 2019 and table.sexes == ("F", "M")
    assert table.mx.shape == (2, 111)  # ages 0-109 and 110+
    # HMD Denmark 2019: e0 men 79.44, women 83.42 (SOURCES.md)
    assert life_expectancy(table.mx[1]) == pytest.approx(79.44, abs=0.02)
    assert life_expectancy(table.mx[0]) == pytest.approx(83.42, abs=0.02)


def test_bundled_death_rates_are_wpp_2024(bundled: Region) -> None:
    trend = bundled.population.trend
    assert trend is not None and trend.series == "WPP 2024"
    np.testing.assert_array_equal(trend.period_from, [2015, 2020, 2025, 2030, 2035, 2040, 2045])
    assert trend.band_from[:3].tolist() == [0, 1, 5] and trend.band_from[-1] == 100
    # denmark_mortality_wpp2024_5yr.csv: 2020-2025, F, 100+: 0.4838285
    assert trend.mx[1, trend.sexes.index("F"), -1] == 0.4838285


@pytest.mark.skipif(not OFFICIAL_FILE.is_file(), reason="shared/data not beside the repo")
def test_bundled_official_projection_is_frkm126_for_the_17_municipalities(
    bundled: Region,
) -> None:
    official = bundled.population.official
    assert official is not None and official.name == "FRKM126"
    assert official.years.tolist() == list(range(2026, 2041))
    assert official.band_from.tolist() == [0, 6, 17, 20, 35, 65, 80]
    with OFFICIAL_FILE.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["region_until_2026"] == "Region Sjælland"]
    codes = [a.code for a in bundled.areas]
    assert sorted({r["kommunekode"] for r in rows}) == sorted(codes)
    for year, column, band in ((2026, "pop_80plus", 6), (2040, "pop_65_79", 5)):
        theirs = {r["kommunekode"]: float(r[column]) for r in rows if r["year"] == str(year)}
        row = official.years.tolist().index(year)
        np.testing.assert_array_equal(official.residents[row][:, band], [theirs[c] for c in codes])
    # 80+ in Region Sjælland, 2026: 59,033 (the file's 17 rows summed)
    assert official.residents[0][:, 6].sum() == 59_033


def test_life_table_rules(region_copy: RegionCopy) -> None:
    region_copy.edit("life_table", 5, "mx", "-0.1")
    expect(region_copy.path, "life_table.csv", "row 5", "mx", "negative")
    region_copy.edit("life_table", 5, "mx", "12")
    expect(region_copy.path, "row 5", "mx", "above 10")
    region_copy.edit("life_table", 5, "mx", "0.001")
    region_copy.edit("life_table", 7, "sex", "X")
    expect(region_copy.path, "row 7", "sex", "unknown sex 'X'")
    region_copy.edit("life_table", 7, "sex", "M")
    region_copy.edit("life_table", 9, "year", "2018")
    expect(region_copy.path, "row 9", "year", "one year")
    region_copy.edit("life_table", 9, "year", "2019")
    row = region_copy.find("life_table", sex="F", age="50")
    region_copy.drop_row("life_table", row)
    expect(region_copy.path, "life_table.csv", "age", "sex 'F' has no row for age 50")


def test_death_rates_rules(region_copy: RegionCopy) -> None:
    row = region_copy.find("death_rates", period_from="2020", sex="M", age_from="5")
    region_copy.edit("death_rates", row, "period_to", "2019")
    expect(region_copy.path, "death_rates.csv", f"row {row}", "period_to", "not after")
    region_copy.edit("death_rates", row, "period_to", "2025")
    region_copy.edit("death_rates", row, "age_from", "7")
    expect(region_copy.path, "death_rates.csv", f"row {row}", "age_from",
           "7 is not a band start of period 2015, sex 'M'")
    region_copy.drop_row("death_rates", row)
    expect(region_copy.path, "death_rates.csv", "age_from",
           "period 2020, sex 'M' has no row for the band from age 5")
    region_copy.file("life_table").unlink()
    expect(region_copy.path, "death_rates.csv", "no life_table")


def test_official_projection_rules(region_copy: RegionCopy) -> None:
    row = region_copy.find("official_projection", area_code="253", year="2027", age_from="6")
    region_copy.edit("official_projection", row, "year", "2021")
    expect(region_copy.path, "official_projection.csv", f"row {row}", "year",
           "not after the population base year 2021")
    region_copy.edit("official_projection", row, "year", "2027")
    region_copy.edit("official_projection", row, "area_code", "999")
    expect(region_copy.path, f"row {row}", "area_code", "unknown area '999'")
    region_copy.edit("official_projection", row, "area_code", "253")
    region_copy.edit("official_projection", row, "age_to", "15")
    expect(region_copy.path, f"row {row}", "age_to", "the band from age 6 ends at 16")
    region_copy.edit("official_projection", row, "age_to", "16")
    region_copy.drop_row("official_projection", row)
    expect(region_copy.path, "official_projection.csv", "area_code",
           "year 2027 has no row for area '253' and the band from age 6")


def test_official_bands_must_cover_every_age(region_copy: RegionCopy) -> None:
    rows = region_copy.read("official_projection")
    header = rows[0]
    last = [r for r in rows if r[header.index("age_from")] == "80"]
    for r in last:
        r[header.index("age_to")] = "99"
    region_copy.write("official_projection", rows)
    expect(region_copy.path, "age_to", "the last band ends at 99, below the population's top "
           "age 100")


OFFICIAL_2030 = "projection,area_code,year,age_from,age_to,residents\n"


def _official_rows(region: Region, value: float) -> str:
    """An official projection for 2030 only: every area, two bands (0-79, 80+)."""
    lines = [OFFICIAL_2030.strip()]
    for a in region.areas:
        lines += [f"TEST,{a.code},2030,0,79,40000", f"TEST,{a.code},2030,80,,{value:g}"]
    return "\n".join(lines) + "\n"


def test_an_imported_official_projection_gives_its_years(bundled: Region) -> None:
    text = _official_rows(bundled, 5000)
    done = parse_table("official_projection", "fremskrivning.csv", text.encode())
    assert done.rows == 2 * len(bundled.areas)
    region = region_with_overrides({"official_projection": done.csv_text})
    e = evaluate(region, Scenario(name="t", year=2030))
    assert e.population.path.kind is PathKind.OFFICIAL and e.population.path.official == "TEST"
    np.testing.assert_allclose(e.population.residents[:, 80:].sum(axis=1), 5000.0)
    np.testing.assert_allclose(e.residents, 45000.0)
    later = evaluate(region, Scenario(name="t", year=2031)).population.path
    assert later.kind is PathKind.COHORT and later.last_known == 2030


def test_a_broken_official_projection_import_lists_every_row(bundled: Region) -> None:
    text = (OFFICIAL_2030 + "TEST,253,2030,0,79,40000\n"  # row 2: fine
            "TEST,999,2030,80,,100\n"  # row 3: unknown area
            "TEST,253,2020,80,,100\n"  # row 4: before the base year
            "TEST,253,2030,80,,-1\n")  # row 5: negative
    with pytest.raises(ImportRejected) as info:
        parse_table("official_projection", "fremskrivning.csv", text.encode())
    rows = [(p.row, p.field) for p in info.value.problems]
    assert rows == [(3, "area_code"), (4, "year"), (5, "residents")]
    # rows that are each fine but leave areas out: the region would not load
    with pytest.raises(ImportRejected, match="has no row for area"):
        parse_table("official_projection", "f.csv", (OFFICIAL_2030
                                                     + "TEST,253,2030,0,,1\n").encode())


def test_life_table_import_is_checked_row_by_row() -> None:
    text = "year,sex,age,mx\n2019,T,0,0.01\n2019,Q,1,0.02\n2019,T,2,-1\n"
    with pytest.raises(ImportRejected) as info:
        parse_table("life_table", "doedelighed.csv", text.encode())
    assert [(p.row, p.field) for p in info.value.problems] == [(3, "sex"), (4, "mx")]
