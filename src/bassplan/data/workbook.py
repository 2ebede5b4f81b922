"""Export the region's tables as one Excel workbook: a SOURCES sheet (each table's source,
whether it is illustrative and whether it was imported), then one sheet per table with the
same columns as the files, so a sheet can be edited and imported again.

Each header says the column in the reader's language with the file's name in brackets
("Speciallæger (årsværk) [specialist_fte]", which the import reads back); numbers are stored
as numbers (Danish Excel shows them with decimal commas), codes and ids as text; columns
are as wide as their contents, the header row is frozen and has filters."""

from __future__ import annotations

import io
import math
import re
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bassplan.data.csvread import cell_text, column_header, find_table, read_table
from bassplan.data.imports import KINDS, materialise
from bassplan.data.loaders import load_region, region_dir
from bassplan.i18n.words import Lang, label

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

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


_DECIMAL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")  # not '0101', not '1.'
TEXT_COLUMNS = frozenset({"area_code", "key", "sex", "site_ids"})  # codes, even if all digits
MAX_WIDTH = 60  # characters; longer cells (sources) wrap in Excel's own way


def is_code(column: str) -> bool:
    """True for a column of codes or ids, which stay text (municipality 0101 keeps its 0)."""
    return column in TEXT_COLUMNS or column.endswith("_id")


def excel_value(text: str, column: str = "") -> str | int | float:
    """A cell as Excel should hold it: a number when the text is a plain decimal number
    ('253', '13.5', '11.5870'), else text ('0101', 'yes', and every code or id column)."""
    if is_code(column) or not _DECIMAL.fullmatch(text):
        return text
    number = float(text)
    if not math.isfinite(number):
        return text
    return int(number) if number.is_integer() and "." not in text and "e" not in text.lower() \
        else number


def tidy_sheet(sheet: Worksheet, rows: Sequence[Sequence[object]]) -> None:
    """Widths from the longest cell of each column (header included, at most MAX_WIDTH
    characters), the header row frozen and with filters."""
    from openpyxl.utils import get_column_letter

    if not rows:
        return
    for k in range(len(rows[0])):
        longest = max(len(cell_text(r[k])) if k < len(r) else 0 for r in rows)
        sheet.column_dimensions[get_column_letter(k + 1)].width = min(longest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows)}"


def header_cell(column: str, lang: Lang) -> str:
    """The header of a column in ``lang`` with its file name: 'Speciallæger (årsværk)
    [specialist_fte]' (the import reads the name in brackets); the name alone if the word
    store has no label for it."""
    key = f"col_{column}"
    text = label(key, lang)
    return column if text == key else column_header(text, column)


def export_workbook(base: Path | None = None, overrides: Mapping[str, str] | None = None,
                    lang: Lang = "da") -> bytes:
    """The .xlsx bytes of the region in ``base`` (None = bundled) with the imported tables
    ``overrides`` (kind → canonical CSV) in place of its own; headers in ``lang``."""
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
        listing: list[tuple[object, ...]] = [
            tuple(header_cell(c, lang) for c in SOURCES_COLUMNS)]
        yes, no = label("yes", lang), label("no", lang)
        for name in EXPORT_TABLES:
            path = find_table(directory, name)
            if path is None:
                continue
            table = read_table(path, (), allow_empty=True)
            columns = [c for c in table.columns if c]
            sheet = book.create_sheet(name)
            rows: list[tuple[object, ...]] = [tuple(header_cell(c, lang) for c in columns)]
            rows += [tuple(excel_value(row.cells.get(c, "").strip(), c) for c in columns)
                     for row in table.rows]
            for values in rows:
                sheet.append(values)
            tidy_sheet(sheet, rows)
            known = provenance.get(name)
            listing.append((name, len(table.rows), known.source if known else "",
                            yes if known and known.illustrative else no,
                            yes if name in imported else no))
        for values in listing:
            index.append(values)
        tidy_sheet(index, listing)
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()
