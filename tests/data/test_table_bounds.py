"""The table reader's bounds: problems kept up to a count and the rest counted, a
workbook's unzipped size, and rows and columns of a workbook (the CSV's are in the
hostile-input tests of the API and the command)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from bassplan.data import csvread
from bassplan.data.csvread import Problems, check_unzipped, read_table
from bassplan.domain import limits
from bassplan.domain.errors import InputError
from tests.support import hostile


def test_problems_keep_the_first_and_count_all() -> None:
    problems = Problems(keep=3)
    errors = [InputError("f.csv", f"row {k}", "x", "bad") for k in range(2, 12)]
    problems.append(errors[0])
    problems += errors[1:5]
    problems.extend(iter(errors[5:]))
    assert list(problems) == errors[:3]
    assert problems.total == 10
    assert bool(Problems()) is False and bool(problems) is True


def workbook(path: Path, rows: list[list[object]]) -> Path:
    """Save ``rows`` as the one sheet of a workbook at ``path``."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_a_workbook_unzipping_past_the_total_is_refused(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    path = workbook(tmp_path / "t.xlsx", [list(hostile.STAFFING_HEADER), list(hostile.GOOD_ROW)])
    with zipfile.ZipFile(path) as archive:
        total = sum(p.file_size for p in archive.infolist())
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", total - 1)
    with pytest.raises(InputError, match=f"unzips to {total:,} bytes; at most {total - 1:,}"):
        check_unzipped(path)
    monkeypatch.setattr(limits, "MAX_XLSX_UNPACKED_BYTES", total)
    check_unzipped(path)  # exactly at the bound: read


def test_a_workbook_part_packed_too_tightly_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(hostile.xlsx_bomb(unpacked=8 * 1024 * 1024))
    with zipfile.ZipFile(path) as archive:
        part = archive.getinfo("xl/media/padding.bin")
    assert part.file_size > limits.MAX_XLSX_RATIO * part.compress_size + 1_000_000
    with pytest.raises(InputError, match="not packed that tightly"):
        read_table(path, ())


def test_a_file_that_is_no_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match=r"cannot be read as \.xlsx"):
        read_table(path, ())


def test_a_workbook_with_too_many_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_TABLE_ROWS", 5)
    rows = [list(hostile.STAFFING_HEADER)] + [list(hostile.GOOD_ROW)] * 5
    assert len(read_table(workbook(tmp_path / "ok.xlsx", rows), ()).rows) == 5
    path = workbook(tmp_path / "t.xlsx", [*rows, list(hostile.GOOD_ROW)])
    with pytest.raises(InputError, match="has more than 5 rows"):
        read_table(path, ())


def test_a_workbook_with_too_many_columns(tmp_path: Path) -> None:
    header = [f"c{k}" for k in range(limits.MAX_TABLE_COLUMNS + 50)]
    path = workbook(tmp_path / "t.xlsx", [header, ["1"] * len(header)])
    with pytest.raises(InputError, match=f"has {limits.MAX_TABLE_COLUMNS + 1:,} columns"):
        read_table(path, ())  # read no wider than one past the bound


def test_a_csv_of_many_blank_lines_is_bounded_too(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b\n" + b"\n" * (limits.MAX_TABLE_ROWS + 5))
    with pytest.raises(InputError, match="more than"):
        read_table(path, ("a",))
    assert csvread.too_many_rows("x").rule == f"has more than {limits.MAX_TABLE_ROWS:,} rows"
