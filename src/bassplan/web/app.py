"""The whole server: the REST API with the dashboard's pages and assets on top. Errors on
/api stay problem JSON; on a page they become a page in the reader's language."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from bassplan.api.app import create_app
from bassplan.api.bodylimit import BodyTooLarge
from bassplan.api.problems import STATUS
from bassplan.api.problems import handle as problem_response
from bassplan.api.settings import Settings
from bassplan.domain.errors import BassError, InputError
from bassplan.i18n.words import Lang, label, say, say_error, word_table
from bassplan.store.errors import AlreadyExists, Forbidden, NotFound, VersionConflict
from bassplan.web.fragments import FragmentCache
from bassplan.web.pageauth import LoginRequired
from bassplan.web.render import REPORT_TEMPLATES, STATIC, page_lang, render
from bassplan.web.routes import admin as routes_admin
from bassplan.web.routes import data as routes_data
from bassplan.web.routes import glossary as routes_glossary
from bassplan.web.routes import overview as routes_overview
from bassplan.web.routes import program as routes_program
from bassplan.web.routes import program_meetings as routes_program_meetings
from bassplan.web.routes import scenarios as routes_scenarios
from bassplan.web.routes import scorecard as routes_scorecard
from bassplan.web.routes import session as routes_session

API_PREFIXES = ("/api", "/docs", "/openapi.json")
PAGE_ROUTERS = (routes_session, routes_overview, routes_scorecard, routes_data, routes_program,
                routes_program_meetings, routes_admin, routes_scenarios, routes_glossary)


def _kind(kind: str, lang: Lang) -> str:
    """A kind of record as the reader says it ('scenario' → 'Scenarie')."""
    key = "entity_" + kind.replace(" ", "_")
    return label(key, lang) if key in word_table() else kind


def _page_error(status: int, exc: Exception, lang: Lang) -> tuple[str, str]:
    """(label key or message, detail in the reader's language) shown on an error page."""
    if isinstance(exc, InputError):
        return "error", say_error(exc, lang)
    if isinstance(exc, NotFound):
        return "not_found", say("error_not_found_detail", lang, kind=_kind(exc.kind, lang),
                                name=exc.name)
    if isinstance(exc, AlreadyExists):
        return "error", say("error_already_exists", lang, kind=_kind(exc.kind, lang),
                            name=exc.name)
    if isinstance(exc, VersionConflict):
        return "error", say("error_version_conflict", lang, kind=_kind(exc.kind, lang),
                            name=exc.name, current=exc.current, expected=exc.expected)
    if isinstance(exc, Forbidden):
        return "forbidden", ""
    if isinstance(exc, StarletteHTTPException):
        key = {403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
        detail = str(exc.detail)  # a word key the pages raise with (the framework's English
        return key, detail if detail in word_table() else ""  # reason is not shown)
    if isinstance(exc, BassError):
        return {403: "forbidden", 404: "not_found"}.get(status, "error"), str(exc)
    return "error", ""


async def handle(request: Request, exc: Exception) -> Response:
    """Redirect to login, answer /api with problem JSON, and show pages' errors as a page."""
    if isinstance(exc, LoginRequired):
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(exc.next_path)}", status_code=303)
    if request.url.path.startswith(API_PREFIXES):
        return await problem_response(request, exc)
    status = next((code for kind, code, _ in STATUS if isinstance(exc, kind)), 500)
    if isinstance(exc, StarletteHTTPException):
        status = exc.status_code
    elif isinstance(exc, RequestValidationError):
        status = 422
    if status == 500:
        await problem_response(request, exc)  # logs it
    key, detail = _page_error(status, exc, page_lang(request))
    if detail in {"csrf_failed", "forbidden", "not_found"}:
        key, detail = detail, ""
    message = say(key, page_lang(request))
    if isinstance(exc, BodyTooLarge):  # the limit of what was sent, in the reader's words
        message, detail = say(f"body_too_large_{exc.kind}", page_lang(request),
                              limit=exc.limit), ""
    return render(request, "error.html", status=status, message=message, detail=detail)


def create_web_app(settings: Settings) -> FastAPI:
    """The REST API (see bassplan.api.app) plus the dashboard pages and their assets."""
    app = create_app(settings)
    app.state.fragments = FragmentCache()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/css/report.css", include_in_schema=False)
    def report_css() -> FileResponse:
        """The report's stylesheet, shared by the pages (heat-map colours, tables)."""
        return FileResponse(REPORT_TEMPLATES / "_style.css", media_type="text/css")

    for module in PAGE_ROUTERS:
        app.include_router(module.router)
    for kind in (BassError, RequestValidationError, StarletteHTTPException, Exception,
                 LoginRequired):
        app.add_exception_handler(kind, handle)
    return app
