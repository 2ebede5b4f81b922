"""Fresh, empty test databases: a SQLite file in a folder, or a uniquely named PostgreSQL
database on $BASS_TEST_PG (default 127.0.0.1:5432), dropped afterwards. Without PostgreSQL
the test is skipped — unless $CI is set, where it fails (.ci/run starts PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

PG_SERVER = os.environ.get("BASS_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432")


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


@contextmanager
def fresh_database(kind: str, folder: Path, prefix: str = "bass_test") -> Iterator[str]:
    """The URL of a new empty database of ``kind`` ('sqlite' or 'postgresql')."""
    if kind == "sqlite":
        yield f"sqlite:///{folder / f'{prefix}.sqlite'}"
        return
    admin = _maintenance()
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0'))
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()






@dataclass(frozen=True)
class Db:
    """One empty test database: its URL, an engine and a session factory."""

    url: str
    engine: sa.Engine
    sessions: sessionmaker[Session]


