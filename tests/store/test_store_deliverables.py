"""Deliverables: versioned updates with audit entries, and checked status values."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import pytest

from bassplan.domain.errors import InputError
from bassplan.store.audit import list_audit
from bassplan.store.errors import NotFound, VersionConflict
from bassplan.store.models import Deliverable
from bassplan.store.program import (
    create_work_item,
    get_work_item,
    list_work_items,
    update_work_item,
)
from bassplan.store.repository import create_scenario, delete_scenario

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)


def test_two_editors_of_a_deliverable(db: Db) -> None:
    made = create_work_item(db.sessions, Deliverable, {
        "title": "Udekørende klinik i Holbæk", "owner": "Søren Ærø",
        "specialty_id": "kardiologi", "due_date": date(2026, 3, 1)})
    assert (made.version, made.status) == (1, "planlagt")
    update_work_item(db.sessions, Deliverable, made.id, expected_version=1,
                     changes={"status": "i_gang"})
    with pytest.raises(VersionConflict) as caught:
        update_work_item(db.sessions, Deliverable, made.id, expected_version=1,
                         changes={"status": "forsinket"})
    assert str(caught.value) == ("deliverable 'Udekørende klinik i Holbæk' was changed by "
                                 "someone else (version 2, you had 1)")
    row = get_work_item(db.sessions, Deliverable, made.id)
    assert (row.status, row.version, row.owner) == ("i_gang", 2, "Søren Ærø")
    entries = list_audit(db.sessions, entity="deliverable", entity_id=made.id)
    assert [e.action for e in entries] == ["update", "create"]
    before, after = json.loads(entries[0].before or ""), json.loads(entries[0].after or "")
    assert (before["status"], after["status"]) == ("planlagt", "i_gang")
    assert (before["due_date"], after["version"]) == ("2026-03-01", 2)


def test_status_and_fields_are_checked(db: Db) -> None:
    made = create_work_item(db.sessions, Deliverable, {"title": "Plan"})
    with pytest.raises(InputError, match="'done' is not one of planlagt, i_gang"):
        update_work_item(db.sessions, Deliverable, made.id, expected_version=1,
                         changes={"status": "done"})
    with pytest.raises(InputError, match="field 'version': is not a deliverable field"):
        update_work_item(db.sessions, Deliverable, made.id, expected_version=1,
                         changes={"version": 7})
    with pytest.raises(NotFound, match="deliverable '999' not found"):
        update_work_item(db.sessions, Deliverable, 999, expected_version=1, changes={})
    assert get_work_item(db.sessions, Deliverable, made.id).version == 1


def test_deleting_the_justifying_scenario_keeps_the_deliverable(db: Db) -> None:
    scenario = create_scenario(db.sessions, name="grundlag", yaml_text="name: g\nyear: 2030\n")
    made = create_work_item(db.sessions, Deliverable,
                            {"title": "Følger scenariet", "scenario_id": scenario.id})
    create_work_item(db.sessions, Deliverable, {"title": "Uden dato"})
    create_work_item(db.sessions, Deliverable, {"title": "Tidlig", "due_date": date(2025, 1, 1)})
    delete_scenario(db.sessions, name="grundlag")
    assert get_work_item(db.sessions, Deliverable, made.id).scenario_id is None
    titles = [d.title for d in list_work_items(db.sessions, Deliverable)]
    assert titles == ["Tidlig", "Følger scenariet", "Uden dato"]
