"""Program governance in the store: people per role, initiatives (versioned work items),
meetings with decisions — each change audited once, bad input refused whole."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest
import sqlalchemy as sa

from bassplan.domain.errors import InputError
from bassplan.store import program
from bassplan.store.audit import list_audit
from bassplan.store.errors import AlreadyExists, NotFound, VersionConflict
from bassplan.store.models import AuditEntry, Deliverable, Initiative
from bassplan.store.repository import create_scenario

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)

KNOWN = ("kardiologi", "reumatologi", "geriatri")


def _audit(db: Db, entity: str, entity_id: object) -> list[tuple[str, Any, Any]]:
    """(action, before, after) of one record's audit entries, oldest first."""
    entries = reversed(list_audit(db.sessions, entity=entity, entity_id=entity_id))
    return [(e.action, e.before and json.loads(e.before), e.after and json.loads(e.after))
            for e in entries]


def _audit_count(db: Db) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one())


def test_initiative_lifecycle_with_versions_and_audit(db: Db) -> None:
    scenario = create_scenario(db.sessions, name="øst", yaml_text="name: ø\nyear: 2030\n")
    made = program.create_work_item(db.sessions, Initiative, {
        "title": "Fælles akutmodtagelse", "specialty_id": "kardiologi",
        "scenario_id": scenario.id, "due_date": date(2026, 6, 30)}, specialties=KNOWN,
        actor_id=None)
    program.create_work_item(db.sessions, Initiative, {"title": "Uden dato"})
    program.create_work_item(db.sessions, Initiative,
                             {"title": "Først", "due_date": date(2025, 1, 15),
                              "specialty_id": "geriatri"})
    assert (made.version, made.status, made.owner) == (1, "planlagt", "")
    titles = [i.title for i in program.list_work_items(db.sessions, Initiative)]
    assert titles == ["Først", "Fælles akutmodtagelse", "Uden dato"]
    only = program.list_work_items(db.sessions, Initiative, specialty_id="kardiologi")
    assert [i.id for i in only] == [made.id]

    changed = program.update_work_item(db.sessions, Initiative, made.id, expected_version=1,
                                       changes={"status": "i_gang", "owner": "Åse Øberg"})
    assert (changed.version, changed.status) == (2, "i_gang")
    with pytest.raises(VersionConflict) as caught:
        program.update_work_item(db.sessions, Initiative, made.id, expected_version=1,
                                 changes={"status": "afsluttet"})
    assert str(caught.value) == ("initiative 'Fælles akutmodtagelse' was changed by someone "
                                 "else (version 2, you had 1)")
    with pytest.raises(VersionConflict):
        program.delete_work_item(db.sessions, Initiative, made.id, expected_version=1)
    row = program.get_work_item(db.sessions, Initiative, made.id)
    assert (row.status, row.owner, row.version) == ("i_gang", "Åse Øberg", 2)

    program.delete_work_item(db.sessions, Initiative, made.id, expected_version=2)
    with pytest.raises(NotFound, match=f"initiative '{made.id}' not found"):
        program.get_work_item(db.sessions, Initiative, made.id)
    trail = _audit(db, "initiative", made.id)
    assert [action for action, _, _ in trail] == ["create", "update", "delete"]
    (_, _, created), (_, before, after), (_, deleted, gone) = trail
    assert (created["title"], created["due_date"], created["version"]) == (
        "Fælles akutmodtagelse", "2026-06-30", 1)
    assert (before["status"], after["status"], after["owner"]) == ("planlagt", "i_gang",
                                                                   "Åse Øberg")
    assert (deleted["version"], gone) == (2, None)


def test_deleting_an_initiative_keeps_its_deliverables(db: Db) -> None:
    initiative = program.create_work_item(db.sessions, Initiative, {"title": "Telemedicin"})
    part = program.create_work_item(db.sessions, Deliverable,
                                    {"title": "Video-ambulatorium",
                                     "initiative_id": initiative.id})
    assert part.initiative_id == initiative.id
    program.delete_work_item(db.sessions, Initiative, initiative.id)
    kept = program.get_work_item(db.sessions, Deliverable, part.id)
    assert (kept.title, kept.initiative_id, kept.version) == ("Video-ambulatorium", None, 1)
    program.delete_work_item(db.sessions, Deliverable, part.id)
    assert program.list_work_items(db.sessions, Deliverable) == []
    assert [a for a, _, _ in _audit(db, "deliverable", part.id)] == ["create", "delete"]


@pytest.mark.parametrize(("fields", "message"), [
    ({"title": "x", "status": "færdig"}, "field 'status': 'færdig' is not one of planlagt"),
    ({"title": "x", "specialty_id": "kirurgi"}, "field 'specialty_id': 'kirurgi' is not one"),
    ({"title": "x", "due_date": "2026-01-01"}, "field 'due_date': must be a date"),
    ({"title": "x", "due_date": datetime(2026, 1, 1)}, "field 'due_date': must be a date"),
    ({"title": "x", "scenario_id": 41}, "field 'scenario_id': no scenario has id 41"),
    ({"title": "x", "version": 3}, "field 'version': is not an initiative field"),
    ({"title": "   "}, "field 'title': must not be empty"),
    ({"title": "x" * 301}, "field 'title': must have at most 300 characters"),
    ({"owner": "Bo"}, "initiative, new: field 'title': must be given"),
])
def test_bad_initiative_fields_are_refused_whole(
    db: Db, fields: dict[str, object], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        program.create_work_item(db.sessions, Initiative, fields, specialties=KNOWN)
    assert program.list_work_items(db.sessions, Initiative) == []
    assert _audit_count(db) == 0


def test_bad_updates_change_nothing(db: Db) -> None:
    made = program.create_work_item(db.sessions, Initiative, {"title": "Plan"})
    for changes in ({"title": None}, {"status": None}, {"initiative_id": 1},
                    {"scenario_id": 99}, {"specialty_id": "kirurgi"}):
        with pytest.raises(InputError):
            program.update_work_item(db.sessions, Initiative, made.id, expected_version=1,
                                     changes=changes, specialties=KNOWN)
    with pytest.raises(NotFound, match="initiative '77' not found"):
        program.update_work_item(db.sessions, Initiative, 77, expected_version=1, changes={})
    row = program.get_work_item(db.sessions, Initiative, made.id)
    assert (row.title, row.status, row.version) == ("Plan", "planlagt", 1)
    assert _audit_count(db) == 1


def test_people_in_roles_grouped_per_specialty(db: Db) -> None:
    def add(specialty: str, role: str, name: str, email: str = "") -> int:
        row = program.add_role(db.sessions, specialty_id=specialty, role=role,
                               person_name=name, email=email, specialties=KNOWN)
        return row.id

    kerneteam_b = add("reumatologi", "kerneteam", "Birgit")
    owner = add("reumatologi", "specialeejer", "Ærling Ø", "aerling@regionsjaelland.dk")
    kerneteam_a = add("reumatologi", "kerneteam", "Anders")
    cardio = add("kardiologi", "konceptejer", "Karen")
    with pytest.raises(AlreadyExists, match="Birgit as kerneteam in reumatologi"):
        add("reumatologi", "kerneteam", "Birgit")
    with pytest.raises(InputError, match="field 'role': 'formand' is not one of specialeejer"):
        add("reumatologi", "formand", "Carl")
    with pytest.raises(InputError, match="field 'specialty_id': 'kirurgi' is not one of"):
        add("kirurgi", "kerneteam", "Carl")
    with pytest.raises(InputError, match="field 'email': 'carl' is not an e-mail address"):
        add("geriatri", "kerneteam", "Carl", "carl")

    listed = program.list_roles(db.sessions, specialty_id="reumatologi")
    assert [r.id for r in listed] == [owner, kerneteam_a, kerneteam_b]
    overview = program.program_overview(db.sessions, ["reumatologi", "geriatri"])
    assert list(overview) == ["reumatologi", "geriatri"]  # kardiologi was not asked for
    assert list(overview["geriatri"]) == ["specialeejer", "implementeringsansvarlig",
                                          "konceptejer", "kerneteam"]
    assert all(people == [] for people in overview["geriatri"].values())
    reuma = {role: [p.person_name for p in people]
             for role, people in overview["reumatologi"].items()}
    assert reuma == {"specialeejer": ["Ærling Ø"], "implementeringsansvarlig": [],
                     "konceptejer": [], "kerneteam": ["Anders", "Birgit"]}

    program.remove_role(db.sessions, role_id=cardio)
    with pytest.raises(NotFound, match=f"specialty_role '{cardio}' not found"):
        program.remove_role(db.sessions, role_id=cardio)
    assert program.list_roles(db.sessions, specialty_id="kardiologi") == []
    trail = _audit(db, "specialty_role", cardio)
    assert [(a, b and b["person_name"], c and c["role"]) for a, b, c in trail] == [
        ("create", None, "konceptejer"), ("delete", "Karen", None)]


def test_meetings_with_decisions(db: Db) -> None:
    first = program.create_meeting(db.sessions, date=date(2025, 3, 4), title="Styregruppe 1")
    second = program.create_meeting(db.sessions, date=date(2025, 9, 1), title="Styregruppe 2")
    assert [m.id for m in program.list_meetings(db.sessions)] == [second.id, first.id]
    taken = program.add_decision(db.sessions, meeting_id=first.id, text="Åbn klinik i Nykøbing",
                                 owner="Ida", due_date=date(2025, 12, 1))
    other = program.add_decision(db.sessions, meeting_id=first.id, text="Evaluer PRO")
    with pytest.raises(NotFound, match="meeting '999' not found"):
        program.add_decision(db.sessions, meeting_id=999, text="x")
    with pytest.raises(InputError, match="field 'text': must not be empty"):
        program.add_decision(db.sessions, meeting_id=first.id, text="")
    with pytest.raises(InputError, match="field 'date': must be a date"):
        program.create_meeting(db.sessions, date="i morgen", title="x")  # type: ignore[arg-type]

    updated = program.update_decision(db.sessions, decision_id=taken.id,
                                      changes={"owner": "Jens", "due_date": None})
    assert (updated.owner, updated.due_date, updated.text) == ("Jens", None,
                                                               "Åbn klinik i Nykøbing")
    minutes = program.get_meeting(db.sessions, meeting_id=first.id)
    assert minutes.meeting.title == "Styregruppe 1"
    assert [(d.id, d.owner) for d in minutes.decisions] == [(taken.id, "Jens"), (other.id, "")]
    program.delete_decision(db.sessions, decision_id=other.id)
    with pytest.raises(NotFound, match=f"decision '{other.id}' not found"):
        program.update_decision(db.sessions, decision_id=other.id, changes={"owner": "x"})

    program.delete_meeting(db.sessions, meeting_id=first.id)
    with pytest.raises(NotFound):
        program.get_meeting(db.sessions, meeting_id=first.id)
    with pytest.raises(NotFound):  # the database removed the meeting's decisions with it
        program.delete_decision(db.sessions, decision_id=taken.id)
    assert program.get_meeting(db.sessions, meeting_id=second.id).decisions == []
    (_, nothing, made), (_, gone, after) = _audit(db, "meeting", first.id)
    assert (nothing, made["date"], after) == (None, "2025-03-04", None)
    assert gone["title"] == "Styregruppe 1"
    assert [d["text"] for d in gone["decisions"]] == ["Åbn klinik i Nykøbing"]
    decision_trail = _audit(db, "decision", taken.id)
    assert [a for a, _, _ in decision_trail] == ["create", "update"]
    assert (decision_trail[1][1]["owner"], decision_trail[1][2]["owner"]) == ("Ida", "Jens")
