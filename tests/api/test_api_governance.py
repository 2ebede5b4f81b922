"""Deliverables (program role, versions), users (admin) and the audit trail (admin only)."""

from __future__ import annotations

from tests.support.api import PASSWORD, TestClient, assert_problem, bearer, login

YAML_1 = "name: øst\nyear: 2030\n"
YAML_2 = "name: øst\nyear: 2035\n"


def test_program_creates_and_updates_a_deliverable_and_stale_version_is_409(
    client: TestClient,
) -> None:
    program = bearer(client, "program")
    made = client.post("/api/deliverables", json={"title": "PRO i reumatologi",
                                                  "due_date": "2027-03-01",
                                                  "specialty_id": "reumatologi"},
                       headers=program)
    assert made.status_code == 201
    item = made.json()
    assert (item["status"], item["version"]) == ("planlagt", 1)
    path = f"/api/deliverables/{item['id']}"
    done = client.put(path, json={"expected_version": 1, "status": "i_gang"}, headers=program)
    assert (done.json()["status"], done.json()["version"]) == ("i_gang", 2)
    stale = client.put(path, json={"expected_version": 1, "owner": "Anna"}, headers=program)
    body = assert_problem(stale, 409)
    assert "version 2, you had 1" in str(body["detail"])
    listed = client.get("/api/deliverables?specialty=reumatologi", headers=program).json()
    assert [d["title"] for d in listed] == ["PRO i reumatologi"]


def test_planner_cannot_change_deliverables_and_bad_status_is_422(client: TestClient) -> None:
    new = {"title": "x"}
    assert_problem(client.post("/api/deliverables", json=new,
                               headers=bearer(client, "planner")), 403)
    bad = client.post("/api/deliverables", json={"title": "x", "status": "måske"},
                      headers=bearer(client, "program"))
    assert "status" in str(assert_problem(bad, 422)["detail"])


def test_audit_is_admin_only_newest_first_with_before_and_after(client: TestClient) -> None:
    planner = bearer(client, "planner")
    client.post("/api/scenarios", json={"name": "øst", "yaml": YAML_1}, headers=planner)
    client.put("/api/scenarios/øst", json={"expected_version": 1, "yaml": YAML_2},
               headers=planner)
    for role in ("viewer", "planner", "program"):
        assert_problem(client.get("/api/audit", headers=bearer(client, role)), 403)
    entries = client.get("/api/audit?entity=scenario", headers=bearer(client, "admin")).json()
    assert [e["action"] for e in entries] == ["update", "create"]
    update = entries[0]
    assert (update["before"]["yaml"], update["before"]["version"]) == (YAML_1, 1)
    assert (update["after"]["yaml"], update["after"]["version"]) == (YAML_2, 2)
    assert entries[0]["at"] >= entries[1]["at"]
    page = client.get("/api/audit?limit=1&offset=1&entity=scenario",
                      headers=bearer(client, "admin")).json()
    assert [e["action"] for e in page] == ["create"]


def test_admin_creates_and_lists_users_and_others_cannot(client: TestClient) -> None:
    csrf = login(client, "admin")
    new = {"username": "anna", "display_name": "Anna", "password": PASSWORD, "role": "planner"}
    made = client.post("/api/users", json=new, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    assert made.json()["role"] == "planner"
    assert "password" not in made.text
    names = [u["username"] for u in client.get("/api/users").json()]
    assert names == ["admin", "anna", "planner", "program", "viewer"]
    assert_problem(client.post("/api/users", json=new, headers={"X-CSRF-Token": csrf}), 409)
    bad_role = dict(new, username="bo", role="konge")
    assert_problem(client.post("/api/users", json=bad_role, headers={"X-CSRF-Token": csrf}), 422)
    client.cookies.clear()
    assert_problem(client.get("/api/users", headers=bearer(client, "program")), 403)
