"""Hostile input through the REST API: every bound of ``domain.limits`` holds on the API's
paths (scenario bodies, uploads, query and path), each refusal is one problem response
(413 or 422) given at once, nothing is written (every table's row count, the audit trail
included, is unchanged), and the server answers the next request."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bassplan.api.app import create_app
from bassplan.domain import limits
from tests.support import hostile
from tests.support.api import TestClient, assert_problem, bearer, settings_for, started
from tests.support.databases import fresh_database


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One started API over SQLite for the module, with a scenario to update."""
    app = create_app(settings_for(f"sqlite:///{tmp_path_factory.mktemp('hostile')}/h.sqlite"))
    for client in started(app):
        planner = bearer(client, "planner")
        created = client.post("/api/scenarios", headers=planner,
                              json=hostile.scenario_body("kendt", hostile.valid_scenario("kendt")))
        assert created.status_code == 201, created.text
        yield client


@pytest.fixture(scope="module")
def planner(api: TestClient) -> dict[str, str]:
    """A planner's bearer headers."""
    return bearer(api, "planner")


@pytest.fixture(scope="module")
def admin(api: TestClient) -> dict[str, str]:
    """An admin's bearer headers."""
    return bearer(api, "admin")


def refused(client: TestClient, send: Callable[[], httpx.Response],
            status: int) -> dict[str, object]:
    """Send a hostile request: one problem response of ``status``, every table's row count
    unchanged, and the server still answering (how fast: benchmarks/bench_hostile.py)."""
    app: FastAPI = client.app  # type: ignore[assignment]
    before = hostile.row_counts(app.state.sessions)
    response = send()
    body = assert_problem(response, status)
    assert hostile.row_counts(app.state.sessions) == before
    after = client.get("/api/scenarios/kendt", headers=bearer(client, "viewer"))
    assert after.status_code == 200 and after.json()["name"] == "kendt"
    return body


# — YAML: alias bomb, nesting —


def test_the_alias_bomb_is_small_and_refused_on_create(api: TestClient,
                                                       planner: dict[str, str]) -> None:
    bomb = hostile.alias_bomb()
    assert len(bomb.encode()) < 551  # the bomb was 551 bytes; this one is smaller
    body = refused(api, lambda: api.post("/api/scenarios", headers=planner,
                                         json=hostile.scenario_body("bombe", bomb)), 422)
    assert f"more than {limits.MAX_YAML_NODES} values" in str(body["detail"])


def test_the_alias_bomb_is_refused_on_update(api: TestClient, planner: dict[str, str]) -> None:
    version = api.get("/api/scenarios/kendt", headers=planner).json()["version"]
    body = refused(api, lambda: api.put(
        "/api/scenarios/kendt", headers=planner,
        json={"expected_version": version, "yaml": hostile.alias_bomb()}), 422)
    assert "aliases included" in str(body["detail"])


def test_deeply_nested_yaml_is_refused(api: TestClient, planner: dict[str, str]) -> None:
    for depth in (limits.MAX_YAML_DEPTH + 1, 50_000):
        body = refused(api, lambda d=depth: api.post(  # type: ignore[misc]
            "/api/scenarios", headers=planner,
            json=hostile.scenario_body("dyb", hostile.deep_yaml(d))), 422)
        assert f"nested deeper than {limits.MAX_YAML_DEPTH} levels" in str(body["detail"])


# — JSON bodies: nesting and size —


@pytest.mark.parametrize("depth", [limits.MAX_JSON_DEPTH + 1, 1_000, 200_000])
def test_deeply_nested_json_is_bad_input(api: TestClient, planner: dict[str, str],
                                         depth: int) -> None:
    # before the bound FastAPI answered 400 ("error parsing the body", a RecursionError)
    headers = {**planner, "content-type": "application/json"}
    body = refused(api, lambda: api.post("/api/scenarios", headers=headers,
                                         content=hostile.deep_json(depth)), 422)
    assert body["field"] == "(json)"
    assert f"nested deeper than {limits.MAX_JSON_DEPTH} levels" in str(body["detail"])


def test_json_at_the_depth_bound_is_read(api: TestClient, planner: dict[str, str]) -> None:
    headers = {**planner, "content-type": "application/json"}
    response = api.post("/api/scenarios", headers=headers,
                        content=hostile.deep_json(limits.MAX_JSON_DEPTH))
    body = assert_problem(response, 422)  # read, then refused by the schema: not a string
    assert body["type"] == "/problems/invalid-request"


def test_an_oversize_json_body_is_refused_by_its_length(api: TestClient,
                                                        planner: dict[str, str]) -> None:
    headers = {**planner, "content-type": "application/json"}
    body = refused(api, lambda: api.post("/api/scenarios", headers=headers,
                                         content=hostile.oversize_json()), 413)
    assert f"{limits.MAX_JSON_BODY_BYTES:,} bytes" in str(body["detail"])


def test_an_oversize_json_body_is_refused_when_streamed(api: TestClient,
                                                        planner: dict[str, str]) -> None:
    headers = {**planner, "content-type": "application/json"}
    total = limits.MAX_JSON_BODY_BYTES + 1
    refused(api, lambda: api.post("/api/scenarios", headers=headers,
                                  content=iter(hostile.chunks(total))), 413)


def test_a_json_body_at_the_size_bound_is_read(api: TestClient,
                                               planner: dict[str, str]) -> None:
    text = hostile.valid_scenario("stor") + "#" * (limits.MAX_YAML_BYTES - 100)
    response = api.post("/api/scenarios", headers=planner,
                        json=hostile.scenario_body("stor", text))
    assert response.status_code == 201, response.text[:300]
    assert api.delete("/api/scenarios/stor", headers=planner).status_code == 204


# — uploads: size —


def test_an_oversize_upload_is_refused_by_its_length(api: TestClient,
                                                     admin: dict[str, str]) -> None:
    content = b"x" * (limits.MAX_UPLOAD_BYTES + 1)
    body = refused(api, lambda: api.post("/api/data/staffing", headers=admin,
                                         files={"file": ("staffing.csv", content)}), 413)
    assert f"{limits.MAX_UPLOAD_BYTES:,} bytes" in str(body["detail"])


def test_an_oversize_upload_is_refused_when_streamed(api: TestClient,
                                                     admin: dict[str, str]) -> None:
    headers = {**admin, "content-type": "multipart/form-data; boundary=xyz"}
    parts = [b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; "
             b"filename=\"staffing.csv\"\r\n\r\n",
             *hostile.chunks(limits.MAX_UPLOAD_BYTES + 1)]
    refused(api, lambda: api.post("/api/data/staffing", headers=headers,
                                  content=iter(parts)), 413)


# — fields and lists —


@pytest.mark.parametrize(("field", "value"), [
    ("name", "n" * (limits.MAX_NAME_CHARS + 1)),
    ("description", "d" * (limits.MAX_TEXT_CHARS + 1)),
    ("yaml", "name: x\n" + "#" * limits.MAX_YAML_BYTES),
])
def test_oversize_fields_are_refused(api: TestClient, planner: dict[str, str], field: str,
                                     value: str) -> None:
    sent = {**hostile.scenario_body("felt", hostile.valid_scenario("felt")), field: value}
    body = refused(api, lambda: api.post("/api/scenarios", headers=planner, json=sent), 422)
    assert f"body.{field}" in str(body["detail"])
    assert "at most" in str(body["detail"])


def test_an_oversize_list_is_refused(api: TestClient, planner: dict[str, str]) -> None:
    sent = {"specialties": ["kardiologi"] * (limits.MAX_LIST_ITEMS + 1)}
    body = refused(api, lambda: api.post("/api/scenarios/kendt/optimise", headers=planner,
                                         json=sent), 422)
    assert f"at most {limits.MAX_LIST_ITEMS} items" in str(body["detail"])


def test_oversize_query_values_are_refused(api: TestClient, admin: dict[str, str]) -> None:
    long = "e" * (limits.MAX_NAME_CHARS + 1)
    for path in (f"/api/audit?entity={long}", f"/api/deliverables?specialty={long}"):
        body = refused(api, lambda p=path: api.get(p, headers=admin), 422)  # type: ignore[misc]
        assert "at most" in str(body["detail"])


# — imports: rows, cells, columns, problems, zip bombs —


def upload(client: TestClient, headers: dict[str, str], name: str, content: bytes
           ) -> httpx.Response:
    """POST a staffing table as the file ``name``."""
    return client.post("/api/data/staffing", headers=headers, files={"file": (name, content)})


def test_too_many_rows_is_one_problem(api: TestClient, admin: dict[str, str]) -> None:
    body = refused(api, lambda: upload(api, admin, "staffing.csv", hostile.many_rows_csv()), 422)
    assert f"more than {limits.MAX_TABLE_ROWS:,} rows" in str(body["detail"])
    assert body["errors_total"] == 1


def test_too_many_problems_are_counted_not_listed(api: TestClient,
                                                  admin: dict[str, str]) -> None:
    bad = 5_000  # every row breaks one rule: 5,000 problems, MAX_REPORTED_PROBLEMS listed
    sent: list[httpx.Response] = []
    body = refused(api, lambda: sent.append(upload(api, admin, "staffing.csv",
                                                   hostile.bad_rows_csv(bad))) or sent[0], 422)
    response = sent[0]
    errors = body["errors"]
    assert isinstance(errors, list) and len(errors) == limits.MAX_REPORTED_PROBLEMS
    assert body["errors_total"] == bad
    assert [e["row"] for e in errors] == list(range(2, 2 + limits.MAX_REPORTED_PROBLEMS))
    assert f"(and {bad - 1} more problems)" in str(body["detail"])
    assert len(response.content) < 30_000  # the 8 MB upload answered ~1M errors


def test_a_long_cell_is_a_row_problem(api: TestClient, admin: dict[str, str]) -> None:
    body = refused(api, lambda: upload(api, admin, "staffing.csv", hostile.long_cell_csv()), 422)
    assert body["errors"] == [{
        "row": 2, "field": "specialty_id",
        "message": f"has {limits.MAX_FIELD_CHARS + 1:,} characters; a cell holds at most "
                   f"{limits.MAX_FIELD_CHARS:,}"}]


def test_too_many_columns_are_refused(api: TestClient, admin: dict[str, str]) -> None:
    body = refused(api, lambda: upload(api, admin, "staffing.csv", hostile.wide_csv()), 422)
    assert f"at most {limits.MAX_TABLE_COLUMNS}" in str(body["detail"])


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(api: TestClient,
                                                         admin: dict[str, str]) -> None:
    bomb = hostile.xlsx_bomb()
    assert len(bomb) < 200_000  # 60 MB of zeros packed small
    body = refused(api, lambda: upload(api, admin, "staffing.xlsx", bomb), 422)
    assert "xl/media/padding.bin" in str(body["detail"])
    assert "not packed that tightly" in str(body["detail"])


# — listings —


def test_the_scenario_listing_is_paged(api: TestClient, planner: dict[str, str]) -> None:
    page = api.get("/api/scenarios?limit=1", headers=planner)
    assert [s["name"] for s in page.json()] == ["kendt"]
    assert api.get("/api/scenarios?offset=1", headers=planner).json() == []
    body = refused(api, lambda: api.get(
        f"/api/scenarios?limit={limits.MAX_PAGE_ROWS + 1}", headers=planner), 422)
    assert f"less than or equal to {limits.MAX_PAGE_ROWS}" in str(body["detail"])


# — text no database holds, on both databases —


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def any_api(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """One started API for the module over SQLite, then over a fresh PostgreSQL database."""
    folder: Path = tmp_path_factory.mktemp("hostile_db")
    with fresh_database(request.param, folder, "bass_hostile") as url:
        for client in started(create_app(settings_for(url))):
            planner = bearer(client, "planner")
            created = client.post("/api/scenarios", headers=planner, json=hostile.scenario_body(
                "kendt", hostile.valid_scenario("kendt")))
            assert created.status_code == 201, created.text
            yield client


@pytest.mark.parametrize("bad", [hostile.NUL, hostile.SURROGATE], ids=["nul", "surrogate"])
def test_unstorable_text_in_a_json_body_is_bad_input(any_api: TestClient, bad: str) -> None:
    # as JSON escapes (\u0000, \ud800): how a client sends text it cannot encode
    planner = {**bearer(any_api, "planner"), "content-type": "application/json"}
    sent = json.dumps(hostile.scenario_body("tekst", hostile.valid_scenario("tekst"),
                                            description=bad))
    body = refused(any_api, lambda: any_api.post("/api/scenarios", headers=planner,
                                                 content=sent), 422)
    assert str(body["detail"]).startswith("body.description: ")
    login = json.dumps({"username": f"ukendt{bad}", "password": "x" * 12})
    body = refused(any_api, lambda: any_api.post(
        "/api/login", content=login, headers={"content-type": "application/json"}), 422)
    assert str(body["detail"]).startswith("body.username: ")


@pytest.mark.parametrize("path", [
    "/api/scenarios/nul%00byte",
    "/api/deliverables?specialty=nul%00byte",
    "/api/audit?entity=nul%00byte",
    "/api/scenarios/kendt/explain?indicator=x%00&specialty=kardiologi",
])
def test_nul_in_a_path_or_query_is_bad_input(any_api: TestClient, path: str) -> None:
    admin = bearer(any_api, "admin")
    refused(any_api, lambda: any_api.get(path, headers=admin), 422)


def test_a_lone_surrogate_in_a_path_is_not_a_server_error(any_api: TestClient) -> None:
    # %ED%A0%80 is U+D800 in (invalid) UTF-8: decoded with a replacement character, found nowhere
    response = any_api.get("/api/scenarios/x%ED%A0%80", headers=bearer(any_api, "viewer"))
    assert_problem(response, 404)
