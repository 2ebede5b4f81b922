"""Rich tables for `bass data show`: the region's areas, sites, staffing and sources."""

from __future__ import annotations

from rich.table import Table

from bassplan.domain import Region
from bassplan.labels import Lang, label


def region_tables(region: Region, lang: Lang) -> list[Table]:
    """Return the tables that describe a region, in reading order."""
    return [
        _areas(region, lang),
        _sites(region, lang),
        _staffing(region, lang),
        _sources(region, lang),
    ]


def _areas(region: Region, lang: Lang) -> Table:
    pop = region.population
    totals = pop.residents.sum(axis=1)
    old = pop.residents[:, pop.ages >= 65].sum(axis=1)
    latest_year = max(pop.known_totals, default=pop.base_year)
    latest = pop.known_totals.get(latest_year, totals)
    table = Table(title=f"{region.name}: {len(region.areas)} {label('municipality', lang).lower()}",
                  title_justify="left")
    table.add_column(label("municipality", lang))
    table.add_column("Kode" if lang == "da" else "Code")
    table.add_column(f"{label('residents', lang)} {pop.base_year}", justify="right")
    table.add_column("65+", justify="right")
    table.add_column(f"{label('residents', lang)} {latest_year}", justify="right")
    for k, area in enumerate(region.areas):
        table.add_row(area.name, area.code, f"{totals[k]:,.0f}", f"{old[k] / totals[k]:.1%}",
                      f"{latest[k]:,.0f}")
    table.add_row(label("total", lang), "", f"{totals.sum():,.0f}",
                  f"{old.sum() / totals.sum():.1%}", f"{latest.sum():,.0f}")
    return table


def _sites(region: Region, lang: Lang) -> Table:
    orgs = {o.id: o.name for o in region.organisations}
    table = Table(title=label("site", lang), title_justify="left")
    heads = ("id", label("site", lang), "Org.", label("acute_site", lang), "Aktiv", "Koordinat")
    for head in heads:
        table.add_column(head)
    for site in region.sites:
        table.add_row(site.id, site.name, orgs.get(site.organisation_id, site.organisation_id),
                      _yes(site.acute, lang), _yes(site.active, lang),
                      site.coord_note)
    return table


def _staffing(region: Region, lang: Lang) -> Table:
    staff = region.staffing
    note = " (illustrativ)" if staff.illustrative else ""
    table = Table(title=f"Speciallæger, FTE{note}", title_justify="left")
    table.add_column(label("specialty", lang))
    staffed = [j for j in range(len(region.sites)) if staff.specialist_fte[:, j].sum() > 0]
    for j in staffed:
        table.add_column(region.sites[j].id, justify="right")
    for s, spec in enumerate(region.specialties):
        name = spec.name_da if lang == "da" else spec.name_en
        table.add_row(name, *(f"{staff.specialist_fte[s, j]:.1f}" for j in staffed))
    return table


def _sources(region: Region, lang: Lang) -> Table:
    table = Table(title="Kilder" if lang == "da" else "Sources", title_justify="left")
    table.add_column("Input")
    table.add_column(label("illustrative", lang))
    table.add_column("Kilde" if lang == "da" else "Source", overflow="fold")
    for prov in region.provenance:
        table.add_row(prov.name, _yes(prov.illustrative, lang), prov.source)
    for param in region.parameters.values():
        table.add_row(f"parameter {param.key} = {param.value:g} {param.unit}",
                      _yes(param.illustrative, lang), param.source)
    return table


def _yes(flag: bool, lang: Lang) -> str:
    return label("yes" if flag else "no", lang)
