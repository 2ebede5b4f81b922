"""Every error is problem JSON without a traceback; the OpenAPI document lists every route."""

from __future__ import annotations

from fastapi import FastAPI

from tests.support.api import TestClient, assert_problem, bearer

ROUTES = {
    ("/api/login", "post"), ("/api/logout", "post"), ("/api/session", "get"),
    ("/api/scenarios", "get"), ("/api/scenarios", "post"), ("/api/scenarios/{name}", "get"),
    ("/api/scenarios/{name}", "put"), ("/api/scenarios/{name}", "delete"),
    ("/api/scenarios/{name}/evaluate", "post"), ("/api/deliverables", "get"),
    ("/api/deliverables", "post"), ("/api/deliverables/{deliverable_id}", "get"),
    ("/api/deliverables/{deliverable_id}", "put"), ("/api/audit", "get"),
    ("/api/users", "get"), ("/api/users", "post"), ("/api/tokens", "post"),
}


def test_unexpected_error_is_a_generic_500_problem(app: FastAPI) -> None:
    @app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        body = assert_problem(client.get("/api/boom"), 500)
    assert "secret" not in str(body)


def test_request_validation_and_unknown_route_are_problems(client: TestClient) -> None:
    body = assert_problem(client.post("/api/login", json={"username": "x"}), 422)
    assert body["detail"] == "body.password: Field required"
    assert_problem(client.get("/api/nothing-here"), 404)
    planner = bearer(client, "planner")
    bad = client.put("/api/scenarios/x", json={"yaml": "a: 1"}, headers=planner)
    assert "expected_version" in str(assert_problem(bad, 422)["detail"])


def test_openapi_lists_every_route_with_its_schemas(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    listed = {(path, method) for path, ops in spec["paths"].items() for method in ops}
    assert listed >= ROUTES
    schemas = set(spec["components"]["schemas"])
    assert {"ScenarioCreate", "ScenarioUpdate", "ScenarioPublic", "DeliverableCreate",
            "DeliverableUpdate", "DeliverablePublic", "UserCreate", "UserPublic",
            "AuditEntryPublic", "LoginRequest", "SessionPublic", "TokenPublic"} <= schemas
    put = spec["paths"]["/api/scenarios/{name}"]["put"]
    ref = put["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.endswith("/ScenarioUpdate")
