"""Render a page: one Jinja environment over the dashboard's templates and the report's
partials (heat-map, tables, stylesheet), and the context every page shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from bassplan.api.regions import Regions, chosen_region, chosen_region_id
from bassplan.i18n.words import Lang, as_lang, convention, label
from bassplan.views.dataversion import describe_data_version
from bassplan.views.formatting import format_number
from bassplan.web.glossary import help_for

WEB_TEMPLATES = Path(__file__).parent / "templates"
REPORT_TEMPLATES = Path(__file__).parent.parent / "report" / "templates"
STATIC = Path(__file__).parent / "static"
LANG_COOKIE = "bass_lang"

ENV = jinja2.Environment(
    loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(WEB_TEMPLATES),
                                jinja2.FileSystemLoader(REPORT_TEMPLATES)]),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)

ENV.globals["help_for"] = help_for  # the "?" beside a key figure (templates/_help.html)
ENV.filters["num"] = lambda value, lang: format_number(float(value), lang)  # 1.717 in Danish

# words app.js shows (given to it in the page, as JSON): the states of a long run
SCRIPT_WORDS = ("sc_job_queued", "sc_job_running", "sc_job_done", "sc_job_failed",
                "sc_job_cancelled")

NAV = (  # (path, label key, least role that sees it)
    ("/", "nav_overview", "viewer"),
    ("/scorecard", "nav_scorecard", "viewer"),
    ("/scenarier", "nav_scenarios", "viewer"),
    ("/program", "nav_program", "viewer"),
    ("/data", "nav_data", "viewer"),
    ("/revision", "nav_audit", "admin"),
    ("/brugere", "nav_users", "admin"),
    ("/ordliste", "nav_glossary", "viewer"),
)


def page_lang(request: Request) -> Lang:
    """The reader's language: English if chosen (cookie), else Danish."""
    return as_lang(request.cookies.get(LANG_COOKIE))


class Labels:
    """Template access to labels in one language: ``L.key`` or ``L('key')``."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __getattr__(self, key: str) -> str:
        return label(key, self.lang)

    def __call__(self, key: str) -> str:
        """The label of ``key`` (for keys built in the template)."""
        return label(key, self.lang)


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """The page ``template`` with the shared context: language, labels, the user (if logged
    in), the session's CSRF token for forms, the navigation the user's role may see, and
    (logged in) the regions to choose from, the chosen one, and the data version of the
    region every figure on the page is computed from."""
    from bassplan.store.accounts import has_role

    lang = page_lang(request)
    user = getattr(request.state, "user", None)
    nav = [(path, label(key, lang)) for path, key, role in NAV
           if user is not None and has_role(user, role)]
    regions: Regions | None = getattr(request.app.state, "regions", None)
    shown = user is not None and regions is not None
    data_line = describe_data_version(chosen_region(request).data_version, lang) if shown else ""
    region_choices = regions.names() if user is not None and regions is not None else []
    html = ENV.get_template(template).render(
        request=request, lang=lang, L=Labels(lang), user=user, nav=nav,
        number_locale=convention("number_locale", lang),
        script_words={key: label(key, lang) for key in SCRIPT_WORDS},
        csrf=getattr(request.state, "csrf", ""), path=request.url.path, data_line=data_line,
        region_choices=region_choices,
        region_id=chosen_region_id(request) if shown else "",
        **context,
    )
    return HTMLResponse(html, status_code=status)
