"""Read and check the region tables that shape care beyond rates: days per admission by
site (``length_of_stay``), local morbidity multipliers (``morbidity``), dialysis units
(``dialysis_units``), the car fleet's CO2 by year (``fleet_co2``) and the acute site that
admits each area's residents (``catchments``, the optageområder).

Each ``*_row`` function checks one row with the loaders' rules (the dashboard's import
reuses it); each ``read_*`` reads a whole file into arrays in the region's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bassplan.data.csvread import Row, Table, read_table
from bassplan.data.model_tables import flag
from bassplan.domain.vocabulary import FloatArray, IntArray

ALL = "*"  # specialty_id of a length-of-stay row that holds for every specialty
STAY_COLUMNS = ("site_id", "specialty_id", "days_per_admission")
STAY_KEY = ("site_id", "specialty_id")
MORBIDITY_COLUMNS = ("area_code", "specialty_id", "multiplier")
MORBIDITY_KEY = ("area_code", "specialty_id")
DIALYSIS_COLUMNS = ("site_id", "stations")
DIALYSIS_KEY = ("site_id",)
FLEET_COLUMNS = ("year", "g_co2_per_km")
FLEET_KEY = ("year",)
CATCHMENT_COLUMNS = ("area_code", "site_id")
CATCHMENT_KEY = ("area_code",)
MAX_DAYS_PER_ADMISSION = 60.0  # a mean stay beyond two months is a typing error
MAX_MULTIPLIER = 10.0  # a local rate ten times the regional one is a typing error


def stay_row(t: Table, r: Row, spec_ids: Sequence[str], site_ids: Sequence[str]
             ) -> tuple[int, int | None, float]:
    """One length_of_stay row: (site index, specialty index or None for '*', days)."""
    j = list(site_ids).index(t.one_of(r, "site_id", site_ids, "site"))
    spec = t.one_of(r, "specialty_id", [ALL, *spec_ids], "specialty (or * for all)")
    days = t.non_negative(r, "days_per_admission")
    if not 0.0 < days <= MAX_DAYS_PER_ADMISSION:
        raise t.error(r, "days_per_admission", f"must lie in (0, {MAX_DAYS_PER_ADMISSION:g}]")
    return j, None if spec == ALL else list(spec_ids).index(spec), days


def read_stays(path: Path, spec_ids: Sequence[str], site_ids: Sequence[str],
               acute: Sequence[bool]) -> tuple[FloatArray, bool]:
    """(S, J) days per admission: a specialty's own row, else the site's '*' row; every
    acute site needs a value for every specialty. Also whether any row is illustrative."""
    t = read_table(path, STAY_COLUMNS)
    t.unique(STAY_KEY)
    days = np.full((len(spec_ids), len(site_ids)), np.nan)
    general = np.full(len(site_ids), np.nan)
    illustrative = False
    for r in t.rows:
        j, s, value = stay_row(t, r, spec_ids, site_ids)
        illustrative |= flag(t, r)
        if s is None:
            general[j] = value
        else:
            days[s, j] = value
    days = np.where(np.isnan(days), general[None, :], days)
    for j, is_acute in enumerate(acute):
        missing = np.flatnonzero(np.isnan(days[:, j]))
        if is_acute and missing.size:
            raise t.error(None, "days_per_admission",
                          f"acute site '{site_ids[j]}' has no length of stay for "
                          f"'{spec_ids[int(missing[0])]}' (give a row for it or for '*')")
    return np.nan_to_num(days), illustrative


def morbidity_row(t: Table, r: Row, codes: Sequence[str], spec_ids: Sequence[str]
                  ) -> tuple[int, int, float]:
    """One morbidity row: (area index, specialty index, multiplier in (0, 10])."""
    a = list(codes).index(t.one_of(r, "area_code", codes, "area"))
    s = list(spec_ids).index(t.one_of(r, "specialty_id", spec_ids, "specialty"))
    value = t.non_negative(r, "multiplier")
    if not 0.0 < value <= MAX_MULTIPLIER:
        raise t.error(r, "multiplier", f"must lie in (0, {MAX_MULTIPLIER:g}]")
    return a, s, value


def read_morbidity(path: Path, codes: Sequence[str], spec_ids: Sequence[str]
                   ) -> tuple[FloatArray, bool]:
    """(A, S) demand multipliers, 1 where the table says nothing; and the illustrative flag."""
    t = read_table(path, MORBIDITY_COLUMNS)
    t.unique(MORBIDITY_KEY)
    values = np.ones((len(codes), len(spec_ids)))
    for r in t.rows:
        a, s, value = morbidity_row(t, r, codes, spec_ids)
        values[a, s] = value
    return values, any(flag(t, r) for r in t.rows)


def dialysis_row(t: Table, r: Row, site_ids: Sequence[str], active: Sequence[bool]
                 ) -> tuple[int, float]:
    """One dialysis_units row: (site index, haemodialysis stations > 0) at an active site."""
    j = list(site_ids).index(t.one_of(r, "site_id", site_ids, "site"))
    if not active[j]:
        raise t.error(r, "site_id", f"site '{site_ids[j]}' is not active")
    stations = t.non_negative(r, "stations")
    if stations <= 0:
        raise t.error(r, "stations", "a dialysis unit needs at least one station")
    return j, stations


def read_dialysis_units(path: Path, site_ids: Sequence[str], active: Sequence[bool]
                        ) -> tuple[FloatArray, bool]:
    """(J,) haemodialysis stations per site (0 = no unit); and the illustrative flag."""
    t = read_table(path, DIALYSIS_COLUMNS)
    t.unique(DIALYSIS_KEY)
    stations = np.zeros(len(site_ids))
    for r in t.rows:
        j, value = dialysis_row(t, r, site_ids, active)
        stations[j] = value
    return stations, any(flag(t, r) for r in t.rows)


def fleet_row(t: Table, r: Row) -> tuple[int, float]:
    """One fleet_co2 row: (year 2000-2100, grams of CO2 per car km ≥ 0)."""
    year = t.integer(r, "year")
    if not 2000 <= year <= 2100:
        raise t.error(r, "year", "must lie in 2000..2100")
    return year, t.non_negative(r, "g_co2_per_km")


def read_fleet(path: Path) -> tuple[Mapping[int, float], bool]:
    """Year → the car fleet's mean grams of CO2 per km; and the illustrative flag."""
    t = read_table(path, FLEET_COLUMNS)
    t.unique(FLEET_KEY)
    values = dict(sorted(fleet_row(t, r) for r in t.rows))
    return values, any(flag(t, r) for r in t.rows)


def catchment_row(t: Table, r: Row, codes: Sequence[str], site_ids: Sequence[str],
                  admitting: Sequence[bool]) -> tuple[int, int]:
    """One catchments row: (area index, index of an active acute site that admits it)."""
    a = list(codes).index(t.one_of(r, "area_code", codes, "area"))
    j = list(site_ids).index(t.one_of(r, "site_id", site_ids, "site"))
    if not admitting[j]:
        raise t.error(r, "site_id", f"site '{site_ids[j]}' is not an active acute site")
    return a, j


def read_catchments(path: Path, codes: Sequence[str], site_ids: Sequence[str],
                    admitting: Sequence[bool]) -> tuple[IntArray, bool]:
    """(A,) the acute site that admits each area's residents (-1 where the table says
    nothing: the nearest); ``admitting`` marks the active acute sites. Also whether any
    row is illustrative."""
    t = read_table(path, CATCHMENT_COLUMNS)
    t.unique(CATCHMENT_KEY)
    sites = np.full(len(codes), -1, dtype=np.int64)
    for r in t.rows:
        a, j = catchment_row(t, r, codes, site_ids, admitting)
        sites[a] = j
    return sites, any(flag(t, r) for r in t.rows)
