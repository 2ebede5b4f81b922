"""Strict reading of one input table (CSV in UTF-8, comma- or semicolon-separated, or an
Excel .xlsx with one sheet).

Numbers are read the way the file was saved: a comma-separated CSV has decimal points; a
semicolon-separated CSV (as Excel saves one with Danish settings) has decimal commas and may
group thousands with dots (1.234,5); in a workbook, number cells are numbers and a number
typed as text may have a decimal comma. A lone '1.234' in a decimal-comma file is refused as
ambiguous rather than guessed.

Every problem becomes an ``InputError`` naming the file, the row, the field and the rule;
given a ``problems`` list, ``read_table`` collects the header and row-shape problems there
instead of raising the first (the data import lists every invalid row).
Row numbers are the ones a spreadsheet shows: the header is row 1, the first data row is
row 2 (for a CSV without line breaks inside cells, also the line number in an editor).

Every table is bounded (``domain.limits``): the file's size, its rows and columns, each
cell's length, and for a workbook its unzipped size and compression ratio (a zip bomb is
refused before it is opened); a collected list of problems keeps the first
``MAX_REPORTED_PROBLEMS`` and counts the rest.
"""

from __future__ import annotations

import csv
import io
import itertools
import math
import re
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bassplan.domain import limits
from bassplan.domain.errors import InputError
from bassplan.domain.phrase import Phrase, phrase

TABLE_SUFFIXES: tuple[str, ...] = (".csv", ".xlsx")

Decimal = Literal["point", "comma", "either"]  # comma CSV, semicolon CSV, workbook
_COMMA_NUMBER = re.compile(r"[+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?")  # 1.234,5; 13,5
_GROUPED = re.compile(r"[+-]?[1-9]\d{0,2}(?:\.\d{3})+")  # 1.234 or 1.234.567 (no comma)


def danish_number(raw: str, decimal: Decimal) -> str:
    """The cell as Python's float() reads it: in a ``comma`` file '1.234,5' → '1234.5' and
    '13,5' → '13.5'; in ``either`` (a workbook) only a cell with a comma is read that way.
    A cell that is not in that form comes back unchanged (float() then judges it).
    ValueError for a dot-grouped '1.234' in a ``comma`` file: 1234 or 1.234 cannot be told."""
    value = raw.strip().replace("\u00a0", "").replace("\u2212", "-")
    if decimal == "point" or (decimal == "either" and "," not in value):
        return raw
    if _COMMA_NUMBER.fullmatch(value):
        if "," not in value and "." in value and value.count(".") == 1:
            raise ValueError("ambiguous")
        return value.replace(".", "").replace(",", ".")
    return raw


class Problems(list[InputError]):
    """Problems of one file as they are found: the first ``keep`` are kept (and listed), the
    rest only counted in ``total``, so a file with a million bad rows costs no more memory
    than one with a hundred."""

    def __init__(self, keep: int = limits.MAX_REPORTED_PROBLEMS) -> None:
        super().__init__()
        self.keep = keep
        self.total = 0

    def append(self, error: InputError) -> None:
        """Count ``error``; keep it if fewer than ``keep`` are kept."""
        self.total += 1
        if len(self) < self.keep:
            super().append(error)

    def extend(self, errors: Iterable[InputError]) -> None:
        """Count and (up to ``keep``) keep each of ``errors``."""
        for error in errors:
            self.append(error)

    def __iadd__(self, errors: Iterable[InputError]) -> Problems:  # type: ignore[override,misc]
        self.extend(errors)
        return self


@dataclass(frozen=True)
class Row:
    """One data row: its spreadsheet row number (header = row 1) and its cells by name."""

    number: int
    cells: Mapping[str, str]

    @property
    def where(self) -> str:
        """The row as named in error messages, e.g. 'row 5'."""
        return f"row {self.number}"


@dataclass(frozen=True)
class Table:
    """The rows of one input file with the file's name for error messages."""

    source: str
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    decimal: Decimal = "point"  # how the file writes decimals (see danish_number)

    def error(self, row: Row | None, field: str, rule: str,
              words: Phrase | None = None) -> InputError:
        """Build the InputError for a rule broken at ``row`` (None: the whole file); ``words``
        is the rule as a phrase of the word store."""
        return InputError(self.source, row.where if row else "", field, rule, words=words)

    def text(self, row: Row, field: str) -> str:
        """Return a required, non-empty cell (surrounding spaces removed)."""
        value = row.cells.get(field, "").strip()
        if not value:
            raise self.error(row, field, "is empty; a value is required", phrase("rule_empty"))
        return value

    def number(self, row: Row, field: str) -> float:
        """Return a cell as a finite number, its decimals as the file writes them (a point;
        a comma in a semicolon CSV or a workbook's text cell)."""
        raw = self.text(row, field)
        try:
            value = float(danish_number(raw, self.decimal))
        except ValueError:
            if self.decimal != "point" and _GROUPED.fullmatch(raw.strip()):
                raise self.error(
                    row, field, f"'{raw}' is ambiguous with decimal commas: write "
                    f"{raw.replace('.', '')} or {raw.replace('.', ',')}",
                    phrase("rule_ambiguous_number", raw=raw, whole=raw.replace(".", ""),
                           decimal=raw.replace(".", ","))) from None
            raise self.error(row, field, f"'{raw}' is not a number",
                             phrase("rule_not_number", raw=raw)) from None
        if not math.isfinite(value):
            raise self.error(row, field, f"'{raw}' is not a finite number",
                             phrase("rule_not_finite", raw=raw))
        return value

    def non_negative(self, row: Row, field: str) -> float:
        """Return a cell as a number ≥ 0."""
        value = self.number(row, field)
        if value < 0:
            raise self.error(row, field, f"{value:g} is negative; it must be 0 or more",
                             phrase("rule_negative", value=f"{value:g}"))
        return value

    def share(self, row: Row, field: str) -> float:
        """Return a cell as a share in 0..1."""
        value = self.number(row, field)
        if not 0.0 <= value <= 1.0:
            raise self.error(row, field, f"share {value:g} is outside 0..1",
                             phrase("rule_share_outside", value=f"{value:g}"))
        return value

    def integer(self, row: Row, field: str) -> int:
        """Return a cell as a whole number."""
        value = self.number(row, field)
        if value != int(value):
            raise self.error(row, field, f"{value:g} is not a whole number",
                             phrase("rule_not_whole", value=f"{value:g}"))
        return int(value)

    def in_range(self, row: Row, field: str, low: float, high: float) -> float:
        """Return a cell as a number in low..high (e.g. latitude −90..90)."""
        value = self.number(row, field)
        if not low <= value <= high:
            raise self.error(row, field, f"{value:g} is outside {low:g}..{high:g}",
                             phrase("rule_outside_range", value=f"{value:g}", low=f"{low:g}",
                                    high=f"{high:g}"))
        return value

    def yes_no(self, row: Row, field: str) -> bool:
        """Return a yes/no cell as a bool (also accepts true/false, 1/0, ja/nej)."""
        raw = self.text(row, field).lower()
        if raw in {"yes", "true", "1", "ja"}:
            return True
        if raw in {"no", "false", "0", "nej"}:
            return False
        raise self.error(row, field, f"'{raw}' is not yes or no",
                         phrase("rule_not_yes_no", raw=raw))

    def one_of(self, row: Row, field: str, known: Iterable[str], what: str) -> str:
        """Return a cell that must name a known id (e.g. a site in sites.csv)."""
        value = self.text(row, field)
        choices = sorted(set(known))
        if value not in choices:
            listed = ", ".join(choices[:20]) + (", …" if len(choices) > 20 else "")
            raise self.error(row, field, f"unknown {what} '{value}' (known: {listed})",
                             phrase("rule_unknown_id", what=what, value=value, listed=listed))
        return value

    def unique(self, fields: tuple[str, ...]) -> None:
        """Raise if two rows share the same values in ``fields`` (a duplicate id)."""
        found = self.duplicates(fields)
        if found:
            raise found[0]

    def duplicates(self, fields: tuple[str, ...]) -> list[InputError]:
        """One error for every row repeating the values in ``fields`` of an earlier row."""
        return list(self.each_duplicate(fields))

    def each_duplicate(self, fields: tuple[str, ...]) -> Iterator[InputError]:
        """The errors of ``duplicates``, one at a time (a capped list takes what it keeps)."""
        seen: dict[tuple[str, ...], int] = {}
        for row in self.rows:
            key = tuple(row.cells.get(f, "").strip() for f in fields)
            if key in seen:
                shown = ", ".join(key)
                yield self.error(
                    row, "+".join(fields), f"duplicate '{shown}' (first in row {seen[key]})",
                    phrase("rule_duplicate", shown=shown, first=seen[key]))
            else:
                seen[key] = row.number


def find_table(directory: Path, name: str) -> Path | None:
    """Return ``name.csv`` or ``name.xlsx`` in ``directory``, None if neither exists."""
    found = [directory / f"{name}{suffix}" for suffix in TABLE_SUFFIXES]
    present = [p for p in found if p.is_file()]
    if len(present) > 1:
        raise InputError(
            str(directory), "", name, f"both {name}.csv and {name}.xlsx exist; keep only one"
        )
    return present[0] if present else None


def _report(problems: list[InputError] | None, error: InputError) -> None:
    """Raise ``error``, or add it to ``problems`` when the caller collects them."""
    if problems is None:
        raise error
    problems.append(error)


def read_table(
    path: Path,
    required: tuple[str, ...],
    *,
    allow_empty: bool = False,
    problems: list[InputError] | None = None,
    sheet: str | None = None,
) -> Table:
    """Read a CSV (UTF-8) or .xlsx table and check that the ``required`` columns exist.
    With ``problems``, header and row-shape problems are added there (a broken row is
    left out; a broken header gives no rows) instead of raising the first. A workbook is
    read from its sheet named ``sheet`` when it has one, else from its first sheet."""
    if not path.is_file():
        raise InputError(str(path), "", "(file)", "file not found",
                         words=phrase("rule_file_not_found"))
    size = path.stat().st_size
    if size > limits.MAX_TABLE_FILE_BYTES:
        raise InputError(str(path), "", "(file)",
                         f"is larger than {limits.MAX_TABLE_FILE_BYTES:,} bytes ({size:,})",
                         words=phrase("rule_file_too_large", limit=limits.MAX_TABLE_FILE_BYTES,
                                      size=size))
    decimal: Decimal
    if path.suffix.lower() == ".xlsx":
        header, body = _read_xlsx(path, sheet)
        decimal = "either"
    else:
        header, body, separator = _read_csv(path)
        decimal = "comma" if separator == ";" else "point"
    source = str(path)
    columns = tuple(column_name(c) for c in header)
    header_problems: list[InputError] = []
    if len(columns) > limits.MAX_TABLE_COLUMNS:
        raise InputError(source, "row 1", "(header)",
                         f"has {len(columns):,} columns; at most {limits.MAX_TABLE_COLUMNS}",
                         words=phrase("rule_too_many_columns", columns=len(columns),
                                      limit=limits.MAX_TABLE_COLUMNS))
    for k, column in enumerate(columns):
        if column and column in columns[:k]:
            header_problems.append(
                InputError(source, "row 1", column, "column appears twice in the header",
                           words=phrase("rule_column_twice"))
            )
    for column in required:
        if column not in columns:
            header_problems.append(
                InputError(
                    source,
                    "row 1",
                    column,
                    f"required column is missing (found: {', '.join(columns)})",
                    words=phrase("rule_column_missing", found=", ".join(columns)),
                )
            )
    for error in header_problems:
        _report(problems, error)
    if header_problems:
        return Table(source, columns, (), decimal)
    rows: list[Row] = []
    for number, values in body:
        if not any(v.strip() for v in values):
            continue  # blank line
        if len(values) > len(columns) and any(v.strip() for v in values[len(columns) :]):
            _report(
                problems,
                InputError(
                    source,
                    f"row {number}",
                    "(row)",
                    f"has {len(values)} cells but the header has {len(columns)} columns",
                    words=phrase("rule_too_many_cells", cells=len(values), columns=len(columns)),
                ),
            )
            continue
        long = next((k for k, v in enumerate(values) if len(v) > limits.MAX_FIELD_CHARS), None)
        if long is not None:
            field = columns[long] if long < len(columns) else "(row)"
            chars = len(values[long])
            _report(problems, InputError(
                source, f"row {number}", field,
                f"has {chars:,} characters; a cell holds at most {limits.MAX_FIELD_CHARS:,}",
                words=phrase("rule_cell_too_long", chars=chars, limit=limits.MAX_FIELD_CHARS)))
            continue
        padded = list(values) + [""] * (len(columns) - len(values))
        rows.append(Row(number, dict(zip(columns, padded, strict=False))))
    if not rows and not allow_empty and not problems:
        _report(problems, InputError(source, "", "(file)", "has a header but no data rows",
                                     words=phrase("rule_no_rows")))
    return Table(source, columns, tuple(rows), decimal)


_BRACKETED = re.compile(r".*\[\s*([A-Za-z0-9_]+)\s*\]")


def column_header(text: str, name: str) -> str:
    """A header a reader understands that the import still reads: 'Borgere [residents]'."""
    return f"{text} [{name}]"


def column_name(header: str) -> str:
    """The column a header cell names: the name in trailing brackets ('Speciallæger
    (årsværk) [specialist_fte]' → 'specialist_fte', as the Excel export writes it), else
    the cell itself without surrounding spaces."""
    found = _BRACKETED.fullmatch(header.strip())
    return found.group(1) if found else header.strip()


def _where(line: int) -> str:
    """Name a physical line as in error messages: 'row N' (the header is row 1)."""
    return f"row {line}"


def too_many_rows(source: str) -> InputError:
    """The error of a table with more than ``limits.MAX_TABLE_ROWS`` data rows."""
    return InputError(source, "", "(file)",
                      f"has more than {limits.MAX_TABLE_ROWS:,} rows",
                      words=phrase("rule_too_many_rows", limit=limits.MAX_TABLE_ROWS))


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    """Decode strictly as UTF-8 (a BOM is allowed) and split into header and numbered rows
    (at most ``limits.MAX_TABLE_ROWS`` of them), and the cell separator found."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            str(path),
            _where(line),
            "(encoding)",
            f"byte 0x{data[exc.start]:02x} is not UTF-8 text; save the file as UTF-8",
        ) from None
    if not text.strip():
        raise InputError(str(path), "", "(file)", "the file is empty",
                         words=phrase("rule_file_empty"))
    if '"' not in text and text.count("\n") > limits.MAX_TABLE_ROWS + 1:
        raise too_many_rows(str(path))  # no quoted cell, so every line is a row: no need to read
    separator = delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    try:
        header = next(reader)
        body: list[tuple[int, list[str]]] = []
        for values in reader:
            if len(body) == limits.MAX_TABLE_ROWS:
                raise too_many_rows(str(path))
            body.append((reader.line_num, values))
    except csv.Error as exc:
        raise InputError(str(path), _where(reader.line_num), "(csv)", str(exc)) from None
    return header, body, separator


def delimiter(text: str) -> str:
    """The cell separator: ';' when the header line has semicolons and no comma (as a
    Danish spreadsheet saves a CSV), else ','."""
    first = text.lstrip("\r\n").split("\n", 1)[0]
    return ";" if ";" in first and "," not in first else ","


def cell_text(value: object) -> str:
    """Turn an Excel cell value into the text a CSV would hold (253.0 → '253')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_xlsx(
    path: Path, name: str | None = None
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Read the sheet called ``name`` (if any, else the first) of a workbook: row 1 is the
    header."""
    import openpyxl

    check_unzipped(path)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise InputError(str(path), "", "(file)", f"cannot be read as .xlsx: {exc}") from None
    try:
        sheet = book[name] if name in book.sheetnames else book.worksheets[0]
        rows = sheet.iter_rows(values_only=True, max_col=limits.MAX_TABLE_COLUMNS + 1)
        numbered = [
            (k, [cell_text(v) for v in values])
            for k, values in enumerate(itertools.islice(rows, limits.MAX_TABLE_ROWS + 2),
                                       start=1)
        ]
    finally:
        book.close()
    if not numbered or not any(v.strip() for v in numbered[0][1]):
        raise InputError(str(path), "", "(file)", "the first sheet is empty")
    if len(numbered) > limits.MAX_TABLE_ROWS + 1:
        raise too_many_rows(str(path))
    header = numbered[0][1]
    while header and not header[-1].strip():
        header = header[:-1]
    return header, numbered[1:]


def check_unzipped(path: Path) -> None:
    """InputError unless the workbook's parts unzip to at most
    ``limits.MAX_XLSX_UNPACKED_BYTES`` together and none by more than
    ``limits.MAX_XLSX_RATIO`` times (zipfile reads no part past its stated size, so the
    stated sizes bound what openpyxl can unpack)."""
    source = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(source, "", "(file)", f"cannot be read as .xlsx: {exc}") from None
    total = sum(p.file_size for p in parts)
    if total > limits.MAX_XLSX_UNPACKED_BYTES:
        raise InputError(source, "", "(file)",
                         f"unzips to {total:,} bytes; at most {limits.MAX_XLSX_UNPACKED_BYTES:,}",
                         words=phrase("rule_xlsx_too_large", size=total,
                                      limit=limits.MAX_XLSX_UNPACKED_BYTES))
    for part in parts:
        if part.file_size > limits.MAX_XLSX_RATIO * max(part.compress_size, 1) + 1_000_000:
            raise InputError(source, "", "(file)",
                             f"part {part.filename} unzips {part.file_size:,} bytes from "
                             f"{part.compress_size:,}; a spreadsheet is not packed that tightly",
                             words=phrase("rule_xlsx_ratio", part=part.filename,
                                          size=part.file_size, packed=part.compress_size))
