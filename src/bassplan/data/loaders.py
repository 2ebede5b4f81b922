"""Load a region directory (the shape of docs/architecture.md) into a checked ``Region``.

Every table may be ``name.csv`` (UTF-8) or ``name.xlsx`` (first sheet, same columns).
The first broken rule raises ``InputError`` naming the file, row, field and rule.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from bassplan.data import care_tables, geo_tables, model_tables, network_tables, population_tables
from bassplan.data.csvread import find_table, read_table
from bassplan.data.safeyaml import load_bounded
from bassplan.domain import limits
from bassplan.domain.errors import InputError
from bassplan.domain.region import DataVersion, Population, Provenance, Region
from bassplan.domain.vocabulary import C_DIALYSIS, FloatArray

BUNDLED = "region_sjaelland"
# the bundled regions: id -> directory inside the package (the first is the default)
REGIONS: dict[str, str] = {"sjaelland": BUNDLED, "oestdanmark": "region_oestdanmark"}
DEFAULT_REGION_ID = next(iter(REGIONS))
LOCAL_REGION_ID = "local"  # the id of a configured region directory that is not bundled
REGION_FILE = "region.yaml"
REGION_KEYS = {"name", "population_base_year", "description", "tables"}
REQUIRED_TABLES = (
    "areas",
    "population_by_age",
    "sites",
    "organisations",
    "specialties",
    "rates",
    "staffing",
    "workload",
    "parameters",
    "length_of_stay",
)
OPTIONAL_TABLES = (
    "area_totals",
    "travel_matrix",
    "morbidity",
    "dialysis_units",
    "fleet_co2",
    "life_table",
    "death_rates",
    "official_projection",
    "catchments",
    "offers",
    "crossings",
    "councils",
)


def bundled_region_dir(region_id: str | None = None) -> Path:
    """The directory of a bundled region (``REGIONS``; None: the default, Region Sjælland)
    inside the installed package."""
    key = next(iter(REGIONS)) if region_id is None else region_id
    if key not in REGIONS:
        raise InputError("--region", "", "region",
                         f"unknown region '{key}' (bundled: {', '.join(REGIONS)}; or give "
                         "a directory)")
    path = Path(str(files("bassplan.data").joinpath(REGIONS[key])))
    if not path.is_dir():
        raise InputError(str(path), "", "(directory)", "the bundled region data is missing")
    return path


def region_dir(choice: str | Path | None) -> Path:
    """The directory a region choice names: None the default bundled region, a bundled id
    (``REGIONS``) that region, anything else a directory path."""
    if choice is None:
        return bundled_region_dir()
    text = str(choice)
    if text in REGIONS and not Path(text).is_dir():
        return bundled_region_dir(text)
    return Path(choice)


def region_id_of(choice: str | Path | None) -> str:
    """The registry id of a region choice (``region_dir``): a bundled id, the id of a
    bundled directory, else ``LOCAL_REGION_ID`` (a directory of the user's)."""
    if choice is None:
        return DEFAULT_REGION_ID
    text = str(choice)
    if text in REGIONS and not Path(text).is_dir():
        return text
    directory = Path(choice).resolve()
    return next((key for key in REGIONS if bundled_region_dir(key).resolve() == directory),
                LOCAL_REGION_ID)


def read_yaml(path: Path) -> Any:
    """Parse a UTF-8 YAML file within the bounds of ``domain.limits`` (size checked before
    reading, then depth, aliases and expanded size); syntax errors name the line."""
    source = str(path)
    if not path.is_file():
        raise InputError(source, "", "(file)", "file not found")
    size = path.stat().st_size
    if size > limits.MAX_YAML_BYTES:
        raise InputError(source, "", "(file)",
                         f"larger than {limits.MAX_YAML_BYTES:,} bytes ({size:,})")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(source, "", "(encoding)", f"not UTF-8 text at byte {exc.start}") from None
    if not text.strip():
        raise InputError(source, "", "(file)", "the file is empty")
    return load_bounded(text, source)


def read_region_file(path: Path) -> dict[str, Any]:
    """region.yaml: ``name`` (text), ``population_base_year`` (year), optional
    ``description`` and ``tables`` (table name → source text)."""
    data = read_yaml(path)
    source = str(path)
    if not isinstance(data, dict):
        raise InputError(source, "", "(file)", "must be a mapping of keys to values")
    for key in data:
        if key not in REGION_KEYS:
            raise InputError(
                source,
                str(key),
                str(key),
                f"unknown key (allowed: {', '.join(sorted(REGION_KEYS))})",
            )
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(source, "name", "name", "a non-empty region name is required")
    year = data.get("population_base_year")
    if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2200:
        raise InputError(
            source,
            "population_base_year",
            "population_base_year",
            "a year such as 2021 is required",
        )
    tables = data.get("tables") or {}
    if not isinstance(tables, dict):
        raise InputError(source, "tables", "tables", "must map table names to source texts")
    return data


def table_path(directory: Path, name: str) -> Path:
    """The CSV or XLSX file of a required table."""
    path = find_table(directory, name)
    if path is None:
        raise InputError(str(directory / f"{name}.csv"), "", "(file)", "required table is missing")
    return path


def load_region(path: str | Path | None = None) -> Region:
    """Load and check a region directory or bundled id (``region_dir``); None loads the
    default bundled region."""
    directory = region_dir(path)
    if not directory.is_dir():
        raise InputError(str(directory), "", "(directory)",
                         f"not a directory nor a bundled region ({', '.join(REGIONS)})")
    meta = read_region_file(directory / REGION_FILE)
    base_year = int(meta["population_base_year"])
    paths = {name: table_path(directory, name) for name in REQUIRED_TABLES}
    optional = {name: find_table(directory, name) for name in OPTIONAL_TABLES}

    areas = geo_tables.read_areas(paths["areas"])
    codes = [a.code for a in areas]
    site_table = geo_tables.read_site_table(paths["sites"])
    site_ids = [r.cells["site_id"].strip() for r in site_table.rows]
    organisations = geo_tables.read_organisations(paths["organisations"], site_ids)
    sites = geo_tables.parse_sites(site_table, codes, organisations)
    specialties, specialties_ill = model_tables.read_specialties(paths["specialties"])
    population = model_tables.read_population(
        paths["population_by_age"], optional["area_totals"], areas, base_year
    )
    top_age = int(population.ages[-1])
    population, population_flags = _projection_inputs(population, optional, codes)
    rates = model_tables.read_rates(paths["rates"], specialties, top_age)
    staffing = model_tables.read_staffing(paths["staffing"], specialties, sites)
    parameters = model_tables.read_parameters(paths["parameters"])
    workload = model_tables.read_workload(paths["workload"], specialties)
    spec_ids, site_ids = [s.id for s in specialties], [s.id for s in sites]
    stays, stays_ill = care_tables.read_stays(paths["length_of_stay"], spec_ids, site_ids,
                                              [s.acute and s.active for s in sites])
    morbidity, morbidity_ill = (
        care_tables.read_morbidity(optional["morbidity"], codes, spec_ids)
        if optional["morbidity"] is not None else (None, False))
    stations, stations_ill = (
        care_tables.read_dialysis_units(optional["dialysis_units"], site_ids,
                                        [s.active for s in sites])
        if optional["dialysis_units"] is not None else (None, False))
    fleet, fleet_ill = (care_tables.read_fleet(optional["fleet_co2"])
                        if optional["fleet_co2"] is not None else ({}, False))
    catchment, catchment_ill = (
        care_tables.read_catchments(optional["catchments"], codes, site_ids,
                                    [s.acute and s.active for s in sites])
        if optional["catchments"] is not None else (None, False))
    offers, offers_ill = (
        network_tables.read_offers(optional["offers"], spec_ids, site_ids,
                                   [s.active for s in sites])
        if optional["offers"] is not None else (None, False))
    crossings, crossings_ill = (
        network_tables.read_crossings(optional["crossings"], codes)
        if optional["crossings"] is not None else (None, False))
    councils, councils_ill = (
        network_tables.read_councils(optional["councils"], codes)
        if optional["councils"] is not None else (None, False))
    _check_dialysis(rates.per_1000, stations, spec_ids, directory)
    minutes: FloatArray | None = None
    km: FloatArray | None = None
    if optional["travel_matrix"] is not None:
        minutes, km = geo_tables.read_travel_matrix(optional["travel_matrix"], areas, sites)
    shapes_path = directory / "areas.geojson"
    shapes = geo_tables.read_shapes(shapes_path, codes) if shapes_path.is_file() else None

    texts: dict[str, str] = {str(k): str(v) for k, v in (meta.get("tables") or {}).items()}
    flags = {
        "specialties": specialties_ill,
        "rates": bool(rates.illustrative.any()),
        "staffing": staffing.illustrative,
        "workload": bool(workload.illustrative.any()),
        "parameters": bool(parameters.illustrative_keys),
        "length_of_stay": stays_ill,
        "morbidity": morbidity_ill,
        "dialysis_units": stations_ill,
        "fleet_co2": fleet_ill,
        **population_flags,
        "catchments": catchment_ill,
        "offers": offers_ill,
        "crossings": crossings_ill,
        "councils": councils_ill,
    }
    present = [*REQUIRED_TABLES, *(n for n, p in optional.items() if p is not None)]
    provenance = tuple(
        Provenance(name, texts.get(name) or table_sources(directory, name), flags.get(name, False))
        for name in present
    )
    return Region(
        name=str(meta["name"]).strip(),
        areas=areas,
        sites=sites,
        organisations=organisations,
        specialties=specialties,
        population=population,
        rates=rates,
        staffing=staffing,
        workload=workload,
        parameters=parameters,
        days_per_admission=stays,
        provenance=provenance,
        travel_minutes=minutes,
        travel_km=km,
        area_shapes=shapes,
        morbidity=morbidity,
        dialysis_stations=stations,
        fleet_co2=fleet,
        catchment=catchment,
        offers=offers,
        crossings=crossings,
        councils=councils,
        data_version=data_version_of(directory),
    )


FINGERPRINT_SUFFIXES = (".csv", ".xlsx", ".yaml", ".geojson")


def data_version_of(directory: Path) -> DataVersion:
    """The region directory's data version: ``bundled`` (any region shipped in the package) or
    its folder name, and the first 12 hex digits of a SHA-256 over its table files' names and
    bytes (sources/ excluded), so two directories with the same tables share a fingerprint."""
    digest = hashlib.sha256()
    for path in sorted(p for p in directory.iterdir()
                       if p.is_file() and p.suffix in FINGERPRINT_SUFFIXES):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    bundled = directory.resolve() in {bundled_region_dir(r).resolve() for r in REGIONS}
    return DataVersion("bundled" if bundled else directory.name, digest.hexdigest()[:12])


def _projection_inputs(population: Population, optional: dict[str, Path | None],
                       codes: list[str]) -> tuple[Population, dict[str, bool]]:
    """The population with its optional life table, death-rate trend and official
    projection; and whether each table present is illustrative."""
    flags: dict[str, bool] = {}
    life = trend = official = None
    if (path := optional["life_table"]) is not None:
        life, flags["life_table"] = population_tables.read_life_table(path)
    if (path := optional["death_rates"]) is not None:
        trend, flags["death_rates"] = population_tables.read_death_rates(path, life)
    if (path := optional["official_projection"]) is not None:
        official, flags["official_projection"] = population_tables.read_official(
            path, codes, population.base_year, int(population.ages[-1]))
    return replace(population, life_table=life, trend=trend, official=official), flags


def _check_dialysis(per_1000: FloatArray, stations: FloatArray | None,
                    spec_ids: list[str], directory: Path) -> None:
    """Dialysis sessions need a dialysis unit to go to: refuse rates without one."""
    sessions = per_1000[:, C_DIALYSIS].sum(axis=1)
    if sessions.any() and (stations is None or not stations.any()):
        spec = spec_ids[int(np.flatnonzero(sessions)[0])]
        raise InputError(str(directory / "dialysis_units.csv"), "", "(file)",
                         f"rates give '{spec}' dialysis sessions but the region has no "
                         "dialysis unit")


def table_sources(directory: Path, name: str) -> str:
    """Summarise a table's ``source`` column: the one text, or the count and the first."""
    path = find_table(directory, name)
    if path is None:
        return ""
    t = read_table(path, (), allow_empty=True)
    texts = list(dict.fromkeys(r.cells.get("source", "").strip() for r in t.rows))
    texts = [x for x in texts if x]
    if not texts:
        return f"{path.name} (no source given)"
    if len(texts) == 1:
        return texts[0]
    return f"{len(texts)} sources in {path.name}, e.g. {texts[0]}"


def load_travel_matrix(path: Path, region: Region) -> tuple[FloatArray, FloatArray]:
    """Read an area × site travel matrix (CSV/XLSX: area_code, site_id, minutes, km) for
    ``region``: (minutes (A, J), km (A, J)); every pair is required."""
    return geo_tables.read_travel_matrix(Path(path), region.areas, region.sites)
