"""A smoke run of the API on SQLite and PostgreSQL: log in, create, update, conflict, audit."""

from __future__ import annotations

from tests.support.api import TestClient, assert_problem, bearer, login

YAML_1 = "name: øst\nyear: 2030\n"


class TestSmokeOnBothDatabases:
    """The same short story on each database."""

    def test_story(self, any_client: TestClient) -> None:
        client = any_client
        csrf = {"X-CSRF-Token": login(client, "planner")}
        made = client.post("/api/scenarios", json={"name": "øst", "yaml": YAML_1}, headers=csrf)
        assert made.status_code == 201
        change = {"expected_version": 1, "description": "ændret"}
        assert client.put("/api/scenarios/øst", json=change, headers=csrf).json()["version"] == 2
        assert_problem(client.put("/api/scenarios/øst", json=change, headers=csrf), 409)
        deliverable = {"title": "Video-tilsyn"}
        assert_problem(client.post("/api/deliverables", json=deliverable, headers=csrf), 403)
        entries = client.get("/api/audit?entity=scenario", headers=bearer(client, "admin")).json()
        assert [e["action"] for e in entries] == ["update", "create"]
        assert entries[0]["after"]["description"] == "ændret"
