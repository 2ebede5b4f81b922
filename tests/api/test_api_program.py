"""The Program API: specialties with their people per role, initiatives, meetings and
decisions — any user reads, only program (or admin) changes, stale versions are 409."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bassplan.api.app import create_app
from tests.support.api import TestClient, assert_problem, bearer, settings_for, started

SPECIALTIES = ["kardiologi", "lungemedicin", "endokrinologi", "gastromedicin", "reumatologi",
               "nefrologi", "geriatri"]  # the bundled region's specialties.csv, in order
ROLES = ["specialeejer", "implementeringsansvarlig", "konceptejer", "kerneteam"]

# every route that changes something, with a valid body, on the records _seed makes (id 1)
CHANGES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/api/program/roles",
     {"specialty_id": "geriatri", "role": "kerneteam", "person_name": "Ole"}),
    ("DELETE", "/api/program/roles/1", None),
    ("POST", "/api/initiatives", {"title": "Ny"}),
    ("PUT", "/api/initiatives/1", {"expected_version": 1, "status": "i_gang"}),
    ("DELETE", "/api/initiatives/1", None),
    ("POST", "/api/meetings", {"date": "2025-05-01", "title": "Ny"}),
    ("DELETE", "/api/meetings/1", None),
    ("POST", "/api/meetings/1/decisions", {"text": "Ny"}),
    ("PUT", "/api/decisions/1", {"owner": "Ole"}),
    ("DELETE", "/api/decisions/1", None),
    ("DELETE", "/api/deliverables/1", None),
    ("POST", "/api/program/bodies", {"name": "Jura", "kind": "afdeling"}),
    ("PUT", "/api/program/bodies/1", {"note": "ændret"}),
    ("DELETE", "/api/program/bodies/10", None),
    ("PUT", "/api/meetings/1", {"minutes": "Referat"}),
]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if status != 204 else None


def _seed(client: TestClient, headers: dict[str, str]) -> None:
    """One record of each kind, each with id 1."""
    _ok(client.post("/api/program/roles", json={"specialty_id": "kardiologi",
                                                "role": "specialeejer", "person_name": "Eva"},
                    headers=headers), 201)
    _ok(client.post("/api/initiatives", json={"title": "Akutplan"}, headers=headers), 201)
    _ok(client.post("/api/meetings", json={"date": "2025-02-03", "title": "Styregruppe"},
                    headers=headers), 201)
    _ok(client.post("/api/meetings/1/decisions", json={"text": "Godkendt"}, headers=headers),
        201)
    _ok(client.post("/api/deliverables", json={"title": "Rapport"}, headers=headers), 201)


def _state(client: TestClient, headers: dict[str, str]) -> list[Any]:
    return [_ok(client.get(path, headers=headers)) for path in
            ("/api/program/specialties", "/api/initiatives", "/api/meetings/1",
             "/api/deliverables", "/api/program/bodies", "/api/program/roles")]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One started app for the tests whose requests must all be refused (so they share it),
    with one record of each kind (id 1)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('program') / 'api.sqlite'}"
    for client in started(create_app(settings_for(url))):
        _seed(client, bearer(client, "program"))
        yield client


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_viewer_may_read_but_not_change(
    seeded: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    viewer = bearer(seeded, "viewer")
    before = _state(seeded, viewer)
    response = seeded.request(method, path, json=body, headers=viewer)
    assert "'program' or higher" in str(assert_problem(response, 403)["detail"])
    assert _state(seeded, viewer) == before


def test_program_user_runs_the_program_page(client: TestClient) -> None:
    program, viewer = bearer(client, "program"), bearer(client, "viewer")
    empty = _ok(client.get("/api/program/specialties", headers=viewer))
    assert [s["id"] for s in empty] == SPECIALTIES
    assert empty[0]["name_da"] == "Kardiologi"
    assert all(s["roles"] == {role: [] for role in ROLES} for s in empty)

    role = _ok(client.post("/api/program/roles", json={
        "specialty_id": "nefrologi", "role": "konceptejer", "person_name": "Søs Ærø",
        "email": "soes@regionsjaelland.dk"}, headers=program), 201)
    listed = {s["id"]: s["roles"] for s in
              _ok(client.get("/api/program/specialties", headers=viewer))}
    assert listed["nefrologi"]["konceptejer"] == [role]
    assert role["person_name"] == "Søs Ærø"
    _ok(client.delete(f"/api/program/roles/{role['id']}", headers=program), 204)
    listed = {s["id"]: s["roles"] for s in
              _ok(client.get("/api/program/specialties", headers=viewer))}
    assert listed["nefrologi"]["konceptejer"] == []

    made = _ok(client.post("/api/initiatives", json={
        "title": "Udekørende klinik", "specialty_id": "geriatri", "due_date": "2026-01-31"},
        headers=program), 201)
    assert (made["version"], made["status"], made["owner"]) == (1, "planlagt", "")
    path = f"/api/initiatives/{made['id']}"
    changed = _ok(client.put(path, json={"expected_version": 1, "status": "forsinket",
                                         "due_date": None}, headers=program))
    assert (changed["version"], changed["status"], changed["due_date"]) == (2, "forsinket",
                                                                           None)
    assert _ok(client.get(path, headers=viewer)) == changed
    assert _ok(client.get("/api/initiatives?specialty=geriatri", headers=viewer)) == [changed]
    assert _ok(client.get("/api/initiatives?specialty=kardiologi", headers=viewer)) == []
    _ok(client.delete(f"{path}?expected_version=2", headers=program), 204)
    assert _ok(client.get("/api/initiatives", headers=viewer)) == []

    old = _ok(client.post("/api/meetings", json={"date": "2025-01-10", "title": "Møde 1"},
                          headers=program), 201)
    new = _ok(client.post("/api/meetings", json={"date": "2025-06-10", "title": "Møde 2"},
                          headers=program), 201)
    assert [m["title"] for m in _ok(client.get("/api/meetings", headers=viewer))] == [
        "Møde 2", "Møde 1"]
    decision = _ok(client.post(f"/api/meetings/{old['id']}/decisions", json={
        "text": "Start PRO i reumatologi", "owner": "Ib", "due_date": "2025-09-01"},
        headers=program), 201)
    assert decision["meeting_id"] == old["id"]
    edited = _ok(client.put(f"/api/decisions/{decision['id']}", json={"owner": "Kim"},
                            headers=program))
    assert (edited["owner"], edited["due_date"]) == ("Kim", "2025-09-01")
    minutes = _ok(client.get(f"/api/meetings/{old['id']}", headers=viewer))
    assert (minutes["title"], minutes["date"], minutes["decisions"]) == (
        "Møde 1", "2025-01-10", [edited])
    _ok(client.delete(f"/api/decisions/{decision['id']}", headers=program), 204)
    assert _ok(client.get(f"/api/meetings/{old['id']}", headers=viewer))["decisions"] == []
    _ok(client.delete(f"/api/meetings/{new['id']}", headers=program), 204)
    assert [m["id"] for m in _ok(client.get("/api/meetings", headers=viewer))] == [old["id"]]

    part = _ok(client.post("/api/deliverables", json={"title": "Notat"}, headers=program), 201)
    _ok(client.delete(f"/api/deliverables/{part['id']}", headers=program), 204)
    assert _ok(client.get("/api/deliverables", headers=viewer)) == []
    trail = _ok(client.get("/api/audit?entity=initiative", headers=bearer(client, "admin")))
    assert [e["action"] for e in trail] == ["delete", "update", "create"]


def test_stale_initiative_version_is_409_and_changes_nothing(client: TestClient) -> None:
    program = bearer(client, "program")
    made = _ok(client.post("/api/initiatives", json={"title": "Fælles vagt"}, headers=program),
               201)
    path = f"/api/initiatives/{made['id']}"
    _ok(client.put(path, json={"expected_version": 1, "owner": "Anna"}, headers=program))
    stale = client.put(path, json={"expected_version": 1, "owner": "Bo"}, headers=program)
    body = assert_problem(stale, 409)
    assert body["detail"] == ("initiative 'Fælles vagt' was changed by someone else "
                              "(version 2, you had 1)")
    assert body["type"] == "/problems/version-conflict"
    assert_problem(client.delete(f"{path}?expected_version=1", headers=program), 409)
    current = _ok(client.get(path, headers=program))
    assert (current["owner"], current["version"]) == ("Anna", 2)


@pytest.mark.parametrize(("path", "body", "field"), [
    ("/api/initiatives", {"title": "x", "status": "færdig"}, "status"),
    ("/api/initiatives", {"title": "x", "specialty_id": "kirurgi"}, "specialty_id"),
    ("/api/initiatives", {"title": "x", "scenario_id": 5}, "scenario_id"),
    ("/api/deliverables", {"title": "x", "specialty_id": "kirurgi"}, "specialty_id"),
    ("/api/deliverables", {"title": "x", "initiative_id": 5}, "initiative_id"),
    ("/api/program/roles", {"specialty_id": "geriatri", "role": "formand",
                            "person_name": "Ole"}, "role"),
    ("/api/program/roles", {"specialty_id": "kirurgi", "role": "kerneteam",
                            "person_name": "Ole"}, "specialty_id"),
])
def test_bad_values_are_422_naming_the_field(
    seeded: TestClient, path: str, body: dict[str, Any], field: str
) -> None:
    program = bearer(seeded, "program")
    before = _state(seeded, program)
    problem = assert_problem(seeded.post(path, json=body, headers=program), 422)
    assert (problem["type"], problem["field"]) == ("/problems/invalid-input", field)
    assert str(body[field]) in str(problem["detail"])
    assert _state(seeded, program) == before


def test_bad_shapes_are_422_problems(client: TestClient) -> None:
    program = bearer(client, "program")
    made = _ok(client.post("/api/initiatives", json={"title": "x"}, headers=program), 201)
    cases = [
        ("PUT", f"/api/initiatives/{made['id']}", {"status": "i_gang"}, "expected_version"),
        ("PUT", f"/api/initiatives/{made['id']}", {"expected_version": 1, "title": None},
         "title"),
        ("POST", "/api/meetings", {"date": "næste uge", "title": "x"}, "date"),
        ("POST", "/api/initiatives", {"title": "x", "colour": "red"}, "colour"),
    ]
    for method, path, body, field in cases:
        response = client.request(method, path, json=body, headers=program)
        assert field in str(assert_problem(response, 422)["detail"])
    assert _ok(client.get(f"/api/initiatives/{made['id']}", headers=program))["version"] == 1


@pytest.mark.parametrize(("method", "path", "body"), [
    ("GET", "/api/initiatives/9", None),
    ("PUT", "/api/initiatives/9", {"expected_version": 1}),
    ("DELETE", "/api/initiatives/9", None),
    ("DELETE", "/api/deliverables/9", None),
    ("DELETE", "/api/program/roles/9", None),
    ("GET", "/api/meetings/9", None),
    ("DELETE", "/api/meetings/9", None),
    ("POST", "/api/meetings/9/decisions", {"text": "x"}),
    ("PUT", "/api/decisions/9", {"text": "x"}),
    ("DELETE", "/api/decisions/9", None),
])
def test_unknown_ids_are_404(
    seeded: TestClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    response = seeded.request(method, path, json=body, headers=bearer(seeded, "program"))
    assert "'9' not found" in str(assert_problem(response, 404)["detail"])


def test_organisation_roles_at_sites_konceptejere_and_decision_fields(
    client: TestClient,
) -> None:
    program, viewer = bearer(client, "program"), bearer(client, "viewer")
    bodies = {b["name"]: b for b in _ok(client.get("/api/program/bodies", headers=viewer))}
    assert len(bodies) == 10  # the seeded, illustrative organisation
    assert bodies["Programledelse"]["parent_id"] == bodies["Programstyregruppe"]["id"]
    steering, hr = bodies["Implementeringsstyregruppe"]["id"], bodies["HR"]["id"]
    made = _ok(client.post("/api/program/bodies", json={
        "name": "Jura", "kind": "afdeling", "parent_id": bodies["Programledelse"]["id"]},
        headers=program), 201)
    assert_problem(client.post("/api/program/bodies", json={"name": "Jura", "kind": "afdeling"},
                               headers=program), 409)
    loop = client.put(f"/api/program/bodies/{bodies['Programledelse']['id']}",
                      json={"parent_id": made["id"]}, headers=program)
    assert "report to itself" in str(assert_problem(loop, 422)["detail"])
    assert_problem(client.post("/api/program/bodies", json={
        "name": "x" * 201, "kind": "afdeling"}, headers=program), 422)
    assert_problem(client.post("/api/program/bodies", json={
        "name": "X", "kind": "afdeling", "position": 1001}, headers=program), 422)
    _ok(client.delete(f"/api/program/bodies/{made['id']}", headers=program), 204)

    # an implementeringsansvarlig at a site (was 422: site_id not permitted)
    lead = _ok(client.post("/api/program/roles", json={
        "specialty_id": "kardiologi", "role": "implementeringsansvarlig",
        "person_name": "Mette Hansen", "site_id": "suh_koege"}, headers=program), 201)
    assert (lead["site_id"], lead["body_id"]) == ("suh_koege", None)
    bad_site = client.post("/api/program/roles", json={
        "specialty_id": "kardiologi", "role": "kerneteam", "person_name": "Bo",
        "site_id": "mars"}, headers=program)
    assert "'mars' is not one of" in str(assert_problem(bad_site, 422)["detail"])
    team = _ok(client.post("/api/program/roles", json={
        "specialty_id": "geriatri", "role": "kerneteam", "person_name": "Bo",
        "profession": "Fysioterapeut", "site_id": "holbaek"}, headers=program), 201)
    assert team["profession"] == "Fysioterapeut"
    concept = _ok(client.post("/api/program/roles", json={
        "role": "konceptejer", "person_name": "Hanne", "body_id": hr}, headers=program), 201)
    assert concept["specialty_id"] is None
    listed = _ok(client.get("/api/program/roles", headers=viewer))
    # cross-cutting roles first, then by specialty id (geriatri before kardiologi)
    assert [r["id"] for r in listed] == [concept["id"], team["id"], lead["id"]]
    owner = client.post("/api/program/roles", json={"role": "specialeejer",
                                                    "person_name": "Ib"}, headers=program)
    assert "must be given for a specialeejer" in str(assert_problem(owner, 422)["detail"])

    meeting = _ok(client.post("/api/meetings", json={
        "date": "2026-03-09", "title": "Marts", "body_id": steering,
        "agenda": "1. Kardiologi"}, headers=program), 201)
    decision = _ok(client.post(f"/api/meetings/{meeting['id']}/decisions", json={
        "text": "Samle kardiologi", "specialty_id": "kardiologi", "status": "proposed"},
        headers=program), 201)
    assert (decision["body_id"], decision["status"]) == (steering, "proposed")
    wrong = client.post(f"/api/meetings/{meeting['id']}/decisions", json={
        "text": "X", "status": "maybe"}, headers=program)
    assert "'maybe' is not one of proposed" in str(assert_problem(wrong, 422)["detail"])
    assert_problem(client.post(f"/api/meetings/{meeting['id']}/decisions", json={
        "text": "X", "specialty_id": "kirurgi"}, headers=program), 422)
    decided = _ok(client.put(f"/api/decisions/{decision['id']}", json={"status": "decided"},
                             headers=program))
    assert decided["status"] == "decided"
    assert [d["id"] for d in _ok(client.get("/api/decisions?status=decided",
                                            headers=viewer))] == [decision["id"]]
    assert _ok(client.get("/api/decisions?status=dropped", headers=viewer)) == []
    edited = _ok(client.put(f"/api/meetings/{meeting['id']}", json={"minutes": "Godkendt"},
                            headers=program))
    assert (edited["minutes"], edited["agenda"], edited["body_id"]) == (
        "Godkendt", "1. Kardiologi", steering)
    linked = _ok(client.post("/api/deliverables", json={
        "title": "Flytteplan", "decision_id": decision["id"]}, headers=program), 201)
    assert linked["decision_id"] == decision["id"]
    trail = _ok(client.get("/api/audit?entity=program_body", headers=bearer(client, "admin")))
    assert [e["action"] for e in trail] == ["delete", "create"]
