"""Export the region's tables as one Excel workbook: a SOURCES sheet (each table's source,
whether it is illustrative and whether it was imported), then one sheet per table with the
same columns as the files, so a sheet can be edited and imported again."""

from __future__ import annotations

import io
import math
import tempfile
from collections.abc import Mapping
from pathlib import Path

from bassplan.data.csvread import cell_text, find_table, read_table
from bassplan.data.imports import KINDS, materialise
from bassplan.data.loaders import load_region, region_dir

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_TABLES = (
    "areas",
    "population_by_age",
    "area_totals",
    "sites",
    "organisations",
    "specialties",
    "staffing",
    "rates",
    "workload",
    "parameters",
    "length_of_stay",
    "morbidity",
    "dialysis_units",
    "fleet_co2",
    "life_table",
    "death_rates",
    "official_projection",
    "catchments",
    "travel_matrix",
)
SOURCES_SHEET = "SOURCES"
SOURCES_COLUMNS = ("table", "rows", "source", "illustrative", "imported")


def excel_value(text: str) -> str | int | float:
    """A cell as Excel should hold it: a number when reading it back gives the same text
    (so '253' and '13.5' become numbers, '0101' and 'yes' stay text)."""
    try:
        number = float(text)
    except ValueError:
        return text
    if not math.isfinite(number) or cell_text(number) != text:
        return text
    return int(number) if number.is_integer() else number


def export_workbook(base: Path | None = None, overrides: Mapping[str, str] | None = None) -> bytes:
    """The .xlsx bytes of the region in ``base`` (None = bundled) with the imported tables
    ``overrides`` (kind → canonical CSV) in place of its own."""
    import openpyxl

    imported = {KINDS[k] for k in overrides or {}}
    with tempfile.TemporaryDirectory(prefix="bass-export-") as tmp:
        if overrides:
            directory = materialise(Path(tmp) / "region", overrides, base)
        else:
            directory = region_dir(base)
        region = load_region(directory)
        provenance = {p.name: p for p in region.provenance}
        book = openpyxl.Workbook()
        index = book.active
        assert index is not None  # a new workbook has one sheet
        index.title = SOURCES_SHEET
        index.append(SOURCES_COLUMNS)
        for name in EXPORT_TABLES:
            path = find_table(directory, name)
            if path is None:
                continue
            table = read_table(path, (), allow_empty=True)
            columns = [c for c in table.columns if c]
            sheet = book.create_sheet(name)
            sheet.append(columns)
            for row in table.rows:
                sheet.append([excel_value(row.cells.get(c, "").strip()) for c in columns])
            known = provenance.get(name)
            index.append(
                (
                    name,
                    len(table.rows),
                    known.source if known else "",
                    "yes" if known and known.illustrative else "no",
                    "yes" if name in imported else "no",
                )
            )
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()
