"""The store tests run on both databases: a SQLite file in tmp_path, and a fresh, uniquely
named PostgreSQL database on 127.0.0.1:5432 (dropped afterwards). Without PostgreSQL the
PostgreSQL half is skipped — unless $CI is set, where it fails (.ci/run starts PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store.engine import make_engine, session_factory, upgrade

PG_SERVER = os.environ.get("BASS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


@dataclass(frozen=True)
class Db:
    """One empty test database: its URL, an engine and a session factory."""

    url: str
    engine: sa.Engine
    sessions: sessionmaker[Session]


def _maintenance() -> sa.Engine:
    """An AUTOCOMMIT engine on the `postgres` maintenance database, or skip/fail."""
    engine = sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT",
                              connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as exc:
        engine.dispose()
        reason = f"PostgreSQL at {PG_SERVER} is unreachable: {str(exc.orig).splitlines()[0]}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so PostgreSQL must run)")
        pytest.skip(reason)
    return engine


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database of the kind the test is parametrised with."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bass.sqlite'}"
        return
    admin = _maintenance()
    name = f"bass_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def db(empty_url: str) -> Iterator[Db]:
    """A fresh database migrated to head, with its engine and sessions."""
    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        yield Db(empty_url, engine, session_factory(engine))
    finally:
        engine.dispose()


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that uses a database once on SQLite and once on PostgreSQL."""
    if "empty_url" in metafunc.fixturenames:
        metafunc.parametrize("empty_url", ["sqlite", "postgresql"], indirect=True)
