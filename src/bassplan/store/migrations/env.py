"""Alembic environment: migrate the connection store.engine.upgrade hands over in
``config.attributes['connection']`` (or, from the alembic CLI, ``sqlalchemy.url``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bassplan.store.models import Base


def _run(connection: Connection) -> None:
    """Run the migrations on one open connection (batch mode so SQLite can alter tables)."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    """Migrate online, on the given connection or one opened from the configured URL."""
    given = context.config.attributes.get("connection")
    if given is not None:
        _run(given)
        return
    from bassplan.store.engine import database_url, make_engine

    engine = make_engine(database_url(context.config.get_main_option("sqlalchemy.url")))
    try:
        with engine.begin() as connection:
            _run(connection)
    finally:
        engine.dispose()


run_migrations()
