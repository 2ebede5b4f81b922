"""One exception handler: every error leaves the API as RFC 7807 problem JSON
(``application/problem+json`` with type, title, status and detail), never a traceback."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bassplan.data.imports import ImportRejected
from bassplan.data.scenario_loader import key_path
from bassplan.domain.errors import InfeasiblePlanError, InputError
from bassplan.report.pdf import PdfError
from bassplan.store.errors import AlreadyExists, DatabaseError, Forbidden, NotFound, VersionConflict

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

# domain error → (HTTP status, problem type slug)
STATUS: tuple[tuple[type[Exception], int, str], ...] = (
    (InputError, 422, "invalid-input"),
    (InfeasiblePlanError, 422, "infeasible-plan"),
    (NotFound, 404, "not-found"),
    (VersionConflict, 409, "version-conflict"),
    (AlreadyExists, 409, "already-exists"),
    (Forbidden, 403, "forbidden"),
    (DatabaseError, 503, "database-unavailable"),
    (PdfError, 503, "pdf-unavailable"),
)


def problem(
    status: int,
    detail: str,
    *,
    kind: str | None = None,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """A problem response; ``kind`` names the type as /problems/<kind> (else about:blank)."""
    body: dict[str, Any] = {
        "type": f"/problems/{kind}" if kind else "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _validation_detail(exc: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    errors = [
        {"where": key_path(tuple(err.get("loc", ())))[0], "rule": str(err.get("msg", ""))}
        for err in exc.errors()
    ]
    first = errors[0] if errors else {"where": "", "rule": "invalid request"}
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{first['where']}: {first['rule']}{more}", errors


def allowed_methods(request: Request, named: str) -> list[str]:
    """Every method the API answers at this request's path. FastAPI makes one route per
    method and Starlette's 405 names only the first route that matched (``named``), so the
    others come from the API's routes (``app.state.api_routes``); as in OpenAPI, a path
    without parameters (/api/data/export.xlsx) wins over a template (/api/data/{kind})."""
    path = request.scope.get("path", "")
    matched = [r for r in getattr(request.app.state, "api_routes", ())
               if r.path_regex.match(path)]
    if not matched:
        return sorted({m.strip() for m in named.split(",") if m.strip()})
    fewest = min(len(r.param_convertors) for r in matched)
    return sorted({m for r in matched if len(r.param_convertors) == fewest
                   for m in r.methods or ()})


async def handle(request: Request, exc: Exception) -> JSONResponse:
    """Map any exception to a problem response (registered for every exception kind)."""
    for kind, status, slug in STATUS:
        if isinstance(exc, kind):
            extra: dict[str, Any] = {}
            if isinstance(exc, InputError):
                extra = {"where": exc.where, "field": exc.field}
            if isinstance(exc, ImportRejected):  # the first problems of an upload, by row
                extra["errors"] = [{"row": p.row, "field": p.field, "message": p.message}
                                   for p in exc.problems]
                extra["errors_total"] = exc.total  # how many there are in all
            detail = exc.line() if isinstance(exc, InputError) else str(exc)
            return problem(status, detail, kind=slug, extra=extra)
    if isinstance(exc, RequestValidationError):
        detail, errors = _validation_detail(exc)
        return problem(422, detail, kind="invalid-request", extra={"errors": errors})
    if isinstance(exc, StarletteHTTPException):
        headers = dict(exc.headers) if exc.headers else {}
        if exc.status_code == 405:  # Starlette names only the first route of the path's
            headers["Allow"] = ", ".join(allowed_methods(request, headers.get("Allow", "")))
        return problem(exc.status_code, str(exc.detail), headers=headers or None)
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(500, "An unexpected error occurred; it has been logged.")
