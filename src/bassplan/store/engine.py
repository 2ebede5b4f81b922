"""Open the store: the database URL, the engine, sessions, and migrating to the latest schema.

The URL is, in order: the one given, the environment variable ``BASS_DATABASE_URL``, or
``sqlite:///bass.sqlite`` — a SQLite file ``bass.sqlite`` in the current directory.
PostgreSQL URLs look like ``postgresql+psycopg://user:password@host:5432/dbname``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from bassplan.domain.errors import InputError
from bassplan.domain.text import text_problem
from bassplan.store.errors import DatabaseError

ENV_VAR = "BASS_DATABASE_URL"
DEFAULT_URL = "sqlite:///bass.sqlite"
MIGRATIONS = Path(__file__).parent / "migrations"


def database_url(explicit: str | None = None) -> str:
    """The URL to use: ``explicit``, else $BASS_DATABASE_URL, else ./bass.sqlite."""
    return explicit or os.environ.get(ENV_VAR) or DEFAULT_URL


def safe_url(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Turn on foreign keys and the WAL journal on every new SQLite connection."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _field_of(key: object) -> str:
    """The column a bound parameter belongs to: ``username_1`` → ``username``."""
    return re.sub(r"_\d+$", "", str(key)) if isinstance(key, str) else "(text)"


def _refuse_unstorable(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, context: Any, executemany: bool
) -> None:
    """Refuse text no database can hold before it reaches the driver, the same way on SQLite
    and PostgreSQL: InputError (HTTP 422), never a driver error (HTTP 500). SQLite's
    parameters are positional; the compiled statement names them, so both say the field."""
    names = getattr(getattr(context, "compiled", None), "positiontup", None) or ()
    for params in parameters if executemany else (parameters,):
        items = (params.items() if isinstance(params, dict) else
                 ((names[i] if i < len(names) else i, v) for i, v in enumerate(params or ())))
        for key, value in items:
            if isinstance(value, str) and (problem := text_problem(value)) is not None:
                raise InputError("request", "", _field_of(key), problem)


def make_engine(url: str) -> Engine:
    """Create an engine and open one connection to prove the database is reachable;
    a bad URL or an unreachable database raises DatabaseError (password hidden)."""
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise DatabaseError(safe_url(url), f"not a usable database URL ({exc})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "before_cursor_execute", _refuse_unstorable)
    try:
        with engine.connect():
            pass
    except SQLAlchemyError as exc:
        engine.dispose()
        reason = str(getattr(exc, "orig", None) or exc)
        raise DatabaseError(safe_url(url), f"cannot connect ({reason.strip()})") from None
    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions whose objects stay readable after commit (the repository returns them)."""
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(url: str | None = None, revision: str = "head", *,
            default_region: str | None = None) -> None:
    """Migrate the database at ``url`` (see database_url) to ``revision`` with the
    packaged Alembic scripts; no alembic.ini is needed. Rows from before regions existed
    get ``default_region`` (the server's configured region id; None: the first bundled)."""
    from alembic import command
    from alembic.config import Config

    engine = make_engine(database_url(url))
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            config.attributes["default_region"] = default_region
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc)
        raise DatabaseError(safe_url(str(engine.url)), f"migration failed ({reason})") from None
    finally:
        engine.dispose()
