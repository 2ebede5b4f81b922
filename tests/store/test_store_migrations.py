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
                ("r0004",)
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
