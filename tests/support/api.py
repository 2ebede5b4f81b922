"""API test fixtures: a fresh app per test over its own SQLite file in tmp_path, four seeded
users (one per role), and helpers to log in, get a bearer token and check problem bodies.
The PostgreSQL smoke test uses a fresh, uniquely named database on 127.0.0.1:5432, skipped
when unreachable unless $CI is set (as in tests/store/conftest.py)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.app import create_app
from bassplan.api.settings import Settings
from bassplan.store.accounts import create_token, create_user
from bassplan.store.engine import make_engine, session_factory, upgrade
from tests.support.databases import fresh_database

with warnings.catch_warnings():  # starlette 1.x prefers httpx2 for its TestClient; httpx works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient as TestClient  # noqa: PLC0414 (re-export)

PASSWORD = "korrekt-hest-1"
ROLES = ("viewer", "planner", "program", "admin")
LIMIT = 3  # failed logins per account (and distinct names per address) in the test settings
ADDRESS_LIMIT = 6  # failed logins per client address in the test settings


def settings_for(url: str) -> Settings:
    """Test settings over the database at ``url``, with the bundled region."""
    return Settings(database_url=url, secret_key="test-secret-key",
                    login_failures_per_account=LIMIT, login_failures_per_address=ADDRESS_LIMIT,
                    login_names_per_address=LIMIT)


def seed_users(app: FastAPI) -> None:
    """One active user per role, named after the role, all with PASSWORD."""
    for role in ROLES:
        create_user(app.state.sessions, username=role, display_name=role.title(),
                    password=PASSWORD, role=role)


def started(app: FastAPI) -> Iterator[TestClient]:
    """A test client over the started app (lifespan run) with the users seeded."""
    with TestClient(app) as client:
        seed_users(app)
        yield client


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    """A fresh app over an empty SQLite file."""
    return create_app(settings_for(f"sqlite:///{tmp_path / 'api.sqlite'}"))


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    """A client of the started app with the four users."""
    yield from started(app)


def login(client: TestClient, username: str) -> str:
    """Log in as ``username`` (sets the cookie) and return the CSRF token."""
    response = client.post("/api/login", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    token: str = response.json()["csrf_token"]
    return token


def bearer(client: TestClient, username: str) -> dict[str, str]:
    """Authorization headers with a fresh API token of ``username``."""
    app: FastAPI = client.app  # type: ignore[assignment]
    token = create_token(app.state.sessions, username=username, name="test")
    return {"Authorization": f"Bearer {token}"}


def assert_problem(response: httpx.Response, status: int) -> dict[str, object]:
    """Check the response is RFC 7807 problem JSON with this status; return the body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "Traceback" not in response.text
    body: dict[str, object] = response.json()
    assert body["status"] == status
    assert {"type", "title", "status", "detail"} <= set(body)
    return body


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """Sessions of a migrated SQLite file holding two users (ids 1 and 2), for the job
    runner."""
    url = f"sqlite:///{tmp_path / 'runner.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    factory = session_factory(engine)
    for role in ("planner", "program"):
        create_user(factory, username=role, display_name=role.title(), password=PASSWORD,
                    role=role)
    yield factory
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """A started client over SQLite, then over a fresh PostgreSQL database (dropped after)."""
    with fresh_database(request.param, tmp_path, "bass_api_test") as url:
        yield from started(create_app(settings_for(url)))
