"""Read and check the geography tables of a region: areas, sites, organisations, area
shapes and the optional area × site travel matrix."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from bassplan.data.csvread import Row, Table, read_table
from bassplan.domain.errors import InputError
from bassplan.domain.region import Area, Organisation, Site
from bassplan.domain.vocabulary import FloatArray

AREA_COLUMNS = ("area_code", "name", "lat", "lon")
SITE_COLUMNS = ("site_id", "name", "area_code", "lat", "lon", "acute", "active", "organisation_id")
ORGANISATION_COLUMNS = ("organisation_id", "name", "site_ids")
TRAVEL_COLUMNS = ("area_code", "site_id", "minutes", "km")
TRAVEL_KEY = ("area_code", "site_id")


def read_areas(path: Path) -> tuple[Area, ...]:
    """areas.csv: unique area codes with a population point (latitude, longitude)."""
    t = read_table(path, AREA_COLUMNS)
    t.unique(("area_code",))
    return tuple(
        Area(
            code=t.text(r, "area_code"),
            name=t.text(r, "name"),
            lat=t.in_range(r, "lat", -90, 90),
            lon=t.in_range(r, "lon", -180, 180),
        )
        for r in t.rows
    )


def read_site_table(path: Path) -> Table:
    """sites.csv as a table with unique site ids (parsed by ``parse_sites``)."""
    t = read_table(path, SITE_COLUMNS)
    t.unique(("site_id",))
    return t


def read_organisations(path: Path, site_ids: Sequence[str]) -> tuple[Organisation, ...]:
    """organisations.csv: unique ids, each listing known sites separated by ';', no site
    in two organisations."""
    t = read_table(path, ORGANISATION_COLUMNS)
    t.unique(("organisation_id",))
    owner: dict[str, str] = {}
    out = []
    for r in t.rows:
        org = t.text(r, "organisation_id")
        members = tuple(s.strip() for s in t.text(r, "site_ids").split(";") if s.strip())
        for site in members:
            if site not in site_ids:
                raise t.error(r, "site_ids", f"unknown site '{site}' (not in sites.csv)")
            if site in owner:
                raise t.error(
                    r, "site_ids", f"site '{site}' is already in organisation '{owner[site]}'"
                )
            owner[site] = org
        out.append(Organisation(org, t.text(r, "name"), members))
    return tuple(out)


def parse_sites(
    t: Table, area_codes: Sequence[str], organisations: Sequence[Organisation]
) -> tuple[Site, ...]:
    """Sites with known area codes and organisations; each site must be listed in its
    organisation's site_ids."""
    members = {o.id: set(o.site_ids) for o in organisations}
    sites = []
    for r in t.rows:
        site_id = t.text(r, "site_id")
        org = t.one_of(r, "organisation_id", members, "organisation")
        if site_id not in members[org]:
            raise t.error(
                r,
                "organisation_id",
                f"site '{site_id}' is not listed in organisation '{org}' "
                "(organisations.csv, site_ids)",
            )
        sites.append(
            Site(
                id=site_id,
                name=t.text(r, "name"),
                area_code=t.one_of(r, "area_code", area_codes, "area"),
                lat=t.in_range(r, "lat", -90, 90),
                lon=t.in_range(r, "lon", -180, 180),
                acute=t.yes_no(r, "acute"),
                organisation_id=org,
                active=t.yes_no(r, "active"),
                coord_note=r.cells.get("coord_note", "").strip(),
                short_name=r.cells.get("short_name", "").strip(),
            )
        )
    return tuple(sites)


def read_shapes(path: Path, area_codes: Sequence[str]) -> dict[str, object]:
    """areas.geojson: a FeatureCollection whose features carry a known ``area_code``;
    returns area code → geometry."""
    source = str(path)
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise InputError(source, "", "(encoding)", f"not UTF-8 text at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise InputError(source, f"line {exc.lineno}", "(json)", exc.msg) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise InputError(source, "", "type", "must be a GeoJSON FeatureCollection")
    shapes: dict[str, object] = {}
    for k, feature in enumerate(data.get("features", []), start=1):
        where = f"feature {k}"
        if not isinstance(feature, dict):
            raise InputError(source, where, "(feature)", "must be a GeoJSON Feature object")
        props = feature.get("properties") or {}
        code = str(props.get("area_code", "")).strip()
        if code not in area_codes:
            raise InputError(
                source, where, "area_code", f"unknown area '{code}' (not in areas.csv)"
            )
        if code in shapes:
            raise InputError(source, where, "area_code", f"duplicate area '{code}'")
        shapes[code] = feature.get("geometry")
    return shapes


def read_travel_matrix(
    path: Path, areas: Sequence[Area], sites: Sequence[Site]
) -> tuple[FloatArray, FloatArray]:
    """An area × site matrix of travel minutes and km (A, J); every pair is required."""
    t = read_table(path, TRAVEL_COLUMNS)
    t.unique(TRAVEL_KEY)
    area_pos = {a.code: i for i, a in enumerate(areas)}
    site_pos = {s.id: j for j, s in enumerate(sites)}
    minutes = np.full((len(areas), len(sites)), np.nan)
    km = np.full((len(areas), len(sites)), np.nan)
    for r in t.rows:
        i, j, row_minutes, row_km = travel_row(t, r, area_pos, site_pos)
        minutes[i, j], km[i, j] = row_minutes, row_km
    missing = np.argwhere(np.isnan(minutes))
    if missing.size:
        i, j = missing[0]
        raise t.error(
            None,
            "area_code+site_id",
            f"missing the pair area '{areas[i].code}' × site '{sites[j].id}' "
            f"({len(missing)} of {minutes.size} pairs missing; every pair is required)",
        )
    return minutes, km


def travel_row(
    t: Table, r: Row, area_pos: Mapping[str, int], site_pos: Mapping[str, int]
) -> tuple[int, int, float, float]:
    """One travel matrix row: (area index, site index, minutes ≥ 0, km ≥ 0)."""
    i = area_pos[t.one_of(r, "area_code", area_pos, "area")]
    j = site_pos[t.one_of(r, "site_id", site_pos, "site")]
    return i, j, t.non_negative(r, "minutes"), t.non_negative(r, "km")
