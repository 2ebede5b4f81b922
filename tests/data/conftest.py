"""Fixtures for the data tests: a writable copy of the bundled region, broken one cell at a time."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from bassplan.data import bundled_region_dir, load_region
from bassplan.domain.region import Region


class RegionCopy:
    """A copy of the bundled region directory (without sources/) with small editing helpers.

    Row numbers are spreadsheet rows as in error messages: the header is row 1.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def file(self, table: str) -> Path:
        return self.path / f"{table}.csv"

    def read(self, table: str) -> list[list[str]]:
        with self.file(table).open(encoding="utf-8", newline="") as handle:
            return list(csv.reader(handle))

    def write(self, table: str, rows: list[list[str]]) -> None:
        with self.file(table).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)

    def cell(self, table: str, row: int, column: str) -> str:
        rows = self.read(table)
        return rows[row - 1][rows[0].index(column)]

    def edit(self, table: str, row: int, column: str, value: str) -> None:
        rows = self.read(table)
        rows[row - 1][rows[0].index(column)] = value
        self.write(table, rows)

    def drop_column(self, table: str, column: str) -> None:
        rows = self.read(table)
        k = rows[0].index(column)
        self.write(table, [r[:k] + r[k + 1 :] for r in rows])

    def drop_row(self, table: str, row: int) -> list[str]:
        rows = self.read(table)
        removed = rows.pop(row - 1)
        self.write(table, rows)
        return removed

    def append(self, table: str, values: list[str]) -> int:
        rows = self.read(table)
        rows.append(values)
        self.write(table, rows)
        return len(rows)

    def find(self, table: str, **match: str) -> int:
        """The spreadsheet row number of the first row whose cells equal ``match``."""
        rows = self.read(table)
        header = rows[0]
        for number, values in enumerate(rows[1:], start=2):
            if all(values[header.index(k)] == v for k, v in match.items()):
                return number
        raise AssertionError(f"no row with {match} in {table}")


@pytest.fixture
def region_copy(tmp_path: Path) -> RegionCopy:
    """A writable copy of the bundled region (sources/ left out)."""
    target = tmp_path / "region"
    shutil.copytree(bundled_region_dir(), target, ignore=shutil.ignore_patterns("sources"))
    return RegionCopy(target)


@pytest.fixture(scope="module")
def bundled() -> Region:
    """The bundled region, loaded once per test module."""
    return load_region()
