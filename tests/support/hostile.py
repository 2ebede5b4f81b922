"""Hostile inputs, one builder each, shared by the hostile-input tests and the reliability
benchmark (benchmarks/bench_hostile.py): what a careless or hostile user sends, sized just
past a bound of ``bassplan.domain.limits`` so that each test shows that bound holding."""

from __future__ import annotations

import csv
import io
import zipfile

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bassplan.data.model_tables import STAFFING_COLUMNS
from bassplan.domain import limits
from bassplan.store.models import Base

SITE = "holbaek"  # an acute site of the bundled region (any site name will do for a bomb)
STAFFING_HEADER = STAFFING_COLUMNS  # specialty, site, then four numbers per row
GOOD_ROW = ("kardiologi", SITE, "1", "1", "1", "1")


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """A scenario whose strength positions for kardiologi expand to ``width ** levels``
    site names (9**9 = 387,420,489) from about 500 bytes: each anchor is a list of
    ``width`` aliases of the one before (the issue's 551-byte attack has this shape)."""
    first = "&a0 [" + ",".join([SITE] * width) + "]"
    nested = [f"&a{k} [" + ",".join([f"*a{k - 1}"] * width) + "]" for k in range(1, levels)]
    return ("name: bombe\nyear: 2030\nstrength_positions:\n  kardiologi: ["
            + ", ".join([first, *nested]) + "]\n")


def deep_yaml(depth: int = limits.MAX_YAML_DEPTH + 10) -> str:
    """A scenario whose kardiologi strength positions nest ``depth`` lists deep."""
    return ("name: dyb\nyear: 2030\nstrength_positions:\n  kardiologi: "
            + "[" * depth + SITE + "]" * depth + "\n")


def deep_json(depth: int = limits.MAX_JSON_DEPTH + 1) -> bytes:
    """A scenario create body whose description is a list nested ``depth - 1`` deep inside
    the body's object (``depth`` levels in all)."""
    inner = depth - 1
    return (b'{"name": "dyb", "yaml": "name: dyb", "description": '
            + b"[" * inner + b"]" * inner + b"}")


def scenario_body(name: str, yaml_text: str, description: str = "") -> dict[str, str]:
    """The JSON body of POST /api/scenarios."""
    return {"name": name, "yaml": yaml_text, "description": description}


def valid_scenario(name: str) -> str:
    """A small valid scenario YAML called ``name`` (kardiologi at Roskilde (SUH), 2030)."""
    return f"name: {name}\nyear: 2030\nstrength_positions:\n  kardiologi: [suh_roskilde]\n"


def oversize_json(limit: int = limits.MAX_JSON_BODY_BYTES) -> bytes:
    """A syntactically fine JSON body one kilobyte over ``limit`` bytes."""
    filler = b"x" * (limit + 1024)
    return b'{"name": "stor", "yaml": "' + filler + b'"}'


def chunks(total: int, size: int = 64 * 1024) -> list[bytes]:
    """``total`` bytes of 'x' in chunks of ``size`` (sent without a Content-Length)."""
    full, rest = divmod(total, size)
    return [b"x" * size] * full + ([b"x" * rest] if rest else [])


def staffing_csv(rows: list[tuple[str, ...]]) -> bytes:
    """A staffing table (the import kind 'staffing') with the given data rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(STAFFING_HEADER)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def bad_rows_csv(bad: int) -> bytes:
    """A staffing table of ``bad`` rows, each naming a specialty the region does not have
    (one problem a row; no two rows alike, so no duplicates)."""
    return staffing_csv([(f"ukendt{k}", *GOOD_ROW[1:]) for k in range(bad)])


def many_rows_csv(rows: int = limits.MAX_TABLE_ROWS + 1) -> bytes:
    """A staffing table with ``rows`` data rows (one over the row bound by default)."""
    line = (",".join(GOOD_ROW) + "\n").encode()
    return ",".join(STAFFING_HEADER).encode() + b"\n" + line * rows


def long_cell_csv(chars: int = limits.MAX_FIELD_CHARS + 1) -> bytes:
    """A staffing table whose one row has a specialty id of ``chars`` characters."""
    return staffing_csv([("k" * chars, *GOOD_ROW[1:])])


def wide_csv(columns: int = limits.MAX_TABLE_COLUMNS + 1) -> bytes:
    """A staffing table with ``columns`` columns (the required ones, then extras)."""
    extra = [f"x{k}" for k in range(columns - len(STAFFING_HEADER))]
    header = ",".join([*STAFFING_HEADER, *extra])
    return (header + "\n" + ",".join(GOOD_ROW) + "\n").encode()


def xlsx_bomb(unpacked: int = 60 * 1024 * 1024) -> bytes:
    """A real one-sheet workbook with one more part of ``unpacked`` zero bytes, deflated to
    about a thousandth of that (far past ``limits.MAX_XLSX_RATIO``)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(STAFFING_HEADER))
    sheet.append(list(GOOD_ROW))
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/media/padding.bin", "w", force_zip64=True) as part:
        block = bytes(1024 * 1024)
        for _ in range(unpacked // len(block)):
            part.write(block)
    return buffer.getvalue()


NUL = "nul\x00byte"
SURROGATE = "lone\ud800surrogate"


def row_counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Rows in every table of the store (the audit trail included): equal before and after
    a refused request when nothing was written."""
    with sessions() as session:
        return {table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
                for table in Base.metadata.sorted_tables}
