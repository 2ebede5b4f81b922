"""Build the bundled region directory from the shared public data, reproducibly.

Run: ``python -m bassplan.data.bundle.build SHARED_DIR OUT_DIR``. SHARED_DIR is the folder
of public files described by its SOURCES.md; OUT_DIR receives the bundle in the shape of
docs/architecture.md. The source files the bundle rests on are copied to OUT_DIR/sources/
first, and rates.csv is derived from those copies (``derive_rates``), so the bundle can
be rebuilt from itself.
"""

from __future__ import annotations

import csv
import json
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from bassplan.data import care_tables as care_tables_mod
from bassplan.data import population_tables
from bassplan.data.bundle import care, population, tables
from bassplan.data.csvread import Table, read_table
from bassplan.data.derive.ages import TOP_AGE
from bassplan.data.derive.dialysis import FOUND_FILE
from bassplan.data.derive.rates import (
    ACTIVITY_FILE,
    EPI_FILE,
    SOURCE_FILES,
    derive,
    write_rates,
)
from bassplan.data.derive.sourcefacts import SourceFile

MUNICIPALITIES = "region_sjaelland_municipalities.csv"
HOSPITALS = "region_sjaelland_hospitals.csv"
ORGANISATIONS = "region_sjaelland_organisations.csv"
SHAPES = "region_sjaelland_kommuner.geojson"
SPECIALISTS = "specialists_denmark.csv"
WORKLOAD = "workload_standards.csv"
TRANSPORT = "transport_factors.csv"
COUNCILS = "sundhedsraad_kommuner_denmark_2026.csv"
COUNCIL_COLUMNS = ("area_code", "council", "illustrative", "source")
COPIED = (
    *SOURCE_FILES,
    MUNICIPALITIES,
    HOSPITALS,
    ORGANISATIONS,
    SPECIALISTS,
    WORKLOAD,
    TRANSPORT,
    COUNCILS,
    *population.FILES,
    "SOURCES.md",
)
FOUND = Path(__file__).parent / FOUND_FILE  # facts the developers found, with their sources

BASE_YEAR = 2021
REGION_ORG = "region"
REGION_ORG_NAME = "Region Sjælland (sundheds- og akuthuse, kommunale sundhedscentre)"
REGION_ORG_SOURCE = (
    "bassplan: the sites that belong to no hospital organisation (the regional sundheds- og "
    "akuthuse and the kommunale sundhedscentre) are grouped here so every site has an "
    "organisation; they hold no staff of their own and can host outreach clinics"
)
TABLE_SOURCES: dict[str, str] = {
    "areas": "Danmarks Statistik/Wikipedia via region_sjaelland_municipalities.csv; "
    "centroids of the DAGI 2014 polygons",
    "population_by_age": "Danmarks Statistik FOLK1A, 1 January 2021 "
    "(region_sjaelland_population_by_age_2021.csv); ages 100+ added to age 100",
    "area_totals": "FOLK1A 2021 (summed) and 2023 (via Wikipedia), "
    "region_sjaelland_municipalities.csv",
    "sites": "Region Sjælland, Sygehusstruktur (region_sjaelland_hospitals.csv); "
    "coordinates mostly town centres",
    "organisations": "region_sjaelland_organisations.csv plus the region's own group of "
    "non-hospital sites",
    "specialties": "the seven BASS specialties; minimum team size illustrative",
    "rates": "derived by bassplan.data.derive.rates from sources/ (docs/data.md): Norwegian "
    "2004 age shape with Danish 80+ facts, scaled to 152 admissions per 1,000 (Danmarks "
    "Statistik, 2021); condition-based outpatient demand; specialty shares illustrative",
    "staffing": "illustrative: specialists per 100,000 in Denmark (2000/2001, "
    "specialists_denmark.csv) × each acute site's share of the planned catchments",
    "workload": "illustrative: no Danish standard minutes per hospital contact were found",
    "parameters": "37 h/week and 6 holiday weeks (workload_standards.csv), 141 g CO2/km "
    "and the 50 km transport rule (transport_factors.csv); the rest illustrative",
    "length_of_stay": "SUH's 2023 key figures (hospital_activity_region_sjaelland.csv); "
    "Holbæk and Slagelse illustrative; geriatrics the national geriatric stay (2013)",
    "morbidity": "kidney disease in the Lolland-Falster Health Study against Denmark "
    "(epidemiology_denmark.csv); illustrative as a demand multiplier",
    "dialysis_units": "Region Sjælland's dialysis units and stations (found_facts.csv: "
    "sn.dk 2021, Næstved 2025); Køge and Næstved stations illustrative",
    "life_table": "Human Mortality Database, Denmark, period life table 2019 by sex and "
    "single age (denmark_life_table_hmd_2019.csv)",
    "death_rates": "UN World Population Prospects 2024, Denmark, death rates by 5-year band, "
    "sex and period 2015-2050 (denmark_mortality_wpp2024_5yr.csv)",
    "official_projection": "Danmarks Statistik FRKM126 (2026 vintage), the region's 17 "
    "municipalities, 2026-2040, seven age bands "
    "(region_oestdanmark_population_projection_2026_2040.csv)",
    "fleet_co2": "141 and 27 g/km, new-car electric shares 2022-2023 (transport_factors.csv); "
    "the stock trajectory illustrative",
    "councils": "the sundhedsråd of each municipality from 2027 (sundhedsraad_kommuner_"
    "denmark_2026.csv: repo afpihl/sundhedsraad, checked against the region's press releases)",
    "catchments": "SUH Nykøbing F.'s catchment (region_sjaelland_hospitals.csv, komsydpaa.dk); "
    "the other acute sites' inferred from geography, the organisations and the planned "
    "catchment populations (illustrative)",
}
SITE_COLUMNS = ("site_id", "name", "short_name", "area_code", "lat", "lon", "acute", "active",
                "organisation_id", "coord_note", "source")
SPECIALTY_COLUMNS = ("specialty_id", "name_da", "name_en", "min_team_fte", "own_rota",
                     "illustrative", "source")
STAFFING_COLUMNS = ("specialty_id", "site_id", "specialist_fte", "trainee_fte", "vacant_fte",
                    "on_call_specialists", "illustrative", "source")
COORD_NOTES = {
    "address": "address point (third-party)",
    "town": "town centre, not the hospital site",
}
# Editorial, not a figure: the short names Danish planners write in a table head or on a map
# (SUH = Sjællands Universitetshospital; the town for a sygehus; the kind and town otherwise).
SHORT_NAMES = {
    "suh_koege": "SUH Køge", "holbaek": "Holbæk", "slagelse": "Slagelse",
    "suh_nykobing_f": "SUH Nykøbing F.", "suh_roskilde": "SUH Roskilde", "naestved": "Næstved",
    "ringsted": "Ringsted", "nakskov": "Sundhedshus Nakskov",
    "kalundborg": "Sundhedshus Kalundborg", "faxe": "Sundhedscenter Faxe",
    "vordingborg": "Sundhedscenter Vordingborg",
}


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, str]]) -> None:
    """Write a UTF-8 CSV with the given column order."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def copy_sources(shared: Path, out: Path) -> Path:
    """Copy the public files the bundle is built from into OUT_DIR/sources/."""
    target = out / "sources"
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        shutil.copyfile(shared / name, target / name)
    shutil.copyfile(FOUND, target / FOUND_FILE)
    return target


def area_tables(municipalities: Table) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """areas.csv (centroid as the population point) and area_totals.csv (2021, 2023)."""
    areas, totals = [], []
    for row in municipalities.rows:
        code = municipalities.text(row, "kommunekode")
        areas.append(
            {
                "area_code": code,
                "name": municipalities.text(row, "kommune"),
                "lat": municipalities.text(row, "centroid_lat"),
                "lon": municipalities.text(row, "centroid_lon"),
            }
        )
        for year in (2021, 2023):
            totals.append(
                {
                    "area_code": code,
                    "year": str(year),
                    "residents": municipalities.text(row, f"population_{year}_01_01"),
                }
            )
    return areas, totals


def population_rows(population: Table) -> list[dict[str, str]]:
    """population_by_age.csv: single ages 0..TOP_AGE, ages above added to the top age."""
    counts: dict[tuple[str, int], int] = {}
    for row in population.rows:
        code = population.text(row, "kommunekode")
        age = min(population.integer(row, "age"), TOP_AGE)
        counts[(code, age)] = counts.get((code, age), 0) + population.integer(row, "population")
    return [
        {"area_code": code, "year": str(BASE_YEAR), "age": str(age), "residents": str(n)}
        for (code, age), n in counts.items()
    ]


def area_shapes(source: Path, target: Path, codes: set[str] | None = None) -> None:
    """areas.geojson: the municipality polygons with properties area_code and name (only
    ``codes`` where given)."""
    data = json.loads(source.read_text(encoding="utf-8"))
    features = [
        {
            "type": "Feature",
            "properties": {
                "area_code": str(int(f["properties"]["kommunekode"])),
                "name": f["properties"]["kommune"],
            },
            "geometry": f["geometry"],
        }
        for f in data["features"]
        if codes is None or str(int(f["properties"]["kommunekode"])) in codes
    ]
    collection = {"type": "FeatureCollection", "features": features}
    target.write_text(
        json.dumps(collection, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def council_rows(councils: Table, codes: set[str]) -> list[dict[str, str]]:
    """councils.csv: the sundhedsråd (health council) of each of the region's areas."""
    return [{"area_code": councils.text(r, "kommunekode"),
             "council": councils.text(r, "sundhedsraad"), "illustrative": "no",
             "source": f"{COUNCILS} row {r.number} (repo afpihl/sundhedsraad, checked against "
                       "the region's press releases, see SOURCES.md)"}
            for r in councils.rows if councils.text(r, "kommunekode") in codes]


def site_rows(hospitals: Table, organisations: Table) -> list[dict[str, str]]:
    """sites.csv: acute = has an emergency department; active = not closed."""
    owner = {
        site: organisations.text(row, "organisation_id")
        for row in organisations.rows
        for site in organisations.text(row, "site_ids").split(";")
    }
    rows = []
    for row in hospitals.rows:
        site = hospitals.text(row, "site_id")
        kind = hospitals.text(row, "type")
        precision = hospitals.text(row, "coord_precision")
        rows.append(
            {
                "site_id": site,
                "name": hospitals.text(row, "name"),
                "short_name": SHORT_NAMES.get(site, ""),
                "area_code": hospitals.text(row, "kommunekode"),
                "lat": hospitals.text(row, "lat"),
                "lon": hospitals.text(row, "lon"),
                "acute": "yes" if hospitals.text(row, "emergency_department") == "yes" else "no",
                "active": "no" if kind.startswith("closed") else "yes",
                "organisation_id": owner.get(site, REGION_ORG),
                "coord_note": COORD_NOTES["address" if precision.startswith("address") else "town"],
                "source": f"{HOSPITALS} row {row.number} ({kind}); "
                + hospitals.text(row, "info_source"),
            }
        )
    return rows


def organisation_rows(organisations: Table, sites: list[dict[str, str]]) -> list[dict[str, str]]:
    """organisations.csv: the three hospital organisations plus the region's own group."""
    rows = [
        {
            "organisation_id": organisations.text(row, "organisation_id"),
            "name": organisations.text(row, "name"),
            "site_ids": organisations.text(row, "site_ids"),
            "source": f"{ORGANISATIONS} row {row.number}: {organisations.text(row, 'source')}",
        }
        for row in organisations.rows
    ]
    own = [s["site_id"] for s in sites if s["organisation_id"] == REGION_ORG]
    if own:
        rows.append(
            {
                "organisation_id": REGION_ORG,
                "name": REGION_ORG_NAME,
                "site_ids": ";".join(own),
                "source": REGION_ORG_SOURCE,
            }
        )
    return rows


def region_yaml(residents: int) -> dict[str, object]:
    """region.yaml: name, base year, description and one source line per table."""
    return {
        "name": "Region Sjælland",
        "population_base_year": BASE_YEAR,
        "description": (
            f"The 17 municipalities of Region Sjælland ({residents:,} residents on 1 January "
            f"{BASE_YEAR}), its 11 hospital and health-house sites and the seven BASS "
            "internal-medicine specialties. Built by bassplan.data.bundle.build from public "
            "data (sources/SOURCES.md); staffing, workload minutes and part of the rates and "
            "parameters are illustrative."
        ),
        "tables": TABLE_SOURCES,
    }


def build(shared: Path, out: Path) -> None:
    """Write the whole bundle from the shared folder into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    sources = copy_sources(shared, out)
    municipalities = read_table(sources / MUNICIPALITIES, ("kommunekode", "kommune"))
    hospitals = read_table(sources / HOSPITALS, ("site_id", "kommunekode"))
    organisations = read_table(sources / ORGANISATIONS, ("organisation_id", "site_ids"))
    population = read_table(sources / SOURCE_FILES[0], ("kommunekode", "age", "population"))

    areas, totals = area_tables(municipalities)
    write_csv(out / "areas.csv", ("area_code", "name", "lat", "lon"), areas)
    write_csv(out / "area_totals.csv", ("area_code", "year", "residents"), totals)
    people = population_rows(population)
    write_csv(out / "population_by_age.csv", ("area_code", "year", "age", "residents"), people)
    area_shapes(shared / SHAPES, out / "areas.geojson")

    sites = site_rows(hospitals, organisations)
    write_csv(out / "sites.csv", SITE_COLUMNS, sites)
    write_csv(
        out / "organisations.csv",
        ("organisation_id", "name", "site_ids", "source"),
        organisation_rows(organisations, sites),
    )

    write_csv(out / "specialties.csv", SPECIALTY_COLUMNS, tables.specialty_rows())
    residents = sum(int(p["residents"]) for p in people)
    acute = [
        tables.AcuteSite(
            row.cells["site_id"], hospitals.number(row, "planned_catchment_population")
        )
        for row in hospitals.rows
        if row.cells["emergency_department"].strip() == "yes"
    ]
    staffing = tables.staffing_rows(
        SourceFile(sources / SPECIALISTS), [s["site_id"] for s in sites], acute, residents
    )
    write_csv(out / "staffing.csv", STAFFING_COLUMNS, staffing)
    write_csv(
        out / "workload.csv",
        ("specialty_id", "contact_type", "minutes", "illustrative", "source"),
        tables.workload_rows(),
    )
    write_csv(
        out / "parameters.csv",
        ("key", "value", "unit", "illustrative", "source"),
        tables.parameter_rows(SourceFile(sources / WORKLOAD), SourceFile(sources / TRANSPORT),
                              SourceFile(sources / FOUND_FILE)),
    )
    write_rates(derive(sources).rows(), out / "rates.csv")
    care_tables(sources, out, [s["site_id"] for s in sites if s["acute"] == "yes"])
    projection_tables(sources, out, {a["area_code"] for a in areas})
    by_area: dict[str, int] = {}
    for p in people:
        by_area[p["area_code"]] = by_area.get(p["area_code"], 0) + int(p["residents"])
    write_csv(out / "catchments.csv",
              (*care_tables_mod.CATCHMENT_COLUMNS, "illustrative", "source"),
              care.catchment_rows(hospitals, SourceFile(sources / FOUND_FILE), by_area))
    councils = read_table(sources / COUNCILS, ("kommunekode", "sundhedsraad"))
    write_csv(out / "councils.csv", COUNCIL_COLUMNS,
              council_rows(councils, {a["area_code"] for a in areas}))
    text = yaml.safe_dump(region_yaml(residents), allow_unicode=True, sort_keys=False, width=100)
    (out / "region.yaml").write_text(text, encoding="utf-8")


def care_tables(sources: Path, out: Path, acute_sites: list[str]) -> None:
    """length_of_stay, morbidity, dialysis_units and fleet_co2 (``bundle.care``)."""
    activity, epi = SourceFile(sources / ACTIVITY_FILE), SourceFile(sources / EPI_FILE)
    found, transport = SourceFile(sources / FOUND_FILE), SourceFile(sources / TRANSPORT)
    tail = ("illustrative", "source")
    write_csv(out / "length_of_stay.csv", (*care_tables_mod.STAY_COLUMNS, *tail),
              care.stay_rows(activity, acute_sites))
    write_csv(out / "morbidity.csv", (*care_tables_mod.MORBIDITY_COLUMNS, *tail),
              care.morbidity_rows(epi))
    write_csv(out / "dialysis_units.csv", (*care_tables_mod.DIALYSIS_COLUMNS, *tail),
              care.dialysis_unit_rows(found))
    write_csv(out / "fleet_co2.csv", (*care_tables_mod.FLEET_COLUMNS, *tail),
              care.fleet_rows(transport))


def projection_tables(sources: Path, out: Path, codes: set[str]) -> None:
    """life_table, death_rates and official_projection (``bundle.population``)."""
    tail = ("illustrative", "source")
    life = read_table(sources / population.LIFE_FILE, ("sex", "age", "mx"))
    write_csv(out / "life_table.csv", (*population_tables.LIFE_COLUMNS, *tail),
              population.life_rows(life))
    wpp = read_table(sources / population.WPP_FILE, ("period", "sex", "age_start", "mx"))
    write_csv(out / "death_rates.csv", (*population_tables.TREND_COLUMNS, *tail),
              population.death_rate_rows(wpp))
    official = read_table(sources / population.OFFICIAL_FILE, ("kommunekode", "year"))
    write_csv(out / "official_projection.csv", (*population_tables.OFFICIAL_COLUMNS, *tail),
              population.official_rows(official, codes))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: build_bundle SHARED_DIR OUT_DIR."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m bassplan.data.bundle.build SHARED_DIR OUT_DIR", file=sys.stderr)
        return 2
    build(Path(args[0]), Path(args[1]))
    print(f"wrote the bundle to {args[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
