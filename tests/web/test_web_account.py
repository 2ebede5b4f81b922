"""Changing one's own password: the page (CSRF, current password, repeat) and the API, and
the old password no longer working afterwards; the audit entry holds no hash."""

from __future__ import annotations

import json

from bassplan.store.audit import list_audit
from tests.support.api import PASSWORD, TestClient, login
from tests.support.web import form_token, page_login


def test_page_changes_the_password(web: TestClient) -> None:
    page_login(web, "planner")
    page = web.get("/konto")
    assert page.status_code == 200 and "Skift adgangskode" in page.text
    token = form_token(page.text)
    fields = {"current": PASSWORD, "new": "nyt-kodeord-9", "again": "nyt-kodeord-9"}
    assert web.post("/konto/adgangskode", data=fields).status_code == 403  # no csrf
    differ = web.post("/konto/adgangskode",
                      data={**fields, "again": "andet-kodeord", "csrf_token": token})
    assert differ.status_code == 422 and "ikke ens" in differ.text
    wrong = web.post("/konto/adgangskode",
                     data={**fields, "current": "forkert", "csrf_token": token})
    assert wrong.status_code == 422 and "nuværende adgangskode er forkert" in wrong.text
    done = web.post("/konto/adgangskode", data={**fields, "csrf_token": token})
    assert done.status_code == 303
    assert "Adgangskoden er skiftet" in web.get(done.headers["location"]).text
    web.cookies.clear()
    old = web.post("/api/login", json={"username": "planner", "password": PASSWORD})
    assert old.status_code == 401
    new = web.post("/api/login", json={"username": "planner", "password": "nyt-kodeord-9"})
    assert new.status_code == 200
    entry = list_audit(web.app.state.sessions, limit=1)[0]  # type: ignore[attr-defined]
    assert entry.entity == "user" and entry.after is not None
    after = json.loads(entry.after)
    assert after["password"] == "changed" and "password_hash" not in after


def test_api_changes_the_password(web: TestClient) -> None:
    csrf = login(web, "viewer")
    body = {"current_password": PASSWORD, "new_password": "kort"}
    assert web.post("/api/session/password", json=body,
                    headers={"X-CSRF-Token": csrf}).status_code == 422
    body["new_password"] = "langt-nok-kodeord"
    assert web.post("/api/session/password", json=body).status_code == 403  # no csrf header
    assert web.post("/api/session/password", json=body,
                    headers={"X-CSRF-Token": csrf}).status_code == 204
    web.cookies.clear()
    assert web.post("/api/login", json={"username": "viewer",
                                        "password": "langt-nok-kodeord"}).status_code == 200
