"""The bundle's projection tables: the Danish life table, the UN WPP death rates for later
years and Statistics Denmark's municipal projection for the region's municipalities —
each row copied from the shared file and citing its row there."""

from __future__ import annotations

from collections.abc import Collection

from bassplan.data.bundle.tables import Cells
from bassplan.data.csvread import Table

LIFE_FILE = "denmark_life_table_hmd_2019.csv"
WPP_FILE = "denmark_mortality_wpp2024_5yr.csv"
OFFICIAL_FILE = "region_oestdanmark_population_projection_2026_2040.csv"
FILES = (LIFE_FILE, WPP_FILE, OFFICIAL_FILE)
WPP_SERIES = "WPP 2024"
OFFICIAL_NAME = "FRKM126"
# the projection's columns and the age bands they hold (None: open-ended)
OFFICIAL_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("pop_0_5", 0, 5),
    ("pop_6_16", 6, 16),
    ("pop_17_19", 17, 19),
    ("pop_20_34", 20, 34),
    ("pop_35_64", 35, 64),
    ("pop_65_79", 65, 79),
    ("pop_80plus", 80, None),
)


def _cells(values: dict[str, str], source: str) -> Cells:
    return {**values, "illustrative": "no", "source": source}


def life_rows(life: Table) -> list[Cells]:
    """life_table.csv: HMD's central death rate m_x for each sex and single age, 2019; the
    open age '110+' as age 110."""
    return [
        _cells({"year": life.text(r, "year"), "sex": life.text(r, "sex"),
                "age": life.text(r, "age").rstrip("+"), "mx": life.text(r, "mx")},
               f"{LIFE_FILE} row {r.number} (Human Mortality Database, Denmark, period "
               "life table 2019)")
        for r in life.rows
    ]


def death_rate_rows(wpp: Table, sexes: Collection[str] = ("M", "F")) -> list[Cells]:
    """death_rates.csv: WPP 2024's death rate of each 5-year band, sex and period (estimates
    2015-2020, medium variant after)."""
    rows = []
    for r in wpp.rows:
        if wpp.text(r, "sex") not in sexes:
            continue
        low, high = wpp.text(r, "period").split("-")
        rows.append(_cells({"series": WPP_SERIES, "period_from": low, "period_to": high,
                            "sex": wpp.text(r, "sex"), "age_from": wpp.text(r, "age_start"),
                            "mx": wpp.text(r, "mx")},
                           f"{WPP_FILE} row {r.number} (UN World Population Prospects 2024)"))
    return rows


def official_rows(projection: Table, codes: Collection[str]) -> list[Cells]:
    """official_projection.csv: FRKM126's residents per band, year and municipality, for the
    region's municipalities only."""
    rows = []
    for r in projection.rows:
        code = projection.text(r, "kommunekode")
        if code not in codes:
            continue
        for column, low, high in OFFICIAL_BANDS:
            rows.append(_cells({"projection": OFFICIAL_NAME, "area_code": code,
                                "year": projection.text(r, "year"), "age_from": str(low),
                                "age_to": "" if high is None else str(high),
                                "residents": projection.text(r, column)},
                               f"{OFFICIAL_FILE} row {r.number}, {column} (Danmarks "
                               "Statistik FRKM126, 1 January)"))
    return rows
