"""Hostile input through the pages: the scenario upload and paste, the lever form, the Data
page's import, page forms too large by Content-Length or streamed, and text no database
holds. Each refusal is one page (413 or 422) in the reader's language, nothing is written
(every table's row count, the audit trail included, is unchanged) and the next page opens;
the audit page stays small however large the stored values are."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest
from fastapi import FastAPI

from bassplan.domain import limits
from bassplan.web.app import create_web_app
from tests.support import hostile
from tests.support.api import TestClient, bearer, settings_for
from tests.support.databases import fresh_database
from tests.support.web import page_login, seeded
from tests.web.test_web_scenarios import lever_form


def alert(page: str) -> str:
    """The text of the page's alert (its error line), tags removed."""
    found = re.search(r'role="alert"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no alert on the page"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def refused_page(client: TestClient, send: Callable[[], httpx.Response], status: int) -> str:
    """Send a hostile form: a page of ``status`` (never a traceback), nothing written, and
    the scenario list still opening; returns the page."""
    app: FastAPI = client.app  # type: ignore[assignment]
    before = hostile.row_counts(app.state.sessions)
    response = send()
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    assert hostile.row_counts(app.state.sessions) == before
    assert client.get("/scenarier").status_code == 200
    return response.text


@pytest.fixture
def planner(web: TestClient) -> tuple[TestClient, str]:
    """The client logged in as a planner, and the session's CSRF token."""
    return web, page_login(web, "planner")


# — the scenario upload and paste —


def upload_yaml(client: TestClient, token: str, text: str, *, as_file: bool) -> httpx.Response:
    """POST scenario YAML to the upload form, as a chosen file or pasted."""
    data = {"csrf_token": token, "name": "", "description": ""}
    if as_file:
        files = {"yaml_file": ("bombe.yaml", text.encode(), "text/yaml")}
    else:
        files = {"yaml_file": ("", b"", "text/yaml")}
        data["yaml_text"] = text
    return client.post("/scenarier/nyt/yaml", data=data, files=files)


@pytest.mark.parametrize("as_file", [True, False], ids=["upload", "paste"])
def test_the_alias_bomb_is_refused_on_the_page(planner: tuple[TestClient, str],
                                               as_file: bool) -> None:
    web, token = planner
    page = refused_page(web, lambda: upload_yaml(web, token, hostile.alias_bomb(),
                                                 as_file=as_file), 422)
    assert "aliases included" in alert(page)


@pytest.mark.parametrize("as_file", [True, False], ids=["upload", "paste"])
def test_deep_yaml_is_refused_on_the_page(planner: tuple[TestClient, str],
                                          as_file: bool) -> None:
    web, token = planner
    page = refused_page(web, lambda: upload_yaml(web, token, hostile.deep_yaml(100_000),
                                                 as_file=as_file), 422)
    assert f"nested deeper than {limits.MAX_YAML_DEPTH} levels" in alert(page)


def test_an_oversize_upload_file_is_refused(planner: tuple[TestClient, str]) -> None:
    web, token = planner
    text = "name: stor\n" + "#" * limits.MAX_YAML_BYTES
    page = refused_page(web, lambda: upload_yaml(web, token, text, as_file=True), 422)
    assert f"larger than {limits.MAX_YAML_BYTES:,} bytes" in alert(page)


def test_an_oversize_description_is_refused(planner: tuple[TestClient, str]) -> None:
    web, token = planner
    region = web.app.state.regions.get("sjaelland")  # type: ignore[attr-defined]
    form = lever_form(region, token, "lang", description="d" * (limits.MAX_TEXT_CHARS + 1))
    page = refused_page(web, lambda: web.post("/scenarier/nyt", data=form), 422)
    assert f"at most {limits.MAX_TEXT_CHARS:,} characters" in alert(page)
    assert "description" in alert(page)


# — bodies too large for a page form —


@pytest.mark.parametrize(("lang", "words"), [
    ("da", f"Formularen er for stor: højst {limits.MAX_FORM_BODY_BYTES:,} bytes".replace(",", ".")),
    ("en", f"The form is too large: at most {limits.MAX_FORM_BODY_BYTES:,} bytes"),
])
def test_an_oversize_form_is_a_page_in_the_readers_language(
        planner: tuple[TestClient, str], lang: str, words: str) -> None:
    web, token = planner
    web.cookies.set("bass_lang", lang)
    body = f"csrf_token={token}&description=".encode() + b"d" * limits.MAX_FORM_BODY_BYTES
    headers = {"content-type": "application/x-www-form-urlencoded"}
    page = refused_page(web, lambda: web.post("/scenarier/nyt", content=body, headers=headers),
                        413)
    assert words in alert(page)


def test_an_oversize_streamed_form_is_refused(planner: tuple[TestClient, str]) -> None:
    web, token = planner
    parts = [f"csrf_token={token}&description=".encode(),
             *hostile.chunks(limits.MAX_FORM_BODY_BYTES)]
    headers = {"content-type": "application/x-www-form-urlencoded"}
    page = refused_page(web, lambda: web.post("/scenarier/nyt", content=iter(parts),
                                              headers=headers), 413)
    assert f"{limits.MAX_FORM_BODY_BYTES:,}".replace(",", ".") in alert(page)


def test_an_oversize_upload_is_refused_by_its_length(web: TestClient) -> None:
    token = page_login(web, "admin")
    content = b"x" * (limits.MAX_UPLOAD_BYTES + 1)
    page = refused_page(web, lambda: web.post(
        "/data/staffing/importer", data={"csrf_token": token},
        files={"file": ("staffing.csv", content, "text/csv")}), 413)
    assert f"{limits.MAX_UPLOAD_BYTES:,}".replace(",", ".") in alert(page)


# — the Data page's import —


def test_an_import_with_many_bad_rows_lists_a_hundred(web: TestClient) -> None:
    token = page_login(web, "admin")
    bad = 20_000  # ~0.5 MB of rows, each naming an unknown specialty
    sent: list[httpx.Response] = []
    page = refused_page(web, lambda: sent.append(web.post(
        "/data/staffing/importer", data={"csrf_token": token},
        files={"file": ("staffing.csv", hostile.bad_rows_csv(bad), "text/csv")})) or sent[0], 422)
    assert page.count("<tr data-row=") == limits.MAX_REPORTED_PROBLEMS
    more = f"{bad - limits.MAX_REPORTED_PROBLEMS:,}".replace(",", ".")
    assert f"… og {more} problemer mere" in page
    assert f"Ugyldige rækker: {bad}" in page
    assert len(sent[0].content) < 200_000  # the 5 MB upload gave an 11.5 MB page


def test_an_xlsx_zip_bomb_is_refused_on_the_page(web: TestClient) -> None:
    token = page_login(web, "admin")
    page = refused_page(web, lambda: web.post(
        "/data/staffing/importer", data={"csrf_token": token},
        files={"file": ("staffing.xlsx", hostile.xlsx_bomb(), "application/octet-stream")}),
        422)
    assert "xl/media/padding.bin" in page


# — the audit page —


def test_the_audit_page_cuts_long_values(web: TestClient) -> None:
    planner = bearer(web, "planner")
    text = hostile.valid_scenario("stor") + "#" * (limits.MAX_YAML_BYTES - 200)
    for k in range(3):  # three versions of a megabyte scenario: six megabytes of audit
        sent = {"yaml": text + "x" * k, "expected_version": k}
        response = (web.post("/api/scenarios", headers=planner,
                             json=hostile.scenario_body("stor", text)) if k == 0
                    else web.put("/api/scenarios/stor", headers=planner, json=sent))
        assert response.status_code in (200, 201), response.text[:300]
    page_login(web, "admin")
    page = web.get("/revision")
    assert page.status_code == 200
    assert len(page.content) < 100_000
    assert "tegn mere)" in page.text


# — text no database holds, on both databases —


@pytest.fixture(params=["sqlite", "postgresql"])
def any_web(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The whole server with users and scenarios over SQLite, then PostgreSQL."""
    with fresh_database(request.param, tmp_path, "bass_hostile_web") as url:
        app = create_web_app(settings_for(url))
        with TestClient(app, follow_redirects=False) as client:
            seeded(app)
            yield client


@pytest.mark.parametrize("bad", ["%00", "%ED%A0%80"], ids=["nul", "surrogate"])
def test_unstorable_text_in_page_forms_and_queries(any_web: TestClient, bad: str) -> None:
    token = page_login(any_web, "planner")
    headers = {"content-type": "application/x-www-form-urlencoded"}
    region = any_web.app.state.regions.get("sjaelland")  # type: ignore[attr-defined]
    form = urlencode(lever_form(region, token, "tekst"), doseq=True)
    body = f"{form}&description=a{bad}b"  # a second description: the last one counts
    send = lambda: any_web.post("/scenarier/nyt", content=body, headers=headers)  # noqa: E731
    if bad == "%00":
        assert "NUL" in alert(refused_page(any_web, send, 422))
    else:  # an invalid UTF-8 byte is read as U+FFFD, which any database holds
        assert send().status_code == 303
        stored = any_web.get("/api/scenarios/tekst").json()["description"]
        assert stored == "a\ufffd\ufffd\ufffdb"
    for path in (f"/scenarier/x{bad}y", f"/scenarier/sammenlign?a=x{bad}"):
        response = any_web.get(path)
        assert response.status_code in (404, 422), (path, response.status_code)
    login_page = any_web.get("/login")
    assert login_page.status_code == 200
