"""Read and check the optional tables of the population projection: a period life table
(``life_table``), death rates by age band for later years (``death_rates``) and an
official projection by area, year and age band (``official_projection``).

Each ``*_row`` function checks one row (the dashboard's import reuses it); each ``read_*``
reads a whole file into the domain's records and checks the table as a whole.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bassplan.data.csvread import Row, Table, read_table
from bassplan.data.model_tables import flag
from bassplan.domain.demography import DeathRateTrend, LifeTable, OfficialProjection

LIFE_COLUMNS = ("year", "sex", "age", "mx")
LIFE_KEY = ("sex", "age")
TREND_COLUMNS = ("series", "period_from", "period_to", "sex", "age_from", "mx")
TREND_KEY = ("period_from", "sex", "age_from")
OFFICIAL_COLUMNS = ("projection", "area_code", "year", "age_from", "age_to", "residents")
OFFICIAL_KEY = ("area_code", "year", "age_from")
SEXES = ("M", "F", "T")  # men, women, both sexes together
MAX_RATE = 10.0  # deaths per person-year; beyond this the cell is a typing error
YEARS = (1900, 2200)


def _year(t: Table, r: Row, field: str) -> int:
    year = t.integer(r, field)
    if not YEARS[0] <= year <= YEARS[1]:
        raise t.error(r, field, f"{year} is outside {YEARS[0]}..{YEARS[1]}")
    return year


def _rate(t: Table, r: Row) -> float:
    value = t.non_negative(r, "mx")
    if value > MAX_RATE:
        raise t.error(r, "mx", f"{value:g} deaths per person-year is above {MAX_RATE:g}")
    return value


def life_row(t: Table, r: Row) -> tuple[int, str, int, float]:
    """One life_table row: (year, sex M/F/T, age ≥ 0, death rate m_x per person-year)."""
    age = t.integer(r, "age")
    if age < 0:
        raise t.error(r, "age", f"{age} is negative")
    return _year(t, r, "year"), t.one_of(r, "sex", SEXES, "sex"), age, _rate(t, r)


def read_life_table(path: Path) -> tuple[LifeTable, bool]:
    """The life table (one year; ages 0..n-1 for every sex, the last open-ended; 'T' or
    both 'M' and 'F'); and whether any row is illustrative."""
    t = read_table(path, LIFE_COLUMNS)
    t.unique(LIFE_KEY)
    parsed = [(life_row(t, r), r) for r in t.rows]
    years = {p[0] for p, _ in parsed}
    if len(years) > 1:
        first = parsed[0][0][0]
        row = next(r for p, r in parsed if p[0] != first)
        raise t.error(row, "year", f"a life table is one year; row 2 has {first}")
    sexes = tuple(sorted({p[1] for p, _ in parsed}))
    if "T" not in sexes and sexes != ("F", "M"):
        raise t.error(None, "sex", "give rows for 'T' (both sexes) or for both 'M' and 'F'")
    n_ages = max(p[2] for p, _ in parsed) + 1
    mx = np.full((len(sexes), n_ages), np.nan)
    for (_, sex, age, value), _ in parsed:
        mx[sexes.index(sex), age] = value
    for k, sex in enumerate(sexes):
        if np.isnan(mx[k]).any():
            gap = int(np.flatnonzero(np.isnan(mx[k]))[0])
            raise t.error(None, "age", f"sex '{sex}' has no row for age {gap} "
                          f"(ages must run 0..{n_ages - 1})")
    return LifeTable(years.pop(), sexes, mx), any(flag(t, r) for r in t.rows)


def trend_row(t: Table, r: Row) -> tuple[str, int, int, str, int, float]:
    """One death_rates row: (series, period from, period to > from, sex, band start ≥ 0,
    death rate per person-year)."""
    low, high = _year(t, r, "period_from"), _year(t, r, "period_to")
    if high <= low:
        raise t.error(r, "period_to", f"{high} is not after period_from {low}")
    age = t.integer(r, "age_from")
    if age < 0:
        raise t.error(r, "age_from", f"{age} is negative")
    return (t.text(r, "series"), low, high, t.one_of(r, "sex", SEXES, "sex"), age,
            _rate(t, r))


def read_death_rates(path: Path, life: LifeTable | None) -> tuple[DeathRateTrend, bool]:
    """The death-rate trend: one series; periods that do not overlap, each with the same
    age bands (from 0, the last open) for every sex of the life table, which it needs."""
    t = read_table(path, TREND_COLUMNS)
    t.unique(TREND_KEY)
    if life is None:
        raise t.error(None, "(file)", "death rates move a life table: the region has no "
                      "life_table")
    parsed = [(trend_row(t, r), r) for r in t.rows]
    series = parsed[0][0][0]
    for p, r in parsed:
        if p[0] != series:
            raise t.error(r, "series", f"one series per table; row 2 has '{series}'")
    periods = sorted({(p[1], p[2]) for p, _ in parsed})
    for (a_from, a_to), (b_from, _) in itertools.pairwise(periods):
        if b_from < a_to:
            row = next(r for p, r in parsed if p[1] == b_from)
            raise t.error(row, "period_from", f"period {b_from} overlaps {a_from}-{a_to}")
    starts = [p[0] for p in periods]
    if len(set(starts)) != len(starts):
        raise t.error(None, "period_to", "a period starts twice with different ends")
    first = parsed[0][0]
    bands = sorted({p[4] for p, _ in parsed if (p[1], p[3]) == (first[1], first[3])})
    for p, r in parsed:
        if p[4] not in bands:
            raise t.error(r, "age_from", f"{p[4]} is not a band start of period {first[1]}, "
                          f"sex '{first[3]}' (row 2)")
    if bands[0] != 0:
        raise t.error(None, "age_from", f"the first band must start at age 0, not {bands[0]}")
    sexes = tuple(sorted({p[3] for p, _ in parsed}))
    missing = [s for s in life.sexes if s not in sexes]
    if missing:
        raise t.error(None, "sex", f"no rates for sex '{missing[0]}' of the life table")
    mx = np.full((len(periods), len(sexes), len(bands)), np.nan)
    for (_, low, _, sex, age, value), _ in parsed:
        mx[starts.index(low), sexes.index(sex), bands.index(age)] = value
    if np.isnan(mx).any():
        k, s, b = (int(x[0]) for x in np.nonzero(np.isnan(mx)))
        raise t.error(None, "age_from", f"period {starts[k]}, sex '{sexes[s]}' has no row "
                      f"for the band from age {bands[b]}")
    trend = DeathRateTrend(series, np.array(starts, dtype=np.float64),
                           np.array([end for _, end in periods], dtype=np.float64), sexes,
                           np.array(bands, dtype=np.int64), mx)
    return trend, any(flag(t, r) for r in t.rows)


def official_row(t: Table, r: Row, codes: Sequence[str], base_year: int
                 ) -> tuple[str, int, int, int, int | None, float]:
    """One official_projection row: (name, area index, year after the base year, band
    start, band end or None for an open last band, residents ≥ 0)."""
    code = r.cells.get("area_code", "").strip()
    i = codes.index(code) if code in codes else codes.index(t.one_of(r, "area_code", codes,
                                                                     "area"))
    year = _year(t, r, "year")
    if year <= base_year:
        raise t.error(r, "year", f"{year} is not after the population base year {base_year}")
    low = t.integer(r, "age_from")
    if low < 0:
        raise t.error(r, "age_from", f"{low} is negative")
    high = t.integer(r, "age_to") if r.cells.get("age_to", "").strip() else None
    if high is not None and high < low:
        raise t.error(r, "age_to", f"band {low}-{high} is not a valid age band")
    return t.text(r, "projection"), i, year, low, high, t.non_negative(r, "residents")


def read_official(path: Path, codes: Sequence[str], base_year: int, top_age: int
                  ) -> tuple[OfficialProjection, bool]:
    """The official projection: one name; the same age bands for every area and year, from
    age 0 without gaps, the last open (age_to empty) or reaching the top age; every area
    in every year."""
    t = read_table(path, OFFICIAL_COLUMNS)
    t.unique(OFFICIAL_KEY)
    parsed = [(official_row(t, r, codes, base_year), r) for r in t.rows]
    name = parsed[0][0][0]
    for p, r in parsed:
        if p[0] != name:
            raise t.error(r, "projection", f"one projection per table; row 2 has '{name}'")
    ends: dict[int, int | None] = {}
    for p, r in parsed:
        if ends.setdefault(p[3], p[4]) != p[4]:
            raise t.error(r, "age_to", f"the band from age {p[3]} ends at "
                          f"{ends[p[3]]} in another row")
    band_from = sorted(ends)
    band_to = [ends[b] for b in band_from]
    _check_bands(t, band_from, band_to, top_age)
    years = sorted({p[2] for p, _ in parsed})
    residents = np.full((len(years), len(codes), len(band_from)), np.nan)
    for (_, i, year, low, _, value), _ in parsed:
        residents[years.index(year), i, band_from.index(low)] = value
    if np.isnan(residents).any():
        y, i, b = (int(k[0]) for k in np.nonzero(np.isnan(residents)))
        raise t.error(None, "area_code", f"year {years[y]} has no row for area '{codes[i]}' "
                      f"and the band from age {band_from[b]}")
    ends_at = [top_age if e is None else min(e, top_age) for e in band_to]
    projection = OfficialProjection(name, np.array(years, dtype=np.int64),
                                    np.array(band_from, dtype=np.int64),
                                    np.array(ends_at, dtype=np.int64), residents)
    return projection, any(flag(t, r) for r in t.rows)


def _check_bands(t: Table, band_from: list[int], band_to: list[int | None],
                 top_age: int) -> None:
    """Bands from age 0, each starting the year after the one before ends, the last open or
    reaching the population's top age, none starting above it."""
    if band_from[0] != 0:
        raise t.error(None, "age_from", f"the first band must start at age 0, not "
                      f"{band_from[0]}")
    for k in range(1, len(band_from)):
        end = band_to[k - 1]
        if end is None or end + 1 != band_from[k]:
            shown = "open" if end is None else f"ends at {end}"
            raise t.error(None, "age_from", f"the band from age {band_from[k - 1]} {shown}; "
                          f"the next starts at {band_from[k]}")
    if band_from[-1] > top_age:
        raise t.error(None, "age_from", f"the band from age {band_from[-1]} starts above the "
                      f"population's top age {top_age}")
    last = band_to[-1]
    if last is not None and last < top_age:
        raise t.error(None, "age_to", f"the last band ends at {last}, below the population's "
                      f"top age {top_age} (leave age_to empty for an open band)")
