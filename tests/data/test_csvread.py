"""csvread: strict UTF-8 CSV and .xlsx reading; spreadsheet row numbers (header = row 1)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from bassplan.data.csvread import find_table, read_table
from bassplan.domain.errors import InputError


def write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rows_are_numbered_as_in_a_spreadsheet(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, "a,b\n1,x\n\n3,Ærø\n"), ("a", "b"))
    assert [r.number for r in t.rows] == [2, 4]  # header = row 1; a blank line keeps its number
    assert t.rows[1].cells["b"] == "Ærø"


def test_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffa,b\n1,Å\n".encode())
    t = read_table(path, ("a", "b"))
    assert t.columns == ("a", "b") and t.rows[0].cells["b"] == "Å"


def test_non_utf8_names_the_row(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("a,b\n1,x\n2,Næstved\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"t\.csv, row 3: field '\(encoding\)': byte 0xe6"):
        read_table(path, ("a",))


def test_empty_and_blank_files(tmp_path: Path) -> None:
    for text in ("", "\n\n  \n"):
        with pytest.raises(InputError, match="the file is empty"):
            read_table(write(tmp_path, text), ("a",))


def test_missing_column_lists_the_header(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_table(write(tmp_path, "a,c\n1,2\n"), ("a", "b"))
    assert info.value.field == "b" and info.value.where == "row 1"
    assert "found: a, c" in info.value.rule


def test_repeated_column(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="column appears twice"):
        read_table(write(tmp_path, "a,a\n1,2\n"), ("a",))


def test_too_many_cells(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="row 3: field '\\(row\\)': has 3 cells"):
        read_table(write(tmp_path, "a,b\n1,2\n1,2,3\n"), ("a",))


def test_cell_rules(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, "n,s,f\n-1,1.5,maybe\n,0.3,ja\n"), ("n", "s", "f"))
    first, second = t.rows
    with pytest.raises(InputError, match="row 2: field 'n': -1 is negative"):
        t.non_negative(first, "n")
    with pytest.raises(InputError, match=r"share 1\.5 is outside 0\.\.1"):
        t.share(first, "s")
    with pytest.raises(InputError, match="'maybe' is not yes or no"):
        t.yes_no(first, "f")
    with pytest.raises(InputError, match="row 3: field 'n': is empty"):
        t.number(second, "n")
    assert t.share(second, "s") == 0.3 and t.yes_no(second, "f") is True


def test_nan_is_rejected(tmp_path: Path) -> None:
    t = read_table(write(tmp_path, "n\nnan\n"), ("n",))
    with pytest.raises(InputError, match="'nan' is not a finite number"):
        t.number(t.rows[0], "n")


def test_xlsx_cells_become_csv_text(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["code", "name", "acute", "value", None])
    sheet.append([253, "Køge", True, 0.25, None])
    sheet.append([None, None, None, None, None])
    sheet.append([330.0, "Slagelse", False, 3, None])
    path = tmp_path / "t.xlsx"
    book.save(path)
    t = read_table(path, ("code", "name", "acute", "value"))
    assert t.columns == ("code", "name", "acute", "value")
    assert [r.number for r in t.rows] == [2, 4]
    assert dict(t.rows[0].cells) == {"code": "253", "name": "Køge", "acute": "yes", "value": "0.25"}
    assert t.rows[1].cells["code"] == "330" and t.rows[1].cells["acute"] == "no"


def test_broken_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"not a zip file")
    with pytest.raises(InputError, match=r"cannot be read as \.xlsx"):
        read_table(path, ("a",))


def test_find_table(tmp_path: Path) -> None:
    assert find_table(tmp_path, "areas") is None
    write(tmp_path, "a\n1\n", "areas.csv")
    assert find_table(tmp_path, "areas") == tmp_path / "areas.csv"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        read_table(tmp_path / "gone.csv", ())
