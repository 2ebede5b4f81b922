"""Scorecard: the heat-map specialty × site × perspective of one scenario; a click on a cell
asks the API how its worst indicator's value was computed."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from bassplan.api.deps import SessionsDep
from bassplan.api.regions import chosen_region
from bassplan.report.sections import heatmap_table, indicator_rows
from bassplan.web.choice import choose_scenario
from bassplan.web.fragments import fragment
from bassplan.web.pageauth import PageUser
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/scorecard", response_class=HTMLResponse)
def scorecard_page(
    request: Request, user: PageUser, sessions: SessionsDep, scenario: str | None = None
) -> HTMLResponse:
    """The heat-map page with the indicator table under it."""
    lang = page_lang(request)
    chosen = choose_scenario(request, sessions, scenario)
    region = chosen_region(request)
    part = Markup("")
    if chosen.result is not None:
        result, name = chosen.result, chosen.name

        def context() -> dict[str, Any]:
            return {"hm": heatmap_table(result.scorecard, result.colours, region, lang),
                    "rows": indicator_rows(result.scorecard, region, lang), "name": name}

        part = fragment(request, chosen.key, "_scorecard_body.html", context)
    return render(request, "scorecard.html", chosen=chosen, part=part)
