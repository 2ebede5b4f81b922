"""Imported region tables in the store: insert, replace, list, delete, each with one audit
entry holding a summary; a failure in the middle of a save leaves everything as it was."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

import pytest
import sqlalchemy as sa

from bassplan.data.imports import ImportedTable
from bassplan.domain.errors import InputError
from bassplan.store import audit, datatables
from bassplan.store.accounts import create_user
from bassplan.store.audit import list_audit
from bassplan.store.datatables import delete_table, list_tables, load_overrides, save_table
from bassplan.store.errors import NotFound
from bassplan.store.models import User

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)

CSV_1 = "specialty_id,site_id,specialist_fte,trainee_fte,vacant_fte,on_call_specialists\n" \
        "kardiologi,holbaek,10,4,1,10\n"
CSV_2 = CSV_1 + "geriatri,holbaek,3,1,0,3\n"


def _admin(db: Db) -> int:
    return create_user(db.sessions, username="ærø", display_name="Admin",
                       password="korrekt-hest-1", role="admin").id


def _counts(db: Db) -> tuple[int, int]:
    with db.engine.connect() as conn:
        tables = conn.execute(sa.text("SELECT count(*) FROM data_tables")).scalar_one()
        audit = conn.execute(sa.text(
            "SELECT count(*) FROM audit_entries WHERE entity = 'data_table'")).scalar_one()
    return tables, audit


def test_save_replace_list_and_delete_with_audit(db: Db) -> None:
    admin = _admin(db)
    first = save_table(db.sessions, table=ImportedTable("staffing", "s.csv", CSV_1, 1),
                       actor_id=admin)
    assert (first.version, first.rows) == (1, 1)
    second = save_table(db.sessions, table=ImportedTable("staffing", "s2.xlsx", CSV_2, 2),
                        actor_id=admin)
    assert (second.version, second.filename) == (2, "s2.xlsx")
    assert load_overrides(db.sessions) == {"staffing": CSV_2}
    [listed] = list_tables(db.sessions)
    assert (listed.kind, listed.rows, listed.version, listed.uploaded_by) == (
        "staffing", 2, 2, "ærø")
    assert listed.sha256 == hashlib.sha256(CSV_2.encode()).hexdigest()

    delete_table(db.sessions, kind="staffing", actor_id=admin)
    assert load_overrides(db.sessions) == {}
    entries = list_audit(db.sessions, entity="data_table", entity_id="staffing")
    assert [(e.action, e.user_id) for e in entries] == [
        ("delete", admin), ("update", admin), ("create", admin)]
    replaced = json.loads(entries[1].before or ""), json.loads(entries[1].after or "")
    assert replaced[0] == {"region": "sjaelland", "kind": "staffing", "filename": "s.csv",
                           "rows": 1, "sha256": hashlib.sha256(CSV_1.encode()).hexdigest()}
    assert (replaced[1]["filename"], replaced[1]["rows"]) == ("s2.xlsx", 2)
    assert "content" not in replaced[1]  # a summary, not the whole CSV
    assert entries[0].after is None


def test_deleting_the_importer_keeps_the_table(db: Db) -> None:
    admin = _admin(db)
    save_table(db.sessions, table=ImportedTable("rates", "r.csv", CSV_1, 1), actor_id=admin)
    with db.sessions.begin() as session:
        session.delete(session.get(User, admin))
    [listed] = list_tables(db.sessions)
    assert (listed.kind, listed.uploaded_by) == ("rates", None)


def test_unknown_kind_and_nothing_to_delete(db: Db) -> None:
    with pytest.raises(InputError, match="unknown table 'beds'"):
        save_table(db.sessions, table=ImportedTable("beds", "b.csv", CSV_1, 1))
    with pytest.raises(NotFound, match="imported table 'residents' not found"):
        delete_table(db.sessions, kind="residents")
    assert _counts(db) == (0, 0)


def test_a_failure_in_the_middle_leaves_the_table_as_it_was(
    db: Db, monkeypatch: pytest.MonkeyPatch
) -> None:
    save_table(db.sessions, table=ImportedTable("staffing", "s.csv", CSV_1, 1))

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")  # after the row's UPDATE was sent

    monkeypatch.setattr(datatables, "record", broken)
    monkeypatch.setattr(audit, "record", broken)  # deletes are audited through audit.record
    with pytest.raises(RuntimeError, match="disk full"):
        save_table(db.sessions, table=ImportedTable("staffing", "s2.csv", CSV_2, 2))
    with pytest.raises(RuntimeError, match="disk full"):
        save_table(db.sessions, table=ImportedTable("travel_matrix", "t.csv", CSV_2, 2))
    with pytest.raises(RuntimeError, match="disk full"):
        delete_table(db.sessions, kind="staffing")
    assert load_overrides(db.sessions) == {"staffing": CSV_1}
    [listed] = list_tables(db.sessions)
    assert (listed.filename, listed.version) == ("s.csv", 1)
    assert _counts(db) == (1, 1)
