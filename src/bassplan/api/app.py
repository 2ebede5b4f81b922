"""Build the API: ``create_app(settings)`` migrates the database and loads the default region
at startup (never at import; the others on first use), and maps every error to problem JSON
in one handler."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from bassplan.api import docs, openapi
from bassplan.api.bodylimit import BodyLimit
from bassplan.api.evaluations import EvaluationCache
from bassplan.api.headers import SecurityHeaders
from bassplan.api.jobs import JobRunner
from bassplan.api.problems import handle
from bassplan.api.ratelimit import LoginLimiter
from bassplan.api.regions import Regions
from bassplan.api.routes import (
    audit,
    data,
    deliverables,
    organisation,
    program,
    regions,
    runs,
    scenarios,
    session,
    users,
)
from bassplan.api.settings import Settings
from bassplan.domain.errors import BassError
from bassplan.store.engine import make_engine, session_factory, upgrade
from bassplan.store.models import now_utc


def create_app(settings: Settings) -> FastAPI:
    """The BASS REST API over the database and region named in ``settings``."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from bassplan.data.loaders import region_id_of
        from bassplan.scorecard.catalogue import load_indicators

        upgrade(settings.database_url, default_region=region_id_of(settings.data_dir))
        engine = make_engine(settings.database_url)
        app.state.sessions = session_factory(engine)
        app.state.regions = Regions(app.state.sessions, settings.data_dir)
        app.state.regions.get(app.state.regions.default)  # a broken default fails at startup
        app.state.indicators = load_indicators()
        app.state.jobs = JobRunner(app.state.sessions)
        app.state.jobs.recover()  # what a stopped server left unfinished is interrupted
        try:
            yield
        finally:
            app.state.jobs.shutdown()
            engine.dispose()

    app = FastAPI(
        title="BASS API",
        summary="Scenarios, evaluations and program governance for the BASS model.",
        version="1",
        lifespan=lifespan,
        docs_url=None,  # served from local files by bassplan.api.docs
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.limiter = LoginLimiter(settings.login_limits())
    app.state.clock = now_utc  # aware UTC; tests replace it to move time
    app.state.evaluations = EvaluationCache()
    for kind in (BassError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(kind, handle)
    app.add_middleware(BodyLimit, owner=app)  # pages and API alike; answered by the handlers
    routers = [m.router for m in (session, scenarios, runs, deliverables, organisation,
                                  program, audit, users, data, regions)]
    for router in routers:
        app.include_router(router)
    app.state.api_routes = [r for router in routers for r in router.routes
                            if isinstance(r, APIRoute)]
    docs.install(app)
    openapi.install(app, app.state.api_routes)
    _outermost(app, SecurityHeaders)
    return app


def _outermost(app: FastAPI, middleware: type[SecurityHeaders]) -> None:
    """Wrap the whole app in ``middleware``, outside Starlette's error middleware too, so
    that its 500 answers pass through it (``add_middleware`` puts a middleware inside)."""
    build = app.build_middleware_stack

    def built() -> ASGIApp:
        return middleware(build())

    app.build_middleware_stack = built  # type: ignore[method-assign]
