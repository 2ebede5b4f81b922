"""The OpenAPI document, completed in one place: every operation lists the problem responses
it can give (``application/problem+json`` with the Problem schema), and who may call it
(a bearer token or the session cookie). FastAPI documents only the 2xx and its own 422.

Which problems an operation can give follows from the route, so a new route is documented
without anyone remembering to: 401 and 403 where it authenticates, 404 where its path names
something, 409 where it creates (201) or checks an ``expected_version``, 400 and 413 where it
takes a body, and anything else the route declares
(``responses={429: ...}``: logins and job queues); 422 and 503 everywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel, ConfigDict, Field

from bassplan.api.deps import current_auth
from bassplan.api.problems import MEDIA_TYPE
from bassplan.api.tokens import COOKIE_NAME

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
SECURITY = {
    "bearerToken": {"type": "http", "scheme": "bearer",
                    "description": "An API token (POST /api/tokens from a logged-in session)."},
    "sessionCookie": {"type": "apiKey", "in": "cookie", "name": COOKIE_NAME,
                      "description": "The login session (POST /api/login); changes also need "
                                     "the X-CSRF-Token header that login returns."},
}
WHY: dict[int, str] = {
    400: "The body could not be read (JSON that is not UTF-8, a malformed form or upload).",
    401: "Not logged in, or the token is unknown, expired or revoked.",
    403: "The user's role may not do this, or the X-CSRF-Token header is missing or wrong.",
    404: "Nothing of that name or id (or nothing this user may see).",
    409: "A stale expected_version, or the name is taken.",
    413: "The request body is larger than the server accepts.",
    422: "The input breaks a rule; detail names the field and the rule.",
    429: "Too many attempts or queued jobs; try again after Retry-After seconds.",
    503: "The database is unavailable.",
}


class ProblemError(BaseModel):
    """One of several problems: a request field (where, rule) or an upload row (row, field,
    message)."""

    model_config = ConfigDict(extra="allow")

    where: str | None = None
    rule: str | None = None
    row: int | None = None
    field: str | None = None
    message: str | None = None


class Problem(BaseModel):
    """An RFC 9457 problem: every error the API gives has this body."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description="/problems/<kind>, or about:blank for a plain HTTP status")
    title: str = Field(description="The HTTP status phrase")
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="One line: what was wrong, naming the field and the rule")
    where: str | None = Field(default=None, description="The record the error is about")
    field: str | None = Field(default=None, description="The field that broke the rule")
    errors: list[ProblemError] | None = Field(
        default=None, description="Every problem, when there are several (fields or rows)")


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    """Every dependency function the route runs, however deeply nested."""
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def _field_names(route: APIRoute) -> set[str]:
    """The names of the route's query parameters and of its body model's fields."""
    names = {p.name for p in route.dependant.query_params}
    for param in route.dependant.body_params:
        names.add(param.name)
        names |= set(getattr(param.field_info.annotation, "model_fields", {}))
    return names


def problem_statuses(route: APIRoute) -> set[int]:
    """The problem statuses ``route`` can answer with, from what it depends on and takes."""
    declared = {int(s) for s in route.responses if str(s).isdigit()}
    statuses = {422, 503} | {s for s in declared if 400 <= s < 600}
    if current_auth in set(_calls(route.dependant)):
        statuses |= {401, 403}
    if route.dependant.path_params:
        statuses.add(404)
    if route.status_code == 201 or "expected_version" in _field_names(route):
        statuses.add(409)  # a name taken, or a stale version
    if route.body_field is not None:
        statuses |= {400, 413}  # a body that cannot be read; one too large
    return statuses


def _problem(status: int, route: APIRoute) -> dict[str, Any]:
    """The response object of one problem status (with the route's own description, if it
    gives one)."""
    given: dict[str, Any] = route.responses.get(status) or route.responses.get(str(status)) or {}
    description = given.get("description") or WHY.get(status) or HTTPStatus(status).phrase
    return {"description": description, "content": {MEDIA_TYPE: {"schema": PROBLEM_REF}}}


def complete(schema: dict[str, Any], routes: list[APIRoute]) -> dict[str, Any]:
    """``schema`` with every operation's problem responses and security, and the Problem
    schema in place of FastAPI's validation-error schemas."""
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    defs = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    schemas.update(defs.pop("$defs", {}))
    schemas["Problem"] = defs
    components["securitySchemes"] = SECURITY
    for route in routes:
        for method in route.methods or ():
            operation = schema["paths"].get(route.path_format, {}).get(method.lower())
            if operation is None:  # not in the document (include_in_schema=False)
                continue
            responses = operation.setdefault("responses", {})
            for status in problem_statuses(route):
                responses[str(status)] = _problem(status, route)
            operation["responses"] = dict(sorted(responses.items()))
            if current_auth in set(_calls(route.dependant)):
                operation["security"] = [{"bearerToken": []}, {"sessionCookie": []}]
    return schema


def install(app: FastAPI, routes: list[APIRoute]) -> None:
    """Make ``app.openapi()`` return the completed document (built once, then kept);
    ``routes`` are the API's, which the document describes."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, summary=app.summary,
                                 description=app.description, routes=app.routes)
            app.openapi_schema = complete(schema, routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
