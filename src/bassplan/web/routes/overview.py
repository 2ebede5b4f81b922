"""Oversigt: the region's map for one scenario and specialty, municipalities coloured by a
chosen area quantity and sites marked by their role (strength position, outreach, acute)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from bassplan.api.deps import SessionsDep
from bassplan.api.regions import chosen_region
from bassplan.domain.results import Evaluation
from bassplan.domain.vocabulary import Modality
from bassplan.figures.choropleth import SiteMark, choropleth_svg, group_colours
from bassplan.i18n.labels import Lang, label
from bassplan.report.sections import ROLE_LABEL_KEYS, site_role
from bassplan.views.area_values import (
    AREA_INDICATORS,
    AreaIndicator,
    area_indicator,
    area_values,
    inset_areas,
)
from bassplan.views.councils import council_rows
from bassplan.views.formatting import (
    format_number,
    format_share,
    local_name,
    site_short,
)
from bassplan.views.records import headlines
from bassplan.web.choice import choose, choose_scenario
from bassplan.web.fragments import fragment
from bassplan.web.pageauth import PageUser
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def overview(
    request: Request,
    user: PageUser,
    sessions: SessionsDep,
    scenario: str | None = None,
    specialty: str | None = None,
    indicator: str | None = None,
) -> HTMLResponse:
    """The map page."""
    lang = page_lang(request)
    chosen = choose_scenario(request, sessions, scenario)
    region = chosen_region(request)
    spec_ids = tuple(s.id for s in region.specialties)
    spec_id = choose(spec_ids, specialty)
    ind = area_indicator(choose(tuple(i.id for i in AREA_INDICATORS), indicator))
    part = Markup("")
    if chosen.result is not None and region.area_shapes:
        result = chosen.result
        part = fragment(request, (chosen.key, spec_id, ind.id), "_overview_map.html",
                        lambda: map_context(result.evaluation, spec_id, ind, lang))
    specialties = [(sp.id, local_name(sp, lang)) for sp in region.specialties]
    indicators = [(i.id, label(i.id, lang)) for i in AREA_INDICATORS]
    return render(request, "overview.html", chosen=chosen, spec_id=spec_id,
                  specialties=specialties, indicator_id=ind.id, indicators=indicators,
                  part=part, region_name=region.name)


def map_context(
    evaluation: Evaluation, spec_id: str, ind: AreaIndicator, lang: Lang
) -> dict[str, Any]:
    """The map (SVG) and key figures of one specialty under one scenario; with sundhedsråd,
    each municipality outlined in its council's colour and named with it, and the councils'
    figures of the specialty (``views.councils``)."""
    region = evaluation.region
    s = region.specialty_index(spec_id)
    head = headlines(evaluation)[s]
    values = area_values(evaluation, s, ind.id)
    role_labels = {role: label(key, lang) for role, key in ROLE_LABEL_KEYS.items()}
    marks = [SiteMark(site_short(site), site.lat, site.lon, role)
             for site in region.sites if (role := site_role(site, head)) is not None]
    groups = ({a.code: c for a, c in zip(region.areas, region.councils, strict=True)}
              if region.councils is not None else None)
    names = {a.code: a.name for a in region.areas}
    if groups is not None:
        names = {code: f"{name} – {groups[code]}"
                 for code, name in names.items()}
    svg = Markup(choropleth_svg(
        region.area_shapes or {},
        {a.code: float(values[i]) for i, a in enumerate(region.areas)},
        marks,
        title=f"{local_name(head, lang)}: {label(ind.id, lang)}",
        unit=ind.unit,
        names=names,
        lower_is_better=ind.lower_is_better,
        decimals=ind.decimals,
        role_labels=role_labels,
        lang=lang,
        inset=inset_areas(region),
        groups=groups,
    ))
    names = {site.id: site_short(site) for site in region.sites}
    figures = [
        (label("p90_minutes", lang), format_number(head.p90_minutes, lang)),
        (label("mean_minutes", lang), format_number(head.mean_minutes, lang)),
        (label("within_45", lang), format_share(head.share_within_45, lang)),
        (label("wisn", lang), format_number(head.wisn_ratio, lang, 2)),
        (label(Modality.STRENGTH_POSITION, lang),
         ", ".join(names[x] for x in head.strength_positions) or "–"),
        (label(Modality.OUTREACH, lang), ", ".join(names[x] for x in head.outreach_sites) or "–"),
    ]
    areas = sorted((a.name, format_number(float(values[i]), lang, ind.decimals))
                   for i, a in enumerate(region.areas))  # the map's names, for the keyboard
    return {"svg": svg, "figures": figures, "areas": areas, "area_heading": label(ind.id, lang),
            "councils": council_lines(evaluation, s, lang)}


def council_lines(evaluation: Evaluation, s: int, lang: Lang) -> list[dict[str, str]]:
    """Per sundhedsråd (none without): its outline colour on the map, residents, mean
    minutes, share within 45 minutes and the team answering for most residents in specialty
    ``s``, as ``views.councils`` computes them."""
    rows = council_rows(evaluation)
    colours = group_colours({row.council: row.council for row in rows})
    names = {site.id: site_short(site) for site in evaluation.region.sites}
    lines = []
    for row in rows:
        entry = row.specialties[s]
        team = entry.team_sites[0] if entry.team_sites else None
        lines.append({
            "council": row.council, "colour": colours[row.council],
            "residents": format_number(row.residents, lang),
            "minutes": format_number(entry.minutes, lang, 1),
            "within_45": format_share(entry.share_within_45, lang),
            "team": f"{names.get(team[0], team[0])} ({format_share(team[1], lang)})"
                    if team else "–",
        })
    return lines
