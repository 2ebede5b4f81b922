"""Importing a region table: every problem listed with its spreadsheet row, CSV and .xlsx
alike, the whole region checked, and an import that changes what the model computes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from bassplan.data import bundled_region_dir, load_region
from bassplan.data.imports import (
    ImportRejected,
    RowProblem,
    parse_table,
    region_with_overrides,
    table_rows,
)
from bassplan.data.workbook import export_workbook
from bassplan.domain.scenario import Scenario
from bassplan.model.evaluate import evaluate

STAFFING_HEADER = "specialty_id,site_id,specialist_fte,trainee_fte,vacant_fte,on_call_specialists"


def xlsx(rows: list[list[object]]) -> bytes:
    """A workbook whose first sheet holds ``rows`` (row 1 = header)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rejected(kind: str, filename: str, content: bytes, **kwargs: object) -> list[RowProblem]:
    with pytest.raises(ImportRejected) as info:
        parse_table(kind, filename, content, **kwargs)  # type: ignore[arg-type]
    assert "nothing was imported" in str(info.value)
    return list(info.value.problems)


def test_three_bad_rows_are_all_listed_with_row_and_field() -> None:
    content = "\n".join([
        STAFFING_HEADER,
        "kardiologi,suh_koege,12,4,1,12",      # row 2: fine
        "kardiologi,holbaek,-3,4,1,10",        # row 3: negative FTE
        "kardiologi,suh_koege,1,1,0,1",        # row 4: duplicate of row 2
        "geriatri,holbaek,3,1,0,3",            # row 5: fine
        "ortopædi,slagelse,2,1,0,2",           # row 6: unknown specialty
    ]).encode()
    problems = rejected("staffing", "staffing.csv", content)
    assert [(p.row, p.field) for p in problems] == [
        (3, "specialist_fte"), (4, "specialty_id+site_id"), (6, "specialty_id")]
    assert "-3 is negative" in problems[0].message
    assert "first in row 2" in problems[1].message
    assert "unknown specialty 'ortopædi'" in problems[2].message


def test_every_missing_column_is_listed() -> None:
    problems = rejected("staffing", "s.csv", b"specialty_id,site_id,fte\nkardiologi,holbaek,3\n")
    assert [(p.row, p.field) for p in problems] == [
        (1, "specialist_fte"), (1, "trainee_fte"), (1, "vacant_fte"), (1, "on_call_specialists")]


def test_a_row_with_too_many_cells_does_not_hide_the_others() -> None:
    content = f"{STAFFING_HEADER}\nkardiologi,holbaek,1,1,1,1,9\ngeriatri,holbaek,x,1,1,1\n"
    problems = rejected("staffing", "s.csv", content.encode())
    assert [(p.row, p.field) for p in problems] == [(2, "(row)"), (3, "specialist_fte")]


def test_file_type_and_encoding_problems_are_rejected() -> None:
    assert rejected("staffing", "s.xls", b"x")[0].message == "must be a .csv or .xlsx file"
    latin = f"{STAFFING_HEADER}\nkardiologi,næstved,1,1,1,1\n".encode("latin-1")
    [problem] = rejected("staffing", "s.csv", latin)
    assert (problem.row, problem.field) == (2, "(encoding)")
    [broken] = rejected("staffing", "s.xlsx", b"not a workbook")
    assert broken.field == "(file)" and "cannot be read as .xlsx" in broken.message


def test_xlsx_and_semicolon_csv_give_the_same_table_as_csv() -> None:
    rows: list[list[object]] = [
        STAFFING_HEADER.split(","),
        ["kardiologi", "suh_koege", 20, 6, 1.5, 20],
        ["geriatri", "holbaek", 4.2, 2, 0, 4],
    ]
    text = "\n".join(",".join(str(v) for v in r) for r in rows) + "\n"
    from_csv = parse_table("staffing", "staffing.csv", text.encode())
    from_semicolons = parse_table("staffing", "s.csv", text.replace(",", ";").encode("utf-8-sig"))
    from_xlsx = parse_table("staffing", "staffing.xlsx", xlsx(rows))
    assert from_csv.csv_text == text
    assert from_xlsx.csv_text == from_semicolons.csv_text == text
    assert from_xlsx.rows == 2 and from_xlsx.sha256 == from_csv.sha256


def test_xlsx_rows_are_numbered_as_excel_shows_them() -> None:
    problems = rejected("staffing", "s.xlsx", xlsx([
        STAFFING_HEADER.split(","),
        ["kardiologi", "suh_koege", 20, 6, 1, 20],
        [None] * 6,                                     # row 3: blank, skipped
        ["kardiologi", "holbaek", "ti", 1, 1, 1],       # row 4
    ]))
    assert [(p.row, p.field) for p in problems] == [(4, "specialist_fte")]


def test_a_good_staffing_import_changes_the_evaluated_fte() -> None:
    # two teams only: kardiologi at SUH Køge (20 specialists, 6 trainees) and geriatri at
    # Holbæk (4 and 3); a trainee counts 0.5 (trainee_productivity in parameters.csv)
    text = f"{STAFFING_HEADER}\nkardiologi,suh_koege,20,6,1,20\ngeriatri,holbaek,4,3,0,4\n"
    table = parse_table("staffing", "staffing.csv", text.encode())
    region = region_with_overrides({"staffing": table.csv_text})
    assert region.parameters.trainee_productivity == 0.5
    scenario = Scenario(name="basis", year=2021)
    fte = evaluate(region, scenario).workload.available_fte
    ids = [s.id for s in region.specialties]
    sites = [s.id for s in region.sites]
    expected = np.zeros_like(fte)
    expected[ids.index("kardiologi"), sites.index("suh_koege")] = 20 + 6 * 0.5
    expected[ids.index("geriatri"), sites.index("holbaek")] = 4 + 3 * 0.5
    np.testing.assert_allclose(fte, expected)
    bundled = evaluate(load_region(), scenario).workload.available_fte
    assert bundled[ids.index("kardiologi"), sites.index("suh_koege")] == pytest.approx(
        13.5 + 6.8 * 0.5)  # the bundled staffing.csv row 2, for contrast


def _population_rows() -> list[list[str]]:
    with (bundled_region_dir() / "population_by_age.csv").open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _csv(rows: list[list[str]]) -> bytes:
    return "".join(",".join(r) + "\n" for r in rows).encode()


def test_residents_import_moves_the_base_year_totals_with_it() -> None:
    rows = _population_rows()
    greve = [r for r in rows[1:] if r[0] == "253"]
    for r in greve:
        r[3] = str(int(r[3]) * 2)
    table = parse_table("residents", "befolkning.csv", _csv(rows))
    region = region_with_overrides({"residents": table.csv_text})
    i = [a.code for a in region.areas].index("253")
    doubled = sum(int(r[3]) for r in greve)
    assert region.population.residents[i].sum() == doubled
    assert region.population.known_totals[2021][i] == doubled
    assert region.population.known_totals[2023][i] == 51507  # later known totals stay


def test_residents_that_the_rates_do_not_cover_are_rejected() -> None:
    rows = _population_rows()
    codes = sorted({r[0] for r in rows[1:]})
    rows += [[code, "2021", "101", "1"] for code in codes]  # the rates end at age 100
    [problem] = rejected("residents", "befolkning.csv", _csv(rows))
    assert problem.row is None
    assert problem.message.startswith("rates.csv, row ") and "residents reach age 101" in (
        problem.message)


def test_residents_of_another_year_and_missing_ages() -> None:
    rows = [["area_code", "year", "age", "residents"], ["253", "2020", "0", "5"],
            ["253", "2021", "-1", "5"], ["999", "2021", "0", "5"]]
    problems = rejected("residents", "p.csv", _csv(rows))
    assert [(p.row, p.field) for p in problems] == [(2, "year"), (3, "age"), (4, "area_code")]
    assert "not the base year 2021" in problems[0].message


def test_rates_gaps_in_several_bands_are_all_listed() -> None:
    rows = (bundled_region_dir() / "rates.csv").read_text(encoding="utf-8").splitlines()
    kept = [rows[0]] + [r for k, r in enumerate(rows[1:], start=2) if k not in (3, 40)]
    problems = rejected("rates", "rates.csv", ("\n".join(kept) + "\n").encode())
    assert len(problems) == 2 and all("are not covered" in p.message for p in problems)


def test_travel_matrix_import_replaces_the_travel_model() -> None:
    base = load_region()
    lines = ["area_code,site_id,minutes,km"]
    expected = np.zeros((len(base.areas), len(base.sites)))
    for i, area in enumerate(base.areas):
        for j, site in enumerate(base.sites):
            expected[i, j] = 10 + i + 2 * j
            lines.append(f"{area.code},{site.id},{expected[i, j]:g},{expected[i, j]:g}")
    text = "\n".join(lines) + "\n"
    table = parse_table("travel_matrix", "rejsetid.csv", text.encode())
    assert table.rows == len(base.areas) * len(base.sites)
    region = region_with_overrides({"travel_matrix": table.csv_text})
    np.testing.assert_array_equal(region.travel_minutes, expected)
    assert "travel_matrix" in [p.name for p in region.provenance]
    [problem] = rejected("travel_matrix", "t.csv", ("\n".join(lines[:-1]) + "\n").encode())
    assert "1 of 187 pairs missing" in problem.message
    assert table_rows("travel_matrix") is None and table_rows("staffing") == 77


def test_the_exported_workbook_holds_every_table_and_imports_again(tmp_path: Path) -> None:
    text = f"{STAFFING_HEADER},illustrative\nkardiologi,suh_koege,20,6,1,20,no\n"
    staffing = parse_table("staffing", "staffing.csv", text.encode()).csv_text
    book = openpyxl.load_workbook(io.BytesIO(export_workbook(None, {"staffing": staffing})))
    assert book.sheetnames == [
        "SOURCES", "areas", "population_by_age", "area_totals", "sites", "organisations",
        "specialties", "staffing", "rates", "workload", "parameters", "length_of_stay", "morbidity",
        "dialysis_units", "fleet_co2", "life_table", "death_rates", "official_projection",
        "catchments"]
    assert book["staffing"].max_row == 2 and book["population_by_age"].max_row == 1718
    index = {r[0]: r for r in book["SOURCES"].iter_rows(min_row=2, values_only=True)}
    assert index["staffing"][1:] == (1, "imported in the dashboard (Data page)", "nej", "ja")
    assert index["rates"][1] == 7 * 4 * 18 + 18 and index["rates"][3:] == ("ja", "nej")
    # the sheet named after the table is the one read back, whatever sheet comes first
    path = tmp_path / "export.xlsx"
    book.save(path)
    again = parse_table("staffing", "export.xlsx", path.read_bytes())
    assert again.csv_text == staffing
    rates = parse_table("rates", "export.xlsx", path.read_bytes())
    own = list(csv.reader(io.StringIO((bundled_region_dir() / "rates.csv").read_text("utf-8"))))
    back = list(csv.reader(io.StringIO(rates.csv_text)))
    assert back[0] == own[0] and len(back) == len(own)  # Danish headers read back as columns
    per_1000 = own[0].index("per_1000")  # the same numbers, stored as numbers
    assert [float(r[per_1000]) for r in back[1:]] == [float(r[per_1000]) for r in own[1:]]
    assert [r[:per_1000] for r in back[1:]] == [r[:per_1000] for r in own[1:]]
