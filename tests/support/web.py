"""Page test fixtures: the whole server (API + pages) over its own SQLite file, the four role
users, two stored example scenarios, and a helper that logs in through the login form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from bassplan.store.repository import seed_scenarios
from bassplan.web.app import create_web_app
from tests.support.api import PASSWORD, TestClient, seed_users, settings_for
from tests.support.paths import EXAMPLES

SCENARIO_FILES = (EXAMPLES / "baseline.yaml", EXAMPLES / "kardiologi_styrkepositioner.yaml")


def seeded(app: FastAPI) -> None:
    """The four users and the two example scenarios (baseline first)."""
    seed_users(app)
    seed_scenarios(app.state.sessions, list(SCENARIO_FILES),
                   region=app.state.regions.get("sjaelland"))


@pytest.fixture
def web_app(tmp_path: Path) -> FastAPI:
    """A fresh server over an empty SQLite file."""
    return create_web_app(settings_for(f"sqlite:///{tmp_path / 'web.sqlite'}"))


@pytest.fixture
def web(web_app: FastAPI) -> Iterator[TestClient]:
    """A client of the started server with users and scenarios, not logged in."""
    with TestClient(web_app, follow_redirects=False) as client:
        seeded(web_app)
        yield client


def form_token(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no csrf_token field on the page"
    return found.group(1)


def page_login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token (from the next page)."""
    token = form_token(client.get("/login").text)
    response = client.post("/login", data={"username": username, "password": password,
                                           "csrf_token": token, "next": "/scorecard"})
    assert response.status_code == 303, response.text
    page = client.get("/scorecard")
    assert page.status_code == 200
    return form_token(page.text)
