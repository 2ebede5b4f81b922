"""Read and check the model tables of a region: specialties, population, rates, staffing,
workload minutes and parameters. Each returns domain types; arrays follow the order of
the region's areas, sites and specialties."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bassplan.data.csvread import Row, Table, read_table
from bassplan.domain.errors import InputError
from bassplan.domain.parameters import Parameter, Parameters
from bassplan.domain.region import (
    Area,
    DemandRates,
    Population,
    Site,
    Specialty,
    Staffing,
    WorkloadStandards,
)
from bassplan.domain.vocabulary import CONTACT_TYPES, NOT_RATED, OPTIONAL_RATED

CONTACT_NAMES = tuple(str(c) for c in CONTACT_TYPES)
RATED_NAMES = tuple(str(c) for c in CONTACT_TYPES if c not in NOT_RATED)
Band = tuple[int, int, float, Row]  # age_from, age_to, per 1,000, the row it came from
Bands = dict[tuple[int, int], list[Band]]  # (specialty, contact type) → its bands
POPULATION_COLUMNS = ("area_code", "year", "age", "residents")
POPULATION_KEY = ("area_code", "age")
RATE_COLUMNS = ("specialty_id", "contact_type", "age_from", "age_to", "per_1000")
RATE_KEY = ("specialty_id", "contact_type", "age_from")
STAFFING_FIELDS = ("specialist_fte", "trainee_fte", "vacant_fte", "on_call_specialists")
STAFFING_COLUMNS = ("specialty_id", "site_id", *STAFFING_FIELDS)
STAFFING_KEY = ("specialty_id", "site_id")


def flag(t: Table, r: Row) -> bool:
    """The optional ``illustrative`` cell (absent or empty = no)."""
    return bool(r.cells.get("illustrative", "").strip()) and t.yes_no(r, "illustrative")


def sources_by(t: Table, key_fields: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """Distinct ``source`` texts per key, joined by ' | ' in order of appearance."""
    out: dict[tuple[str, ...], list[str]] = {}
    for r in t.rows:
        key = tuple(r.cells[f].strip() for f in key_fields)
        text = r.cells.get("source", "").strip()
        if text and text not in out.setdefault(key, []):
            out[key].append(text)
        out.setdefault(key, [])
    return {k: " | ".join(v) for k, v in out.items()}


def read_specialties(path: Path) -> tuple[tuple[Specialty, ...], bool]:
    """specialties.csv: unique ids, a minimum team size ≥ 0, the optional ``own_rota``
    (yes/no, empty = no: the specialty takes part in the shared medical bagvagt); also
    whether any is illustrative."""
    t = read_table(path, ("specialty_id", "name_da", "name_en", "min_team_fte"))
    t.unique(("specialty_id",))
    specialties = tuple(
        Specialty(
            t.text(r, "specialty_id"),
            t.text(r, "name_da"),
            t.text(r, "name_en"),
            t.non_negative(r, "min_team_fte"),
            bool(r.cells.get("own_rota", "").strip()) and t.yes_no(r, "own_rota"),
        )
        for r in t.rows
    )
    return specialties, any(flag(t, r) for r in t.rows)


def read_population(
    path: Path, totals_path: Path | None, areas: Sequence[Area], base_year: int
) -> Population:
    """population_by_age.csv (single ages 0..max for every area, base year only) and the
    optional area_totals.csv (every area for each year; base-year totals must match)."""
    t = read_table(path, POPULATION_COLUMNS)
    t.unique(POPULATION_KEY)
    codes = [a.code for a in areas]
    cells: dict[tuple[int, int], float] = {}
    for r in t.rows:
        i, age, value = population_row(t, r, codes, base_year)
        cells[(i, age)] = value
    top = max(age for _, age in cells)
    residents = np.zeros((len(areas), top + 1))
    for (i, age), value in cells.items():
        residents[i, age] = value
    gaps = age_gaps(t, cells, codes)
    if gaps:
        raise gaps[0]
    totals = read_totals(totals_path, codes, base_year, residents) if totals_path else {}
    return Population(base_year, np.arange(top + 1, dtype=np.int64), residents, totals)


def population_row(
    t: Table, r: Row, codes: Sequence[str], base_year: int
) -> tuple[int, int, float]:
    """One population_by_age row: (area index, age, residents); the year must be the base year."""
    i = list(codes).index(t.one_of(r, "area_code", codes, "area"))
    year = t.integer(r, "year")
    if year != base_year:
        raise t.error(r, "year", f"{year} is not the base year {base_year} of region.yaml")
    age = t.integer(r, "age")
    if age < 0:
        raise t.error(r, "age", f"{age} is negative")
    return i, age, t.non_negative(r, "residents")


def age_gaps(
    t: Table, cells: Mapping[tuple[int, int], float], codes: Sequence[str]
) -> list[InputError]:
    """One error for each area whose single ages do not run 0..the top age of any area."""
    top = max(age for _, age in cells)
    out: list[InputError] = []
    for i, code in enumerate(codes):
        ages = {age for (k, age) in cells if k == i}
        if len(ages) != top + 1:
            gap = min(set(range(top + 1)) - ages)
            out.append(
                t.error(
                    None, "age", f"area '{code}' has no row for age {gap} (ages must run 0..{top})"
                )
            )
    return out


def read_totals(
    path: Path, codes: Sequence[str], base_year: int, residents: np.ndarray
) -> dict[int, np.ndarray]:
    """area_totals.csv: known total residents per area and year (projection targets)."""
    t = read_table(path, ("area_code", "year", "residents"))
    t.unique(("area_code", "year"))
    pos = {c: i for i, c in enumerate(codes)}
    totals: dict[int, np.ndarray] = {}
    rows_of: dict[int, Row] = {}
    for r in t.rows:
        i = pos[t.one_of(r, "area_code", codes, "area")]
        year = t.integer(r, "year")
        value = t.non_negative(r, "residents")
        totals.setdefault(year, np.full(len(codes), np.nan))[i] = value
        rows_of.setdefault(year, r)
        if year == base_year and abs(value - residents[i].sum()) > 0.5:
            raise t.error(
                r,
                "residents",
                f"{value:g} differs from the {residents[i].sum():g} residents of "
                f"area '{codes[i]}' in population_by_age for the base year",
            )
    for year, values in totals.items():
        if np.isnan(values).any():
            code = codes[int(np.argmax(np.isnan(values)))]
            raise t.error(rows_of[year], "area_code", f"year {year} has no total for area '{code}'")
    return totals


def read_rates(path: Path, specialties: Sequence[Specialty], top_age: int) -> DemandRates:
    """rates.csv: per 1,000 residents per year; for every specialty × contact type the age
    bands must cover 0..top_age without gaps or overlaps."""
    t = read_table(path, RATE_COLUMNS)
    t.unique(RATE_KEY)
    ids = [s.id for s in specialties]
    bands: Bands = {}
    illustrative = np.zeros((len(ids), len(CONTACT_NAMES)), dtype=bool)
    for r in t.rows:
        s, c, band, is_ill = rate_row(t, r, ids)
        bands.setdefault((s, c), []).append(band)
        illustrative[s, c] |= is_ill
    per_1000 = np.zeros((len(ids), len(CONTACT_NAMES), top_age + 1))
    for s in range(len(ids)):
        for c in range(len(CONTACT_NAMES)):
            per_1000[s, c] = rate_profile(t, bands, ids, (s, c), top_age)
    texts = sources_by(t, ("specialty_id", "contact_type"))
    sources = {(k[0], k[1]): v for k, v in texts.items()}
    return DemandRates(per_1000, illustrative, sources)


def rate_row(t: Table, r: Row, ids: Sequence[str]) -> tuple[int, int, Band, bool]:
    """One rates row: (specialty index, contact index, its age band, illustrative)."""
    s = list(ids).index(t.one_of(r, "specialty_id", ids, "specialty"))
    if r.cells.get("contact_type", "").strip() in {str(c) for c in NOT_RATED}:
        raise t.error(r, "contact_type", "bed days are admissions × days per admission at the "
                      "admitting site (length_of_stay.csv), not a rate by age")
    c = CONTACT_NAMES.index(t.one_of(r, "contact_type", RATED_NAMES, "contact type"))
    low, high = t.integer(r, "age_from"), t.integer(r, "age_to")
    if low < 0 or high < low:
        raise t.error(r, "age_to", f"band {low}-{high} is not a valid age band")
    return s, c, (low, high, t.non_negative(r, "per_1000"), r), flag(t, r)


def rate_profile(
    t: Table, bands: Bands, ids: Sequence[str], key: tuple[int, int], top_age: int
) -> np.ndarray:
    """The single-age rates of one specialty × contact type from its bands; none is an error
    (zeros for bed days, which come from lengths of stay, and for optional dialysis)."""
    rows = sorted(bands.get(key, []), key=lambda b: b[0])
    if not rows and CONTACT_TYPES[key[1]] in (*NOT_RATED, *OPTIONAL_RATED):
        return np.zeros(top_age + 1)
    if not rows:
        raise t.error(
            None,
            "contact_type",
            f"no rates for specialty '{ids[key[0]]}', contact type '{CONTACT_NAMES[key[1]]}'",
        )
    return band_profile(t, rows, top_age)


def band_profile(t: Table, rows: list[tuple[int, int, float, Row]], top_age: int) -> np.ndarray:
    """Spread sorted bands over single ages 0..top_age; gaps, overlaps or a short end are errors."""
    out = np.zeros(top_age + 1)
    expected = 0
    for low, high, value, r in rows:
        if low > expected:
            raise t.error(
                r, "age_from", f"ages {expected}-{low - 1} are not covered (a gap before this band)"
            )
        if low < expected:
            raise t.error(
                r,
                "age_from",
                f"band {low}-{high} overlaps the band before it (which ends at {expected - 1})",
            )
        out[low : min(high, top_age) + 1] = value
        expected = high + 1
    if expected <= top_age:
        raise t.error(
            rows[-1][3],
            "age_to",
            f"bands end at age {expected - 1} but residents reach age {top_age}",
        )
    return out


def read_staffing(path: Path, specialties: Sequence[Specialty], sites: Sequence[Site]) -> Staffing:
    """staffing.csv: FTE and on-call heads ≥ 0 per specialty × site; absent pairs are 0."""
    t = read_table(path, STAFFING_COLUMNS)
    t.unique(STAFFING_KEY)
    ids, site_ids = [s.id for s in specialties], [s.id for s in sites]
    values = np.zeros((len(STAFFING_FIELDS), len(ids), len(site_ids)))
    illustrative = False
    for r in t.rows:
        s, j, cells, is_ill = staffing_row(t, r, ids, site_ids)
        values[:, s, j] = cells
        illustrative |= is_ill
    return Staffing(values[0], values[1], values[2], values[3], illustrative=illustrative)


def staffing_row(
    t: Table, r: Row, ids: Sequence[str], site_ids: Sequence[str]
) -> tuple[int, int, tuple[float, ...], bool]:
    """One staffing row: (specialty index, site index, the STAFFING_FIELDS ≥ 0, illustrative)."""
    s = list(ids).index(t.one_of(r, "specialty_id", ids, "specialty"))
    j = list(site_ids).index(t.one_of(r, "site_id", site_ids, "site"))
    return s, j, tuple(t.non_negative(r, f) for f in STAFFING_FIELDS), flag(t, r)


def read_workload(path: Path, specialties: Sequence[Specialty]) -> WorkloadStandards:
    """workload.csv: specialist minutes ≥ 0 for every specialty × contact type; dialysis
    sessions left out take no specialist minutes (a nurse-led session)."""
    t = read_table(path, ("specialty_id", "contact_type", "minutes"))
    t.unique(("specialty_id", "contact_type"))
    ids = [s.id for s in specialties]
    minutes = np.full((len(ids), len(CONTACT_NAMES)), np.nan)
    illustrative = np.zeros_like(minutes, dtype=bool)
    for r in t.rows:
        s = ids.index(t.one_of(r, "specialty_id", ids, "specialty"))
        c = CONTACT_NAMES.index(t.one_of(r, "contact_type", CONTACT_NAMES, "contact type"))
        minutes[s, c] = t.non_negative(r, "minutes")
        illustrative[s, c] = flag(t, r)
    optional = [CONTACT_NAMES.index(str(c)) for c in OPTIONAL_RATED]
    minutes[:, optional] = np.nan_to_num(minutes[:, optional])
    if np.isnan(minutes).any():
        s, c = np.argwhere(np.isnan(minutes))[0]
        raise t.error(
            None,
            "minutes",
            f"no minutes for specialty '{ids[s]}', contact type '{CONTACT_NAMES[c]}'",
        )
    return WorkloadStandards(minutes, illustrative)


def read_parameters(path: Path) -> Parameters:
    """parameters.csv: every setting of ``Parameters`` once, values ≥ 0, shares (unit
    'share') in 0..1; the record checks the ranges of the whole set."""
    t = read_table(path, ("key", "value", "unit"))
    t.unique(("key",))
    out: dict[str, Parameter] = {}
    for r in t.rows:
        key = t.text(r, "key")
        unit = r.cells.get("unit", "").strip()
        value = t.share(r, "value") if unit == "share" else t.non_negative(r, "value")
        out[key] = Parameter(key, value, unit, r.cells.get("source", "").strip(), flag(t, r))
    return Parameters.from_records(out, t.source)
