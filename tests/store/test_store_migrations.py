"""Migrating an empty database to head, and the models agreeing with the migrations."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
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
    "user_sessions", "program_bodies",
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
                ("r0006_regions",)
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


def test_program_rows_from_r0004_survive_r0005_with_defaults(empty_url: str) -> None:
    """Roles, meetings, decisions and deliverables stored at r0004 keep every value after
    r0005_program; the new columns start empty, decisions as "decided", and the default
    organisation (10 bodies, Programledelse under Programstyregruppe) is seeded."""
    from datetime import UTC, date, datetime

    from bassplan.store import organisation, program
    from bassplan.store.engine import session_factory
    from bassplan.store.models import Deliverable

    upgrade(empty_url, "r0004")
    engine = make_engine(empty_url)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(
                "INSERT INTO specialty_roles (specialty_id, role, person_name, email) VALUES "
                "('kardiologi', 'konceptejer', 'Åse Ø', 'aase@example.dk'), "
                "('geriatri', 'kerneteam', 'Bo', '')"))
            conn.execute(sa.text("INSERT INTO meetings (date, title) VALUES (:d, 'Møde 1')"),
                         {"d": date(2026, 1, 12)})
            conn.execute(sa.text(
                "INSERT INTO decisions (meeting_id, text, owner, due_date) "
                "VALUES (1, 'Samle kardiologi', 'Ib', :d)"), {"d": date(2026, 6, 1)})
            conn.execute(sa.text(
                "INSERT INTO deliverables (title, specialty_id, owner, status, due_date, "
                "version) VALUES ('Notat', 'geriatri', 'Kim', 'i_gang', :d, 3)"),
                {"d": date(2026, 3, 1)})
            conn.execute(sa.text(
                "INSERT INTO audit_entries (at, action, entity, entity_id) "
                "VALUES (:t, 'create', 'meeting', '1')"), {"t": datetime(2026, 1, 1, tzinfo=UTC)})
        upgrade(empty_url)
        sessions = session_factory(engine)
        roles = {(r.specialty_id, r.role, r.person_name, r.email, r.site_id, r.profession,
                  r.body_id) for r in program.list_roles(sessions)}
        assert roles == {("kardiologi", "konceptejer", "Åse Ø", "aase@example.dk", None, "",
                          None), ("geriatri", "kerneteam", "Bo", "", None, "", None)}
        minutes = program.get_meeting(sessions, meeting_id=1)
        m = minutes.meeting
        assert (m.date, m.title, m.body_id, m.agenda, m.minutes) == (
            date(2026, 1, 12), "Møde 1", None, "", "")
        [d] = minutes.decisions
        assert (d.text, d.owner, d.due_date, d.status, d.body_id, d.specialty_id,
                d.scenario_id) == ("Samle kardiologi", "Ib", date(2026, 6, 1), "decided",
                                   None, None, None)
        [item] = program.list_work_items(sessions, Deliverable)
        assert (item.title, item.status, item.version, item.decision_id) == (
            "Notat", "i_gang", 3, None)
        bodies = {b.name: b for b in organisation.list_bodies(sessions)}
        assert len(bodies) == 10
        assert bodies["Programledelse"].parent_id == bodies["Programstyregruppe"].id
        assert bodies["Implementeringsstyregruppe"].parent_id == bodies["Programledelse"].id
        assert {n for n, b in bodies.items() if b.kind == "afdeling"} == {
            "HR", "Økonomi", "Digitalisering"}
        assert all(b.note.startswith("illustrativ") for b in bodies.values())
        # a new decision at the old meeting still works, and the checks hold
        program.add_decision(sessions, meeting_id=1, text="Ny", status="proposed")
        with engine.begin() as conn, pytest.raises(sa.exc.IntegrityError):
            conn.execute(sa.text("UPDATE decisions SET status = 'maybe'"))
    finally:
        engine.dispose()


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


def test_r0005_downgrades_to_r0004_keeping_meetings_and_decisions(empty_url: str) -> None:
    """Back to r0004: meetings and their decisions stay (SQLite rebuilds the meetings table,
    which would cascade to the decisions), cross-cutting roles go (r0004 needs a specialty)."""
    from datetime import date

    from alembic import command
    from alembic.config import Config

    from bassplan.store import program
    from bassplan.store.engine import MIGRATIONS, session_factory

    upgrade(empty_url)
    engine = make_engine(empty_url)
    try:
        sessions = session_factory(engine)
        meeting = program.create_meeting(sessions, date=date(2026, 2, 2), title="M",
                                         agenda="1. Status")
        program.add_decision(sessions, meeting_id=meeting.id, text="Ja", status="proposed")
        program.add_role(sessions, role="konceptejer", person_name="Hanne")
        program.add_role(sessions, specialty_id="geriatri", role="kerneteam", person_name="Bo")
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "r0004")
        with engine.connect() as conn:
            assert conn.execute(sa.text("SELECT text FROM decisions")).all() == [("Ja",)]
            assert conn.execute(sa.text("SELECT title FROM meetings")).all() == [("M",)]
            assert conn.execute(sa.text("SELECT person_name FROM specialty_roles")).all() == [
                ("Bo",)]
            assert "program_bodies" not in sa.inspect(conn).get_table_names()
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


def test_an_imported_table_is_one_per_region_and_kind_after_r0006(db: Db) -> None:
    from bassplan.data.imports import ImportedTable
    from bassplan.store.datatables import list_tables, load_overrides, save_table

    table = ImportedTable(kind="staffing", filename="s.csv", csv_text="a,b\n", rows=1)
    save_table(db.sessions, table=table, region="sjaelland")
    save_table(db.sessions, table=table, region="oestdanmark")
    save_table(db.sessions, table=table, region="oestdanmark")  # replaces, version 2
    assert [t.version for t in list_tables(db.sessions, region="oestdanmark")] == [2]
    assert [t.version for t in list_tables(db.sessions, region="sjaelland")] == [1]
    assert load_overrides(db.sessions, region="oestdanmark") == {"staffing": "a,b\n"}
