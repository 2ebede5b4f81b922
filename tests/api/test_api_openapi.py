"""The OpenAPI document lists every operation's problem responses (problem+json, the Problem
schema) and who may call it, and real error answers are what it says: a listed status, the
problem content type, a body the Problem schema accepts; a 405 names every allowed method."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from bassplan.api.openapi import Problem
from tests.support.api import TestClient, assert_problem, bearer, login

PROBLEM = "application/problem+json"
WRITE = {"post", "put", "patch", "delete"}
# By hand, from each route's code: who it checks, what its path names, what it creates or
# versions, and what it declares (a login limit, a full job queue).
EXPECTED = {
    ("/api/login", "post"): {400, 401, 413, 422, 429, 503},
    ("/api/session", "get"): {401, 403, 422, 503},
    ("/api/scenarios", "post"): {400, 401, 403, 409, 413, 422, 503},
    ("/api/scenarios/{name}", "put"): {400, 401, 403, 404, 409, 413, 422, 503},
    ("/api/scenarios/{name}", "delete"): {401, 403, 404, 409, 422, 503},
    ("/api/scenarios/{name}/optimise", "post"): {400, 401, 403, 404, 409, 413, 422, 429, 503},
    ("/api/scenarios/{name}/simulate", "post"): {400, 401, 403, 404, 413, 422, 429, 503},
    ("/api/meetings/{meeting_id}", "delete"): {401, 403, 404, 422, 503},
    ("/api/tokens/{token_id}", "delete"): {401, 403, 404, 422, 503},
    ("/api/data/{kind}", "post"): {400, 401, 403, 404, 413, 422, 503},
    ("/api/data/export.xlsx", "get"): {401, 403, 422, 503},
}


def operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every operation of the document by (path, method)."""
    return {(path, method): op for path, ops in spec["paths"].items()
            for method, op in ops.items()}


def problems_of(operation: dict[str, Any]) -> set[int]:
    """The error statuses an operation lists."""
    return {int(code) for code in operation["responses"] if int(code) >= 400}


def test_every_operation_lists_its_problem_responses(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    found = operations(spec)
    assert len(found) == 63  # 54; r0005_program: 5 on bodies, roles GET, meetings PUT,
    # decisions GET; r0006_regions: GET /api/regions
    for key, statuses in EXPECTED.items():
        assert problems_of(found[key]) == statuses, key
    for (path, method), op in found.items():
        statuses = problems_of(op)
        assert {422, 503} <= statuses, (path, method)
        if path != "/api/login":
            assert {401, 403} <= statuses, (path, method)
            assert op["security"] == [{"bearerToken": []}, {"sessionCookie": []}]
        if "{" in path:
            assert 404 in statuses, (path, method)
        if "requestBody" in op:
            assert {400, 413} <= statuses, (path, method)
        if method not in WRITE:
            assert 409 not in statuses, (path, method)
        for code in statuses:
            response = op["responses"][str(code)]
            assert response["content"] == {PROBLEM: {"schema": {
                "$ref": "#/components/schemas/Problem"}}}, (path, method, code)
            assert response["description"]
    assert "security" not in found[("/api/login", "post")]


def test_the_problem_schema_and_security_schemes(client: TestClient) -> None:
    components = client.get("/openapi.json").json()["components"]
    problem = components["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert {"type", "title", "status", "detail", "where", "field", "errors"} <= set(
        problem["properties"])
    assert "HTTPValidationError" not in components["schemas"]
    assert components["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer",
        "description": components["securitySchemes"]["bearerToken"]["description"]}
    assert components["securitySchemes"]["sessionCookie"]["in"] == "cookie"


def documented(client: TestClient, path: str, method: str, response: Any) -> dict[str, Any]:
    """Check ``response`` is a problem the operation lists; return its body."""
    spec = operations(client.get("/openapi.json").json())
    assert response.status_code in problems_of(spec[(path, method)]), response.text
    body = assert_problem(response, response.status_code)
    Problem.model_validate(body)
    return body


def test_real_errors_are_the_documented_problems(client: TestClient) -> None:
    path = "/api/scenarios/{name}"
    documented(client, path, "get", client.get("/api/scenarios/x"))  # 401: nobody
    planner = bearer(client, "planner")
    documented(client, path, "get", client.get("/api/scenarios/nothing", headers=planner))
    viewer = bearer(client, "viewer")
    created = {"name": "Ny", "yaml": "name: Ny\n"}
    assert documented(client, "/api/scenarios", "post", client.post(
        "/api/scenarios", json=created, headers=viewer))["status"] == 403
    bad = client.post("/api/scenarios", json={"name": "Ny"}, headers=planner)
    assert documented(client, "/api/scenarios", "post", bad)["errors"]  # 422, field by field
    unreadable = client.post("/api/scenarios", content=b"\xff\xfe{", headers={
        **planner, "Content-Type": "application/json"})
    assert documented(client, "/api/scenarios", "post", unreadable)["status"] == 400
    dated = client.post("/api/meetings", json={"date": 0, "title": "Styregruppe"},
                        headers=bearer(client, "program"))
    assert documented(client, "/api/meetings", "post", dated)["status"] == 422
    seeded = client.post("/api/scenarios/x/simulate", json={"seed": False}, headers=planner)
    assert documented(client, "/api/scenarios/{name}/simulate", "post", seeded)["status"] == 422
    login(client, "admin")
    forged = client.delete("/api/tokens/1")  # a cookie's change without its CSRF header
    assert documented(client, "/api/tokens/{token_id}", "delete", forged)["status"] == 403


def test_a_405_names_every_method_of_the_path(app: FastAPI) -> None:
    with TestClient(app) as client:
        options = client.options("/api/meetings/1")
        assert_problem(options, 405)
        assert options.headers["allow"] == "DELETE, GET, PUT"
        # a path of its own beats the template /api/data/{kind}
        assert client.options("/api/data/export.xlsx").headers["allow"] == "GET"
        assert client.patch("/api/scenarios").headers["allow"] == "GET, POST"
