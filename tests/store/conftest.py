"""The store tests run on both databases: a SQLite file in tmp_path, and a fresh, uniquely
named PostgreSQL database on 127.0.0.1:5432 (dropped afterwards). Without PostgreSQL the
PostgreSQL half is skipped — unless $CI is set, where it fails (.ci/run starts PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bassplan.store.engine import make_engine, session_factory, upgrade
from tests.support.databases import Db, fresh_database


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, empty database of the kind the test is parametrised with."""
    with fresh_database(request.param, tmp_path) as url:
        yield url


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
