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
    "meetings", "decisions", "audit_entries", "data_tables", "jobs", "saved_simulations",
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
                ("r0005_regions",)
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


def _rows_before_regions(url: str) -> None:
    """A database at r0004 with a user, a scenario and an imported table in it."""
    from datetime import UTC, datetime

    upgrade(url, "r0004")
    engine = make_engine(url)
    stamp = {"t": datetime(2026, 1, 1, tzinfo=UTC)}
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO users (id, username, display_name, password_hash, role, active, "
                "created_at) VALUES (1, 'bo', 'Bo', 'x', 'planner', TRUE, :t)"), stamp)
            conn.execute(sa.text(
                "INSERT INTO scenarios (id, name, description, yaml, version, created_by, "
                "created_at, updated_at) VALUES (7, 'gammel', 'før regioner', 'name: gammel', "
                "3, 1, :t, :t)"), stamp)
            conn.execute(sa.text(
                "INSERT INTO data_tables (id, kind, filename, content, rows, uploaded_by, "
                "uploaded_at, version) VALUES (1, 'staffing', 's.csv', 'a,b', 1, 1, :t, 2)"),
                stamp)
    finally:
        engine.dispose()


def _region_rows(url: str) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            scenarios = conn.execute(sa.text(
                "SELECT id, name, description, version, created_by, region FROM scenarios")).all()
            tables = conn.execute(sa.text(
                "SELECT kind, filename, version, region FROM data_tables")).all()
    finally:
        engine.dispose()
    return [tuple(r) for r in scenarios], [tuple(r) for r in tables]


def test_rows_from_r0004_survive_and_get_the_default_region(empty_url: str) -> None:
    _rows_before_regions(empty_url)
    upgrade(empty_url)
    scenarios, tables = _region_rows(empty_url)
    assert scenarios == [(7, "gammel", "før regioner", 3, 1, "sjaelland")]
    assert tables == [("staffing", "s.csv", 2, "sjaelland")]


def test_rows_from_r0004_get_the_servers_configured_region(empty_url: str) -> None:
    _rows_before_regions(empty_url)
    upgrade(empty_url, default_region="oestdanmark")
    scenarios, tables = _region_rows(empty_url)
    assert [row[-1] for row in scenarios] == ["oestdanmark"]
    assert [row[-1] for row in tables] == ["oestdanmark"]


def test_an_imported_table_is_one_per_region_and_kind_after_r0005(db: Db) -> None:
    from bassplan.data.imports import ImportedTable
    from bassplan.store.datatables import list_tables, load_overrides, save_table

    table = ImportedTable(kind="staffing", filename="s.csv", csv_text="a,b\n", rows=1)
    save_table(db.sessions, table=table, region="sjaelland")
    save_table(db.sessions, table=table, region="oestdanmark")
    save_table(db.sessions, table=table, region="oestdanmark")  # replaces, version 2
    assert [t.version for t in list_tables(db.sessions, region="oestdanmark")] == [2]
    assert [t.version for t in list_tables(db.sessions, region="sjaelland")] == [1]
    assert load_overrides(db.sessions, region="oestdanmark") == {"staffing": "a,b\n"}
