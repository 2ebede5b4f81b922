"""load_region on the bundle and on copies of it with one broken cell each."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from bassplan.data import bundled_region_dir, load_region, load_travel_matrix
from bassplan.domain.errors import InputError
from bassplan.domain.region import Region
from bassplan.domain.vocabulary import CONTACT_TYPES


def test_bundle_counts(bundled: Region) -> None:
    assert len(bundled.areas) == 17
    assert bundled.population.base_year == 2021
    # 838,840 residents on 1 January 2021 (SOURCES.md, the region total)
    assert bundled.population.residents.sum() == 838_840
    assert len(bundled.sites) == 11
    assert int(bundled.acute_mask.sum()) == 4
    acute_ids = {s.id for s, m in zip(bundled.sites, bundled.acute_mask, strict=True) if m}
    assert acute_ids == {"suh_koege", "holbaek", "slagelse", "suh_nykobing_f"}
    hospital_orgs = {s.organisation_id for s in bundled.sites if s.acute and s.active}
    assert hospital_orgs == {"suh", "holbaek", "nsr"}
    assert len(bundled.specialties) == 7
    assert [s.id for s in bundled.specialties] == [
        "kardiologi",
        "lungemedicin",
        "endokrinologi",
        "gastromedicin",
        "reumatologi",
        "nefrologi",
        "geriatri",
    ]


def test_bundle_shapes_and_totals(bundled: Region) -> None:
    a, j, s = len(bundled.areas), len(bundled.sites), len(bundled.specialties)
    n_ages = len(bundled.population.ages)
    assert bundled.population.ages[0] == 0 and bundled.population.ages[-1] == 100
    assert bundled.population.residents.shape == (a, n_ages)
    assert bundled.rates.per_1000.shape == (s, len(CONTACT_TYPES), n_ages)
    assert bundled.staffing.specialist_fte.shape == (s, j)
    assert bundled.workload.minutes.shape == (s, len(CONTACT_TYPES))
    # 2023 total of the region (SOURCES.md: sum 849,857)
    assert bundled.population.known_totals[2023].sum() == 849_857
    # Slagelse 2021 = 79,122 (SOURCES.md check against Slagelse Kommune)
    assert bundled.population.residents[bundled.area_index("330")].sum() == 79_122
    assert bundled.area_shapes is not None and len(bundled.area_shapes) == 17
    assert bundled.travel_minutes is None


def test_bundle_sites_and_organisations(bundled: Region) -> None:
    ringsted = bundled.sites[bundled.site_index("ringsted")]
    assert not ringsted.active and not ringsted.acute and ringsted.organisation_id == "nsr"
    for site_id in ("nakskov", "kalundborg", "faxe", "vordingborg"):
        site = bundled.sites[bundled.site_index(site_id)]
        assert site.active and not site.acute and site.organisation_id == "region"
    koege = bundled.sites[bundled.site_index("suh_koege")]
    assert koege.coord_note == "address point (third-party)"
    assert bundled.sites[bundled.site_index("holbaek")].coord_note.startswith("town centre")
    orgs = {o.id: set(o.site_ids) for o in bundled.organisations}
    assert orgs["suh"] == {"suh_koege", "suh_roskilde", "suh_nykobing_f"}
    assert orgs["nsr"] == {"naestved", "slagelse", "ringsted"}
    assert orgs["holbaek"] == {"holbaek"}


def test_bundle_staffing_only_at_active_acute_sites(bundled: Region) -> None:
    fte = bundled.staffing.specialist_fte
    assert (fte[:, ~bundled.acute_mask] == 0).all()
    assert (fte[:, bundled.acute_mask] > 0).all()
    # Køge (catchment 265,000) has more than Nykøbing F. (150,000) in every specialty
    k, n = bundled.site_index("suh_koege"), bundled.site_index("suh_nykobing_f")
    assert (fte[:, k] > fte[:, n]).all()
    # cardiology: 3.5 per 100,000 (2000) × 290/204.8 (all specialists per 100,000, 2021
    # against 2000) × 838,840 = 41.57 FTE over the four sites (rounded each)
    assert fte[bundled.specialty_index("kardiologi")].sum() == pytest.approx(41.57, abs=0.2)
    assert bundled.staffing.illustrative


def test_bundle_parameters_and_provenance(bundled: Region) -> None:
    assert bundled.parameters.hours_per_week == 37
    assert bundled.parameters.holiday_weeks == 6
    assert bundled.parameters.co2_g_per_km == 141
    assert not bundled.parameters.record("co2_g_per_km").illustrative
    assert bundled.parameters.record("cost_per_fte_dkk").illustrative
    names = {p.name for p in bundled.provenance}
    assert {"areas", "population_by_age", "rates", "staffing", "workload", "parameters"} <= names
    assert "staffing" in bundled.illustrative_inputs
    assert "workload" in bundled.illustrative_inputs
    assert "areas" not in bundled.illustrative_inputs
    assert all(p.source for p in bundled.provenance)


def test_danish_letters_round_trip(bundled: Region) -> None:
    assert bundled.name == "Region Sjælland"
    names = {a.code: a.name for a in bundled.areas}
    assert names["259"] == "Køge"
    assert names["316"] == "Holbæk"
    assert names["269"] == "Solrød"
    assert bundled.sites[bundled.site_index("holbaek")].name == "Holbæk Sygehus"
    assert "Næstved" in bundled.organisations[2].name
    assert bundled.area_shapes is not None


def test_danish_letters_in_a_changed_copy(region_copy) -> None:
    row = region_copy.find("areas", area_code="253")
    region_copy.edit("areas", row, "name", "Æblerød Å-ø")
    assert load_region(region_copy.path).areas[0].name == "Æblerød Å-ø"


def test_bundled_dir_is_a_package_directory() -> None:
    path = bundled_region_dir()
    assert (path / "region.yaml").is_file()
    assert (path / "sources" / "SOURCES.md").is_file()
    total = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    assert total < 2_000_000


def test_unchanged_copy_loads(region_copy) -> None:
    region = load_region(region_copy.path)
    assert region.population.residents.sum() == 838_840


def expect_error(path: Path, *parts: str) -> InputError:
    with pytest.raises(InputError) as info:
        load_region(path)
    message = str(info.value)
    for part in parts:
        assert part in message, message
    return info.value


def test_unknown_site_in_staffing(region_copy) -> None:
    row = region_copy.find("staffing", specialty_id="kardiologi", site_id="holbaek")
    region_copy.edit("staffing", row, "site_id", "holbaek_nord")
    err = expect_error(region_copy.path, "staffing.csv", f"row {row}", "site_id", "holbaek_nord")
    assert err.where == f"row {row}" and err.field == "site_id"


def test_negative_residents(region_copy) -> None:
    region_copy.edit("population_by_age", 5, "residents", "-3")
    err = expect_error(region_copy.path, "population_by_age.csv", "row 5", "residents", "negative")
    assert err.field == "residents"


def test_rate_that_is_not_a_number(region_copy) -> None:
    region_copy.edit("rates", 7, "per_1000", "tolv")
    expect_error(region_copy.path, "rates.csv", "row 7", "per_1000", "'tolv' is not a number")


def test_rate_with_a_decimal_comma(region_copy) -> None:
    region_copy.edit("rates", 3, "per_1000", "5,3")
    expect_error(region_copy.path, "rates.csv", "row 3", "'5,3' is not a number")


def test_unknown_municipality_in_population(region_copy) -> None:
    region_copy.edit("population_by_age", 10, "area_code", "999")
    expect_error(
        region_copy.path, "population_by_age.csv", "row 10", "area_code", "unknown area '999'"
    )


def test_unknown_municipality_in_sites(region_copy) -> None:
    region_copy.edit("sites", 3, "area_code", "0316")
    expect_error(region_copy.path, "sites.csv", "row 3", "area_code", "unknown area '0316'")


def test_unknown_municipality_in_area_totals(region_copy) -> None:
    region_copy.edit("area_totals", 4, "area_code", "101")
    expect_error(region_copy.path, "area_totals.csv", "row 4", "unknown area '101'")


def test_area_totals_must_match_base_year(region_copy) -> None:
    row = region_copy.find("area_totals", area_code="330", year="2021")
    region_copy.edit("area_totals", row, "residents", "79000")
    expect_error(region_copy.path, "area_totals.csv", f"row {row}", "differs from the 79122")


def test_population_missing_an_age(region_copy) -> None:
    row = region_copy.find("population_by_age", area_code="259", age="57")
    region_copy.drop_row("population_by_age", row)
    expect_error(region_copy.path, "population_by_age.csv", "area '259' has no row for age 57")


def travel_rows(region: Region) -> list[list[str]]:
    """A complete matrix: minutes = 10 × (area index + 1) + site index, km = minutes."""
    rows = [["area_code", "site_id", "minutes", "km"]]
    for i, a in enumerate(region.areas):
        for j, s in enumerate(region.sites):
            value = str(10 * (i + 1) + j)
            rows.append([a.code, s.id, value, value])
    return rows


def test_travel_matrix_loads_in_region_order(region_copy) -> None:
    region = load_region(region_copy.path)
    region_copy.write("travel_matrix", travel_rows(region))
    loaded = load_region(region_copy.path)
    assert loaded.travel_minutes is not None and loaded.travel_km is not None
    a, j = len(region.areas), len(region.sites)
    expected = 10 * (np.arange(a)[:, None] + 1) + np.arange(j)[None, :]
    assert np.array_equal(loaded.travel_minutes, expected)
    _minutes, km = load_travel_matrix(region_copy.file("travel_matrix"), region)
    assert np.array_equal(km, expected)


def test_travel_matrix_missing_a_pair(region_copy) -> None:
    region = load_region(region_copy.path)
    rows = travel_rows(region)
    rows = [r for r in rows if not (r[0] == "390" and r[1] == "faxe")]
    region_copy.write("travel_matrix", rows)
    expect_error(region_copy.path, "travel_matrix.csv", "missing the pair area '390' × site 'faxe'")
    with pytest.raises(InputError, match="missing the pair"):
        load_travel_matrix(region_copy.file("travel_matrix"), region)


def test_travel_matrix_unknown_municipality(region_copy) -> None:
    region = load_region(region_copy.path)
    rows = travel_rows(region)
    rows[4][0] = "411"  # rows[0] is the header (row 1): rows[4] is row 5
    region_copy.write("travel_matrix", rows)
    expect_error(region_copy.path, "travel_matrix.csv", "row 5", "area_code", "unknown area '411'")


def test_duplicate_site_id(region_copy) -> None:
    region_copy.edit("sites", 4, "site_id", "holbaek")
    expect_error(region_copy.path, "sites.csv", "row 4", "duplicate 'holbaek' (first in row 3)")


def test_duplicate_area_code(region_copy) -> None:
    region_copy.edit("areas", 3, "area_code", "253")
    expect_error(region_copy.path, "areas.csv", "row 3", "duplicate '253'")


def test_duplicate_staffing_pair(region_copy) -> None:
    rows = region_copy.read("staffing")
    number = region_copy.append("staffing", rows[1])
    expect_error(
        region_copy.path, "staffing.csv", f"row {number}", "duplicate 'kardiologi, suh_koege'"
    )


def test_non_utf8_text(region_copy) -> None:
    path = region_copy.file("areas")
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp1252"))  # 'Køge' becomes a single byte 0xf8
    row = 1 + next(k for k, line in enumerate(text.splitlines()) if "ø" in line)  # header = row 1
    expect_error(region_copy.path, "areas.csv", f"row {row}", "not UTF-8")


def test_empty_file(region_copy) -> None:
    region_copy.file("workload").write_text("", encoding="utf-8")
    expect_error(region_copy.path, "workload.csv", "the file is empty")


def test_header_only_file(region_copy) -> None:
    region_copy.file("specialties").write_text(
        "specialty_id,name_da,name_en,min_team_fte\n", encoding="utf-8"
    )
    expect_error(region_copy.path, "specialties.csv", "no data rows")


def test_missing_required_column(region_copy) -> None:
    region_copy.drop_column("population_by_age", "residents")
    err = expect_error(
        region_copy.path, "population_by_age.csv", "residents", "required column is missing"
    )
    assert err.field == "residents" and err.where == "row 1"


def test_missing_required_table(region_copy) -> None:
    region_copy.file("staffing").unlink()
    expect_error(region_copy.path, "staffing.csv", "required table is missing")


def test_age_band_gap(region_copy) -> None:
    row = region_copy.find("rates", specialty_id="nefrologi", contact_type="consult", age_from="25")
    region_copy.edit("rates", row, "age_from", "26")
    expect_error(
        region_copy.path, "rates.csv", f"row {row}", "age_from", "ages 25-25 are not covered"
    )


def test_age_band_overlap(region_copy) -> None:
    row = region_copy.find(
        "rates", specialty_id="geriatri", contact_type="admission", age_from="40"
    )
    region_copy.edit("rates", row, "age_from", "38")
    expect_error(region_copy.path, "rates.csv", f"row {row}", "overlaps the band before it")


def test_age_bands_ending_too_early(region_copy) -> None:
    row = region_copy.find(
        "rates", specialty_id="kardiologi", contact_type="follow_up", age_from="95"
    )
    region_copy.edit("rates", row, "age_to", "99")
    expect_error(region_copy.path, "rates.csv", f"row {row}", "bands end at age 99")


def test_rates_missing_a_contact_type(region_copy) -> None:
    rows = region_copy.read("rates")
    kept = [r for r in rows if not (r[0] == "reumatologi" and r[1] == "consult")]
    region_copy.write("rates", kept)
    expect_error(
        region_copy.path,
        "rates.csv",
        "no rates for specialty 'reumatologi', contact type 'consult'",
    )


def test_unknown_contact_type(region_copy) -> None:
    region_copy.edit("workload", 2, "contact_type", "visit")
    expect_error(region_copy.path, "workload.csv", "row 2", "unknown contact type 'visit'")


def test_share_outside_0_1(region_copy) -> None:
    row = region_copy.find("parameters", key="category_allowance")
    region_copy.edit("parameters", row, "value", "1.25")
    expect_error(
        region_copy.path, "parameters.csv", f"row {row}", "value", "share 1.25 is outside 0..1"
    )


def test_missing_parameter(region_copy) -> None:
    region_copy.drop_row("parameters", region_copy.find("parameters", key="detour_factor"))
    expect_error(
        region_copy.path, "parameters.csv", "detour_factor", "required parameter is missing"
    )


@pytest.mark.parametrize(("column", "value"), [("lat", "95.2"), ("lon", "-181")])
def test_area_lat_lon_out_of_range(region_copy, column: str, value: str) -> None:
    region_copy.edit("areas", 6, column, value)
    expect_error(region_copy.path, "areas.csv", "row 6", column, "is outside")


def test_site_lat_out_of_range(region_copy) -> None:
    region_copy.edit("sites", 2, "lat", "-90.5")
    expect_error(region_copy.path, "sites.csv", "row 2", "lat", "-90.5 is outside -90..90")


def test_acute_must_be_yes_or_no(region_copy) -> None:
    region_copy.edit("sites", 2, "acute", "maybe")
    expect_error(region_copy.path, "sites.csv", "row 2", "acute", "'maybe' is not yes or no")


def test_site_in_unknown_organisation(region_copy) -> None:
    region_copy.edit("sites", 3, "organisation_id", "zuh")
    expect_error(
        region_copy.path, "sites.csv", "row 3", "organisation_id", "unknown organisation 'zuh'"
    )


def test_organisation_with_unknown_site(region_copy) -> None:
    row = region_copy.find("organisations", organisation_id="holbaek")
    region_copy.edit("organisations", row, "site_ids", "holbaek;odsherred")
    expect_error(region_copy.path, "organisations.csv", f"row {row}", "unknown site 'odsherred'")


def test_population_year_must_be_base_year(region_copy) -> None:
    region_copy.edit("population_by_age", 2, "year", "2020")
    expect_error(region_copy.path, "population_by_age.csv", "row 2", "not the base year 2021")


def test_region_yaml_unknown_key(region_copy) -> None:
    path = region_copy.path / "region.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    expect_error(region_copy.path, "region.yaml", "colour", "unknown key")


def test_geojson_with_unknown_area(region_copy) -> None:
    path = region_copy.path / "areas.geojson"
    path.write_text(
        path.read_text(encoding="utf-8").replace('"area_code":"390"', '"area_code":"0390"'),
        encoding="utf-8",
    )
    expect_error(region_copy.path, "areas.geojson", "area_code", "unknown area '0390'")


def test_not_a_directory(tmp_path: Path) -> None:
    expect_error(tmp_path / "nowhere", "not a directory")


def write_xlsx(csv_path: Path) -> Path:
    """Replace a CSV table by an .xlsx with the same cells (numbers as numbers)."""
    book = openpyxl.Workbook()
    sheet = book.active
    with csv_path.open(encoding="utf-8", newline="") as handle:
        for k, values in enumerate(csv.reader(handle)):
            cells: list[object] = []
            for v in values:
                try:
                    cells.append(float(v) if k and v and not v.isalpha() else v)
                except ValueError:
                    cells.append(v)
            sheet.append(cells)
    target = csv_path.with_suffix(".xlsx")
    book.save(target)
    csv_path.unlink()
    return target


def test_tables_may_be_excel(region_copy) -> None:
    for table in ("areas", "sites", "staffing", "parameters"):
        write_xlsx(region_copy.file(table))
    loaded = load_region(region_copy.path)
    bundled = load_region()
    assert [a.code for a in loaded.areas] == [a.code for a in bundled.areas]  # 253.0 -> "253"
    assert [a.name for a in loaded.areas] == [a.name for a in bundled.areas]  # æ ø å kept
    assert [s.name for s in loaded.sites] == [s.name for s in bundled.sites]
    assert np.array_equal(loaded.staffing.specialist_fte, bundled.staffing.specialist_fte)
    assert loaded.parameters.co2_g_per_km == 141


def test_excel_errors_name_the_row(region_copy) -> None:
    target = write_xlsx(region_copy.file("staffing"))
    book = openpyxl.load_workbook(target)
    book.active.cell(row=9, column=3).value = -2.0  # specialist_fte in sheet row 9
    book.save(target)
    expect_error(region_copy.path, "staffing.xlsx", "row 9", "specialist_fte", "negative")


def test_csv_and_xlsx_of_one_table(region_copy) -> None:
    shutil.copyfile(region_copy.file("areas"), region_copy.path / "keep.csv")
    write_xlsx(region_copy.file("areas"))
    shutil.copyfile(region_copy.path / "keep.csv", region_copy.file("areas"))
    expect_error(region_copy.path, "both areas.csv and areas.xlsx")
