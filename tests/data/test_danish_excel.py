"""Excel the way Danes use it: a semicolon CSV with decimal commas (and dot-grouped
thousands) reads as the comma CSV does, a workbook's text cells may have decimal commas, an
ambiguous '1.234' is refused with the row and field named; the Excel export has Danish
headers that import again, widths, a frozen header, filters, and numbers stored as numbers."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from bassplan.data import bundled_region_dir, load_region
from bassplan.data.csvread import danish_number, read_table
from bassplan.data.imports import ImportRejected, parse_table
from bassplan.data.workbook import export_workbook
from tests.data.test_imports import STAFFING_HEADER, xlsx

NUMBERS = ("specialist_fte", "trainee_fte", "vacant_fte", "on_call_specialists")


def danish(text: str, numbers: tuple[str, ...]) -> str:
    """A comma CSV as Danish Excel saves it: semicolons, decimal commas in ``numbers``."""
    rows = list(csv.DictReader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v.replace(".", ",") if k in numbers else v for k, v in row.items()})
    return out.getvalue()


@pytest.mark.parametrize(("raw", "decimal", "expected"), [
    ("13,5", "comma", 13.5), ("1.234,5", "comma", 1234.5), ("1.234.567", "comma", 1234567.0),
    ("-2,25", "comma", -2.25), ("0.125", "comma", 0.125), ("13.5", "comma", 13.5),
    ("1\u00a0234,5", "comma", 1234.5), ("\u22122,5", "comma", -2.5), ("1,5", "either", 1.5),
    ("1.234", "either", 1.234), ("1.5", "point", 1.5),
])
def test_danish_numbers(raw: str, decimal: str, expected: float) -> None:
    assert float(danish_number(raw, decimal)) == expected  # type: ignore[arg-type]


def test_a_danish_csv_imports_as_the_comma_csv_does() -> None:
    plain = f"{STAFFING_HEADER}\nkardiologi,suh_koege,13.5,6.8,0.8,10\ngeriatri,holbaek,4,3,0,4\n"
    semicolons = danish(plain, NUMBERS)
    assert "13,5;6,8;0,8;10" in semicolons
    table = parse_table("staffing", "normering.csv", semicolons.encode("utf-8-sig"))
    assert table.csv_text == parse_table("staffing", "staffing.csv", plain.encode()).csv_text
    assert table.csv_text.splitlines()[1] == "kardiologi,suh_koege,13.5,6.8,0.8,10"


def test_an_ambiguous_grouped_number_is_refused_by_row_and_field() -> None:
    text = (f"{STAFFING_HEADER}\nkardiologi,suh_koege,13.5,6.8,0.8,10\n"
            "geriatri,holbaek,1.234,3,0,4\n")
    with pytest.raises(ImportRejected) as info:
        parse_table("staffing", "normering.csv", danish(text, ("trainee_fte",)).encode())
    (problem,) = info.value.problems
    assert (problem.row, problem.field) == (3, "specialist_fte")
    assert problem.message == "'1.234' is ambiguous with decimal commas: write 1234 or 1,234"


def test_a_workbook_with_decimal_commas_in_text_cells() -> None:
    rows: list[list[object]] = [STAFFING_HEADER.split(","),
                                ["kardiologi", "suh_koege", "13,5", 6.8, "0,8", 10],
                                ["geriatri", "holbaek", 4, "3", 0, 4]]
    table = parse_table("staffing", "normering.xlsx", xlsx(rows))
    assert table.csv_text.splitlines()[1:] == ["kardiologi,suh_koege,13.5,6.8,0.8,10",
                                               "geriatri,holbaek,4,3,0,4"]


def test_a_region_with_a_danish_staffing_file_loads_the_same_numbers(tmp_path: Path) -> None:
    copy = tmp_path / "region"
    shutil.copytree(bundled_region_dir(), copy, ignore=shutil.ignore_patterns("sources"))
    own = (copy / "staffing.csv").read_text(encoding="utf-8")
    (copy / "staffing.csv").write_text(danish(own, NUMBERS), encoding="utf-8")
    assert read_table(copy / "staffing.csv", ()).decimal == "comma"
    mine, bundled = load_region(copy).staffing, load_region().staffing
    for field in ("specialist_fte", "trainee_fte", "vacant_fte"):
        assert np.array_equal(getattr(mine, field), getattr(bundled, field)), field


def test_the_export_reads_as_a_dane_expects() -> None:
    book = openpyxl.load_workbook(io.BytesIO(export_workbook()))
    sites, staffing = book["sites"], book["staffing"]
    header = [c.value for c in staffing[1]]
    assert header[:3] == ["Speciale [specialty_id]", "Matrikel [site_id]",
                          "Speciallæger (årsværk) [specialist_fte]"]
    assert staffing.freeze_panes == "A2" and staffing.auto_filter.ref == "A1:H78"  # 77 rows
    own = list(csv.reader(io.StringIO((bundled_region_dir() / "sites.csv").read_text("utf-8"))))
    lon, code = own[0].index("lon"), own[0].index("area_code")
    for k, row in enumerate(own[1:], start=2):
        cell = sites.cell(k, lon + 1)
        assert cell.data_type == "n" and cell.value == float(row[lon])  # 11.5870 is a number
        assert sites.cell(k, code + 1).value == row[code]  # a municipality code stays text
    widths = {c: sites.column_dimensions[c].width for c in "ABCDE"}
    longest_name = max(len(r[1]) for r in own)  # the name column: its longest cell + 2,
    assert widths["B"] == min(longest_name + 2, 60) == 60  # at most 60 characters
    assert widths["A"] == max(len("Matrikel [site_id]"), *(len(r[0]) for r in own[1:])) + 2
    assert book["SOURCES"].freeze_panes == "A2"
    assert [c.value for c in book["SOURCES"][1]][:2] == ["Tabel [table]", "Rækker [rows]"]
