"""Scorecard: the heat-map specialty × site × perspective of one scenario; a click on a cell
asks the API how its worst indicator's value was computed. Under it the indicator table,
filtered by perspective, specialty and site (a plain GET form) and grouped by indicator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from bassplan.api.deps import SessionsDep
from bassplan.api.params import CodeQuery
from bassplan.api.regions import chosen_region
from bassplan.domain.vocabulary import Perspective
from bassplan.i18n.words import label, say
from bassplan.report.indicator_groups import SPECIALTY_LEVEL, chosen_filter, group_rows
from bassplan.report.sections import heatmap_table, indicator_rows
from bassplan.views.formatting import local_name, site_short
from bassplan.web.choice import choose_scenario
from bassplan.web.fragments import fragment
from bassplan.web.pageauth import PageUser
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/scorecard", response_class=HTMLResponse)
def scorecard_page(
    request: Request, user: PageUser, sessions: SessionsDep, scenario: str | None = None,
    perspective: CodeQuery = None, specialty: CodeQuery = None, site: CodeQuery = None,
) -> HTMLResponse:
    """The heat-map page with the indicator table under it (``perspective``, ``specialty``
    and ``site`` filter the table; an unknown value means all)."""
    lang = page_lang(request)
    chosen = choose_scenario(request, sessions, scenario)
    region = chosen_region(request)
    part = Markup("")
    if chosen.result is not None:
        result, name = chosen.result, chosen.name
        scored = {sc.site_id for sc in result.scorecard.scores if sc.site_id is not None}
        sites = [s for s in region.sites if s.id in scored]
        picked = chosen_filter(perspective, specialty, site, (
            {str(p) for p in Perspective}, {s.id for s in region.specialties},
            {*scored, SPECIALTY_LEVEL}))

        def context() -> dict[str, Any]:
            rows = indicator_rows(result.scorecard, region, lang)
            groups = group_rows(rows, picked)
            return {
                "hm": heatmap_table(result.scorecard, result.colours, region, lang),
                "groups": groups, "name": name, "picked": picked,
                "count_text": say("indicators_shown", lang, total=len(rows),
                                  shown=sum(len(g.rows) for g in groups)),
                "perspectives": [(str(p), label(p, lang)) for p in Perspective],
                "specialties": [(s.id, local_name(s, lang)) for s in region.specialties],
                "sites": [(s.id, site_short(s)) for s in sites],
                "specialty_level": SPECIALTY_LEVEL,
            }

        part = fragment(request, (chosen.key, picked), "_scorecard_body.html", context)
    return render(request, "scorecard.html", chosen=chosen, part=part)
