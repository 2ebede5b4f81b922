"""What `bass data check` and `bass data show` print: summary lines and plain tables of a
region, with no formatting library (the CLI renders them)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bassplan.data.loaders import load_region
from bassplan.domain.region import Region
from bassplan.domain.vocabulary import CONTACT_TYPES


@dataclass(frozen=True)
class TableView:
    """A titled table of text cells, ready to render."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def yes_no(value: bool) -> str:
    """'yes' or 'no'."""
    return "yes" if value else "no"


def check_region_dir(path: Path | None) -> list[str]:
    """Load and check a region directory (None: the bundled one); return summary lines.
    A broken rule raises InputError."""
    region = load_region(path)
    pop = region.population
    residents = pop.residents.sum()
    active_acute = int(region.acute_mask.sum())
    team_fte = region.staffing.specialist_fte.sum()
    years = ", ".join(str(y) for y in sorted(pop.known_totals)) or "none"
    matrix = "user matrix" if region.travel_minutes is not None else "none (default travel model)"
    illustrative = ", ".join(region.illustrative_inputs) or "none"
    return [
        f"region: {region.name} (base year {pop.base_year})",
        f"areas: {len(region.areas)}, residents {pop.base_year}: {residents:,.0f}, "
        f"ages 0-{int(pop.ages[-1])}, known totals: {years}",
        f"sites: {len(region.sites)} ({active_acute} active acute), "
        f"organisations: {len(region.organisations)}",
        f"specialties: {len(region.specialties)} ({', '.join(s.id for s in region.specialties)})",
        f"rates: {len(region.specialties)} specialties × {len(CONTACT_TYPES)} contact types",
        f"staffing: {team_fte:,.1f} specialist FTE, "
        f"{region.staffing.vacant_fte.sum():,.1f} vacant FTE",
        f"parameters: {len(region.parameters.keys())}",
        f"projection: {projection_line(region)}",
        f"travel matrix: {matrix}",
        f"area shapes: {len(region.area_shapes or {})}",
        f"illustrative inputs: {illustrative}",
    ]


def projection_line(region: Region) -> str:
    """What the population projection runs on: life table, death-rate trend and official
    projection (name, years, municipalities)."""
    pop = region.population
    table = f"life table {pop.life_table.year}" if pop.life_table else "no life table (no deaths)"
    trend = f", death rates {pop.trend.series}" if pop.trend else ""
    official = pop.official
    years = (f", official {official.name} {int(official.years[0])}-{int(official.years[-1])} "
             f"({len(official.band_from)} age bands)") if official is not None else ""
    return table + trend + years


def describe_region(region: Region) -> tuple[TableView, ...]:
    """The region as tables: areas, sites, organisations, specialties (with demand and
    staff), parameters and provenance."""
    pop = region.population
    by_area = pop.residents.sum(axis=1)
    areas = tuple(
        (a.code, a.name, f"{a.lat:.5f}", f"{a.lon:.5f}", f"{by_area[i]:,.0f}")
        for i, a in enumerate(region.areas)
    )
    sites = tuple(
        (
            s.id,
            s.name,
            s.area_code,
            yes_no(s.acute),
            yes_no(s.active),
            s.organisation_id,
            s.coord_note,
        )
        for s in region.sites
    )
    orgs = tuple((o.id, o.name, "; ".join(o.site_ids)) for o in region.organisations)
    yearly = np.einsum("a,sca->sc", pop.residents.sum(axis=0), region.rates.per_1000) / 1000.0
    specialties = tuple(
        (
            s.id,
            s.name_da,
            s.name_en,
            f"{s.min_team_fte:g}",
            f"{region.staffing.specialist_fte[k].sum():.1f}",
            *(f"{yearly[k, c]:,.0f}" for c in range(len(CONTACT_TYPES))),
        )
        for k, s in enumerate(region.specialties)
    )
    params = tuple(
        (p.key, f"{p.value:.10g}", p.unit, yes_no(p.illustrative), p.source)
        for p in map(region.parameters.record, region.parameters.keys())
    )
    provenance = tuple((p.name, yes_no(p.illustrative), p.source) for p in region.provenance)
    return (
        TableView(
            "Region",
            ("item", "value"),
            (
                ("name", region.name),
                ("base year", str(pop.base_year)),
                ("residents", f"{pop.residents.sum():,.0f}"),
            ),
        ),
        TableView("Areas", ("area_code", "name", "lat", "lon", "residents"), areas),
        TableView(
            "Sites",
            ("site_id", "name", "area_code", "acute", "active", "organisation", "coordinates"),
            sites,
        ),
        TableView("Organisations", ("organisation_id", "name", "sites"), orgs),
        TableView(
            f"Specialties (contacts per year, {pop.base_year} population)",
            (
                "specialty_id",
                "name_da",
                "name_en",
                "min_team_fte",
                "specialist_fte",
                *(str(c) for c in CONTACT_TYPES),
            ),
            specialties,
        ),
        TableView("Parameters", ("key", "value", "unit", "illustrative", "source"), params),
        TableView("Provenance", ("table", "illustrative", "source"), provenance),
    )
