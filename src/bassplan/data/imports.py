"""Import one region table from an uploaded CSV or .xlsx: staffing, rates, residents
(population_by_age), the area × site travel matrix, lengths of stay, local morbidity,
dialysis units, the car fleet's CO2, or the projection's life table, death rates and
official projection.

Every row is checked with the loaders' own rules (``model_tables``/``geo_tables`` row
functions) and every problem is listed; then the whole region must still load with the
new table. Imported tables are kept as canonical CSV text (comma-separated, UTF-8) and
replace the region's own files when the region is materialised (``region_with_overrides``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

import yaml

from bassplan.data import care_tables, geo_tables, model_tables, population_tables
from bassplan.data.csvread import (
    TABLE_SUFFIXES,
    Problems,
    Row,
    Table,
    danish_number,
    find_table,
    read_table,
)
from bassplan.data.loaders import (
    REGION_FILE,
    bundled_region_dir,
    data_version_of,
    load_region,
    read_region_file,
    region_dir,
)
from bassplan.domain.errors import InputError
from bassplan.domain.phrase import Phrase, phrase
from bassplan.domain.region import ImportedVersion, Region

T = TypeVar("T")

# kind (the name the dashboard uses) → the region table it replaces
KINDS: dict[str, str] = {
    "staffing": "staffing",
    "rates": "rates",
    "residents": "population_by_age",
    "travel_matrix": "travel_matrix",
    "length_of_stay": "length_of_stay",
    "morbidity": "morbidity",
    "dialysis_units": "dialysis_units",
    "fleet_co2": "fleet_co2",
    "life_table": "life_table",
    "death_rates": "death_rates",
    "official_projection": "official_projection",
    "catchments": "catchments",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "staffing": model_tables.STAFFING_COLUMNS,
    "rates": model_tables.RATE_COLUMNS,
    "residents": model_tables.POPULATION_COLUMNS,
    "travel_matrix": geo_tables.TRAVEL_COLUMNS,
    "length_of_stay": care_tables.STAY_COLUMNS,
    "morbidity": care_tables.MORBIDITY_COLUMNS,
    "dialysis_units": care_tables.DIALYSIS_COLUMNS,
    "fleet_co2": care_tables.FLEET_COLUMNS,
    "life_table": population_tables.LIFE_COLUMNS,
    "death_rates": population_tables.TREND_COLUMNS,
    "official_projection": population_tables.OFFICIAL_COLUMNS,
    "catchments": care_tables.CATCHMENT_COLUMNS,
}
KEYS: dict[str, tuple[str, ...]] = {
    "staffing": model_tables.STAFFING_KEY,
    "rates": model_tables.RATE_KEY,
    "residents": model_tables.POPULATION_KEY,
    "travel_matrix": geo_tables.TRAVEL_KEY,
    "length_of_stay": care_tables.STAY_KEY,
    "morbidity": care_tables.MORBIDITY_KEY,
    "dialysis_units": care_tables.DIALYSIS_KEY,
    "fleet_co2": care_tables.FLEET_KEY,
    "life_table": population_tables.LIFE_KEY,
    "death_rates": population_tables.TREND_KEY,
    "official_projection": population_tables.OFFICIAL_KEY,
    "catchments": care_tables.CATCHMENT_KEY,
}
IMPORTED_NOTE = "imported in the dashboard (Data page)"
_ROW = re.compile(r"row (\d+)")


@dataclass(frozen=True)
class RowProblem:
    """One broken rule: the spreadsheet row (header = 1; None for the whole file), the
    field and what is wrong."""

    row: int | None
    field: str
    message: str  # in English
    words: Phrase | None = None  # the message as a phrase of the word store, if it has one


class ImportRejected(InputError):  # noqa: N818 (the name the API and the brief use)
    """An uploaded table with at least one problem; ``problems`` lists them (at most
    ``limits.MAX_REPORTED_PROBLEMS``, the first by row) and ``total`` counts them all."""

    def __init__(self, filename: str, problems: Sequence[RowProblem],
                 total: int | None = None) -> None:
        self.problems = tuple(problems)
        self.total = len(self.problems) if total is None else total
        first = self.problems[0]
        more = self.total - 1
        tail = f" (and {more} more {'problem' if more == 1 else 'problems'})" if more else ""
        where = f"row {first.row}" if first.row is not None else ""
        super().__init__(
            filename, where, first.field, f"{first.message}{tail}; nothing was imported"
        )


@dataclass(frozen=True)
class ImportedTable:
    """A checked table ready to store: its kind, the uploaded file's name, the canonical
    CSV text and its number of data rows."""

    kind: str
    filename: str
    csv_text: str
    rows: int

    @property
    def sha256(self) -> str:
        """SHA-256 of the canonical CSV (identifies the content in the audit trail)."""
        return text_sha256(self.csv_text)


def text_sha256(text: str) -> str:
    """SHA-256 hex digest of UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_kind(kind: str) -> str:
    """The region table of ``kind``; InputError naming the known kinds if it is unknown."""
    if kind not in KINDS:
        raise InputError(
            "data import", "", "kind", f"unknown table '{kind}' (known: {', '.join(KINDS)})"
        )
    return KINDS[kind]


def problem_of(error: InputError, upload: str) -> RowProblem:
    """The RowProblem of an InputError in the file ``upload``; a problem found in another
    table of the region (row None) names that table and its row in the message."""
    name = Path(error.source).name
    found = _ROW.fullmatch(error.where.strip())
    if name == upload and (found or not error.where):
        return RowProblem(int(found.group(1)) if found else None, error.field, error.rule,
                          error.words)
    place = ", ".join(x for x in (name, error.where) if x)
    words = None if error.words is None else phrase("error_in_table", place=place,
                                                    rule=error.words)
    return RowProblem(None, error.field, f"{place}: {error.rule}", words)


def parse_table(
    kind: str,
    filename: str,
    content: bytes,
    *,
    base: Path | None = None,
    overrides: Mapping[str, str] | None = None,
) -> ImportedTable:
    """Check an uploaded table of ``kind`` against the region in use (``base`` directory,
    None = bundled, with the other imported ``overrides``); ImportRejected lists every
    problem, row by row, and also a region that would no longer load with it."""
    table_name = check_kind(kind)
    suffix = Path(filename).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        problem = RowProblem(None, "(file)", "must be a .csv or .xlsx file")
        raise ImportRejected(filename, [problem])
    others = {k: v for k, v in (overrides or {}).items() if k != kind}
    with tempfile.TemporaryDirectory(prefix="bass-import-") as tmp:
        upload = Path(tmp) / f"{table_name}{suffix}"
        upload.write_bytes(content)
        problems = Problems()  # the first MAX_REPORTED_PROBLEMS kept, all counted
        try:  # read (within the table bounds) before the region is built to check it
            table = read_table(upload, COLUMNS[kind], problems=problems, sheet=table_name)
        except InputError as exc:
            raise ImportRejected(filename, [problem_of(exc, upload.name)]) from None
        work = materialise(Path(tmp) / "region", others, base)
        region = _load(work)
        if table.rows:  # a broken header leaves no rows to check
            complete = not problems  # no row left out: whole-table rules apply too
            problems += table.each_duplicate(KEYS[kind])
            CHECKS[kind](table, region, complete and not problems, problems)
        if problems:
            listed = sorted((problem_of(p, upload.name) for p in problems), key=_by_row)
            raise ImportRejected(filename, listed, problems.total)
        text = canonical_csv(table)
        write_table(work, table_name, text)
        if kind == "residents":
            sync_area_totals(work)
        try:
            load_region(work)
        except InputError as exc:
            raise ImportRejected(filename, [problem_of(exc, f"{table_name}.csv")]) from None
    return ImportedTable(kind, filename, text, len(table.rows))


def _by_row(problem: RowProblem) -> tuple[int, int]:
    """Sort key: problems of the whole file first, then by row."""
    return (0, 0) if problem.row is None else (1, problem.row)


def _each(t: Table, parse: Callable[[Row], T], problems: list[InputError]) -> list[T]:
    """Parse every row of ``t``, adding the problem of each broken row to ``problems``."""
    out: list[T] = []
    for r in t.rows:
        try:
            out.append(parse(r))
        except InputError as exc:
            problems.append(exc)
    return out


def _check_staffing(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every staffing row: known specialty and site, FTE and on-call heads ≥ 0."""
    ids, site_ids = [s.id for s in region.specialties], [s.id for s in region.sites]
    _each(t, lambda r: model_tables.staffing_row(t, r, ids, site_ids), problems)


def _check_rates(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every rates row, then (``whole``: all rows are there) the age bands of each
    specialty × contact type."""
    ids = [s.id for s in region.specialties]
    parsed = _each(t, lambda r: model_tables.rate_row(t, r, ids), problems)
    if problems or not whole:
        return
    bands: model_tables.Bands = {}
    for s, c, band, _ in parsed:
        bands.setdefault((s, c), []).append(band)
    top_age = int(region.population.ages[-1])
    for key in ((s, c) for s in range(len(ids)) for c in range(len(model_tables.CONTACT_NAMES))):
        try:
            model_tables.rate_profile(t, bands, ids, key, top_age)
        except InputError as exc:
            problems.append(exc)


def _check_residents(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every residents row (known area, the base year, age ≥ 0), then (``whole``: all rows
    are there) ages 0..top in every area."""
    codes = [a.code for a in region.areas]
    year = region.population.base_year
    parsed = _each(t, lambda r: model_tables.population_row(t, r, codes, year), problems)
    if problems or not whole:
        return
    problems += model_tables.age_gaps(t, {(i, age): v for i, age, v in parsed}, codes)


def _check_travel(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every travel matrix row: known area and site, minutes and km ≥ 0 (every pair
    present is checked when the region loads)."""
    area_pos = {a.code: i for i, a in enumerate(region.areas)}
    site_pos = {s.id: j for j, s in enumerate(region.sites)}
    _each(t, lambda r: geo_tables.travel_row(t, r, area_pos, site_pos), problems)


def _check_stays(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every length-of-stay row: known site, specialty or '*', days in range (every acute
    site covered is checked when the region loads)."""
    ids, site_ids = [s.id for s in region.specialties], [s.id for s in region.sites]
    _each(t, lambda r: care_tables.stay_row(t, r, ids, site_ids), problems)


def _check_morbidity(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every morbidity row: known area and specialty, a multiplier in range."""
    codes, ids = [a.code for a in region.areas], [s.id for s in region.specialties]
    _each(t, lambda r: care_tables.morbidity_row(t, r, codes, ids), problems)


def _check_dialysis(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every dialysis unit row: a known active site and at least one station."""
    site_ids, active = [s.id for s in region.sites], [s.active for s in region.sites]
    _each(t, lambda r: care_tables.dialysis_row(t, r, site_ids, active), problems)


def _check_fleet(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every fleet row: a year and grams of CO2 per km ≥ 0."""
    _each(t, lambda r: care_tables.fleet_row(t, r), problems)


def _check_life_table(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every life-table row: a year, sex M/F/T, an age ≥ 0 and a death rate in range (one
    year, every age of every sex: checked when the region loads)."""
    _each(t, lambda r: population_tables.life_row(t, r), problems)


def _check_death_rates(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every death-rate row: a series, a period, sex, band start and a rate in range (the
    periods and bands as a whole: checked when the region loads)."""
    _each(t, lambda r: population_tables.trend_row(t, r), problems)


def _check_official(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every official projection row: a known area, a year after the base year, a band and
    residents ≥ 0 (the bands and every area in every year: checked when the region loads)."""
    codes, year = [a.code for a in region.areas], region.population.base_year
    _each(t, lambda r: population_tables.official_row(t, r, codes, year), problems)


def _check_catchments(t: Table, region: Region, whole: bool, problems: list[InputError]) -> None:
    """Every catchment row: a known area and an active acute site that admits it."""
    codes, site_ids = [a.code for a in region.areas], [s.id for s in region.sites]
    admitting = [s.acute and s.active for s in region.sites]
    _each(t, lambda r: care_tables.catchment_row(t, r, codes, site_ids, admitting), problems)


CHECKS: dict[str, Callable[[Table, Region, bool, list[InputError]], None]] = {
    "staffing": _check_staffing,
    "rates": _check_rates,
    "residents": _check_residents,
    "travel_matrix": _check_travel,
    "length_of_stay": _check_stays,
    "morbidity": _check_morbidity,
    "dialysis_units": _check_dialysis,
    "fleet_co2": _check_fleet,
    "life_table": _check_life_table,
    "death_rates": _check_death_rates,
    "official_projection": _check_official,
    "catchments": _check_catchments,
}


def canonical_csv(t: Table, changed: Mapping[tuple[int, str], str] | None = None) -> str:
    """The table as comma-separated UTF-8 text: its named columns, cells without
    surrounding spaces (or the ``changed`` value of (row number, column)), numbers with a
    decimal point, no blank rows."""
    columns = [c for c in t.columns if c]
    edits = changed or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(
        [edits.get((r.number, c), _point(r.cells.get(c, "").strip(), t)) for c in columns]
        for r in t.rows
    )
    return out.getvalue()


def _point(cell: str, t: Table) -> str:
    """A number cell written with decimal commas (a semicolon CSV, a workbook's text cell)
    as the canonical CSV writes it, with a decimal point; any other cell unchanged."""
    try:
        return danish_number(cell, t.decimal)
    except ValueError:  # ambiguous: the row checks refused it already
        return cell


def write_table(directory: Path, name: str, text: str) -> None:
    """Put ``name.csv`` with ``text`` in the region directory, replacing any .csv/.xlsx."""
    for suffix in TABLE_SUFFIXES:
        (directory / f"{name}{suffix}").unlink(missing_ok=True)
    (directory / f"{name}.csv").write_text(text, encoding="utf-8")


def sync_area_totals(directory: Path) -> None:
    """Set area_totals' base-year rows to the sums of population_by_age (the loader
    requires them to agree); later years stay as the known projection targets."""
    path = find_table(directory, "area_totals")
    if path is None:
        return
    base_year = str(read_region_file(directory / REGION_FILE)["population_base_year"])
    population = read_table(directory / "population_by_age.csv", model_tables.POPULATION_COLUMNS)
    sums: dict[str, float] = {}
    for r in population.rows:
        code = r.cells["area_code"].strip()
        sums[code] = sums.get(code, 0.0) + float(r.cells["residents"])
    totals = read_table(path, ("area_code", "year", "residents"), allow_empty=True)
    changed = {
        (r.number, "residents"): f"{sums[code]:.10g}"
        for r in totals.rows
        if r.cells["year"].strip() == base_year and (code := r.cells["area_code"].strip()) in sums
    }
    write_table(directory, "area_totals", canonical_csv(totals, changed))


def materialise(target: Path, tables: Mapping[str, str], base: Path | None = None) -> Path:
    """Copy the region directory ``base`` (None = bundled; without sources/) to ``target``
    and put each imported table (kind → canonical CSV) in place of the region's own."""
    source = region_dir(base)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("sources"))
    if not tables:
        return target
    for kind, text in tables.items():
        write_table(target, check_kind(kind), text)
    if "residents" in tables:
        sync_area_totals(target)
    meta = read_region_file(target / REGION_FILE)
    notes = dict(meta.get("tables") or {})
    notes.update({KINDS[kind]: IMPORTED_NOTE for kind in tables})
    meta["tables"] = notes
    text = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
    (target / REGION_FILE).write_text(text, encoding="utf-8")
    return target


def region_with_overrides(
    tables: Mapping[str, str], base: Path | None = None,
    imported: Sequence[ImportedVersion] = (),
) -> Region:
    """The region of ``base`` (None = bundled) with the imported tables (kind → canonical
    CSV) in place of its own; a problem names the table, not the temporary copy. Its data
    version is the base directory's, listing ``imported`` (the store's versions)."""
    if not tables:
        return with_imported(load_region(base), imported)
    with tempfile.TemporaryDirectory(prefix="bass-region-") as tmp:
        region = _load(materialise(Path(tmp) / "region", tables, base))
    own = data_version_of(bundled_region_dir() if base is None else Path(base))
    return replace(region, data_version=replace(own, imported=tuple(imported)))


def with_imported(region: Region, imported: Sequence[ImportedVersion]) -> Region:
    """The region with its data version listing the imported tables ``imported``."""
    version = replace(region.data_version, imported=tuple(imported))
    return replace(region, data_version=version)


def _load(directory: Path) -> Region:
    """Load a materialised region; a problem names its table, not the temporary copy."""
    try:
        return load_region(directory)
    except InputError as exc:
        name = Path(exc.source).name
        raise InputError(
            f"{name} (with the imported tables)", exc.where, exc.field, exc.rule
        ) from None


def table_rows(kind: str, base: Path | None = None) -> int | None:
    """The number of data rows of the region's own table of ``kind``; None if it has none."""
    directory = region_dir(base)
    path = find_table(directory, check_kind(kind))
    if path is None:
        return None
    return len(read_table(path, (), allow_empty=True).rows)
