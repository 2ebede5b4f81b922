"""Migrating an empty database to head, and the models agreeing with the migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bassplan.store.engine import make_engine, upgrade
from bassplan.store.models import Base

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)

TABLES = {
    "users", "api_tokens", "scenarios", "specialty_roles", "initiatives", "deliverables",
    "meetings", "decisions", "audit_entries", "program_bodies", "data_tables", "jobs", "saved_simulations",
    "user_sessions",
}


def _diff(engine: sa.Engine, metadata: sa.MetaData) -> list[object]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_upgrade_creates_every_table_at_head(empty_url: str) -> None:
    upgrade(empty_url)
    upgrade(empty_url)  # a second run at head changes nothing
    engine = make_engine(empty_url)
    try:
        names = set(sa.inspect(engine).get_table_names())
        assert names == TABLES | {"alembic_version"}
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).all() == [
                ("r0005_program",)
            ]
    finally:
        engine.dispose()


def test_models_and_migrations_agree(db: Db) -> None:
    assert _diff(db.engine, Base.metadata) == []


def test_the_comparison_would_see_a_drift(db: Db) -> None:
    # the agreement test can fail: a model with one more column and one more table differs
    drifted = sa.MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["users"].append_column(sa.Column("phone", sa.String(20)))
    sa.Table("extra", drifted, sa.Column("id", sa.Integer, primary_key=True))
    kinds = sorted(str(d[0]) for d in _diff(db.engine, drifted) if isinstance(d, tuple))
    assert kinds == ["add_column", "add_table"]


def test_tokens_from_before_r0003_get_an_expiry_90_days_after_the_upgrade(empty_url: str) -> None:
    from datetime import UTC, datetime, timedelta

    upgrade(empty_url, "r0002")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (id, username, display_name, password_hash, role, active, "
                "created_at) VALUES (1, 'bo', 'Bo', 'x', 'viewer', TRUE, :t)"),
                {"t": datetime(2025, 1, 1, tzinfo=UTC)})
            conn.execute(sa.text(
                "INSERT INTO api_tokens (user_id, token_hash, name, created_at) "
                "VALUES (1, :h, 'gammel', :t)"),
                {"h": "0" * 64, "t": datetime(2025, 1, 1, tzinfo=UTC)})
        before = datetime.now(UTC)
        upgrade(empty_url)
        after = datetime.now(UTC)
        with engine.connect() as conn:
            expires, revoked = conn.execute(
                sa.text("SELECT expires_at, revoked_at FROM api_tokens")).one()
            columns = sa.inspect(conn).get_columns("api_tokens")
            nullable = {c["name"]: c["nullable"] for c in columns}
    finally:
        engine.dispose()
    if isinstance(expires, str):  # SQLite returns the text it stored (UTC, no zone)
        expires = datetime.fromisoformat(expires)
    expires = expires.replace(tzinfo=UTC) if expires.tzinfo is None else expires
    assert before + timedelta(days=90) - timedelta(seconds=1) <= expires
    assert expires <= after + timedelta(days=90)
    assert revoked is None
    assert nullable["expires_at"] is False and nullable["revoked_at"] is True
