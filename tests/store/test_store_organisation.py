"""The program organisation in the store (bodies, who reports to whom, the chart's tree),
roles tied to a site or cross-cutting, decisions with body, specialty, status and
scenario, deliverables linked to decisions, and which decisions a meeting pack lists."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

import pytest

from bassplan.domain.errors import InputError
from bassplan.store import organisation, program
from bassplan.store.audit import list_audit
from bassplan.store.errors import AlreadyExists, NotFound
from bassplan.store.models import Deliverable
from bassplan.store.repository import create_scenario

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)

KNOWN = ("kardiologi", "geriatri")
SITES = ("suh_koege", "holbaek")


def _bodies(db: Db) -> dict[str, int]:
    return {b.name: b.id for b in organisation.list_bodies(db.sessions)}


def _names(nodes: list[organisation.OrgNode]) -> list[object]:
    """The tree as nested [name, [children…]] lists."""
    return [[n.body.name, _names(n.children)] for n in nodes]


def test_the_seeded_organisation_is_one_tree(db: Db) -> None:
    tree = organisation.organisation_tree(organisation.list_bodies(db.sessions))
    assert _names(tree) == [["Regionsrådets sygehusudvalg", [["Koncerndirektion", [
        ["Programstyregruppe", [["Programledelse", [
            ["Implementeringsstyregruppe", [["Leveranceorganisation", []]]],
            ["Programsekretariat", []], ["HR", []], ["Økonomi", []],
            ["Digitalisering", []]]]]]]]]]]
    ids = _bodies(db)
    assert organisation.steering_group_ids(db.sessions) == [ids["Implementeringsstyregruppe"]]


def test_bodies_are_added_moved_and_removed_with_audit_and_no_loops(db: Db) -> None:
    ids = _bodies(db)
    it = organisation.create_body(db.sessions, {
        "name": "IT-drift", "kind": "afdeling", "parent_id": ids["Digitalisering"]},
        actor_id=None)
    assert (it.position, it.note) == (0, "")
    with pytest.raises(AlreadyExists):
        organisation.create_body(db.sessions, {"name": "HR", "kind": "afdeling"})
    with pytest.raises(InputError, match="'kind': 'klub' is not one of udvalg"):
        organisation.create_body(db.sessions, {"name": "X", "kind": "klub"})
    with pytest.raises(InputError, match="'parent_id': no program body has id 9999"):
        organisation.create_body(db.sessions, {"name": "X", "kind": "afdeling",
                                               "parent_id": 9999})
    with pytest.raises(InputError, match="'position': must be between 0 and 1000"):
        organisation.create_body(db.sessions, {"name": "X", "kind": "afdeling",
                                               "position": 1001})
    # Programledelse may not report to a body under it (Digitalisering → IT-drift)
    with pytest.raises(InputError, match="would make the body report to itself"):
        organisation.update_body(db.sessions, ids["Programledelse"], {"parent_id": it.id})
    with pytest.raises(InputError, match="report to itself"):
        organisation.update_body(db.sessions, it.id, {"parent_id": it.id})
    moved = organisation.update_body(db.sessions, it.id, {"parent_id": ids["Programledelse"],
                                                          "position": 9})
    assert moved.parent_id == ids["Programledelse"]
    # removing Digitalisering: nothing reported to it now; removing Programledelse: its
    # children report to Programstyregruppe
    organisation.delete_body(db.sessions, ids["Programledelse"])
    parents = {b.name: b.parent_id for b in organisation.list_bodies(db.sessions)}
    under = [n for n, p in parents.items() if p == ids["Programstyregruppe"]]
    assert sorted(under) == sorted(["Implementeringsstyregruppe", "Programsekretariat", "HR",
                                    "Økonomi", "Digitalisering", "IT-drift"])
    with pytest.raises(NotFound):
        organisation.get_body(db.sessions, ids["Programledelse"])
    trail = [(e.action, e.entity) for e in list_audit(db.sessions, entity="program_body")]
    assert trail == [("delete", "program_body"), ("update", "program_body"),
                     ("create", "program_body")]


def test_roles_at_a_site_and_cross_cutting_konceptejere(db: Db) -> None:
    ids = _bodies(db)

    def add(**fields: Any) -> int:
        return program.add_role(db.sessions, specialties=KNOWN, sites=SITES, **fields).id

    lead = add(specialty_id="kardiologi", role="implementeringsansvarlig",
               person_name="Mette Hansen", site_id="suh_koege")
    # the same person may lead at a second site, not twice at the same
    add(specialty_id="kardiologi", role="implementeringsansvarlig", person_name="Mette Hansen",
        site_id="holbaek")
    with pytest.raises(AlreadyExists):
        add(specialty_id="kardiologi", role="implementeringsansvarlig",
            person_name="Mette Hansen", site_id="suh_koege")
    add(specialty_id="geriatri", role="kerneteam", person_name="Bo", profession="Sygeplejerske",
        site_id="holbaek")
    hr = add(role="konceptejer", person_name="Hanne", body_id=ids["HR"])
    with pytest.raises(InputError, match="'specialty_id': must be given for a specialeejer"):
        add(role="specialeejer", person_name="Ib")
    with pytest.raises(InputError, match="'site_id': is only for implementeringsansvarlig"):
        add(specialty_id="geriatri", role="specialeejer", person_name="Ib", site_id="holbaek")
    with pytest.raises(InputError, match="'site_id': 'nowhere' is not one of suh_koege"):
        add(specialty_id="geriatri", role="kerneteam", person_name="Ib", site_id="nowhere")
    with pytest.raises(InputError, match="'body_id': no program body has id 9999"):
        add(role="konceptejer", person_name="Ib", body_id=9999)
    [concept] = program.cross_cutting_roles(db.sessions)
    assert (concept.id, concept.specialty_id, concept.body_id) == (hr, None, ids["HR"])
    overview = program.program_overview(db.sessions, ["kardiologi"])
    leads = overview["kardiologi"]["implementeringsansvarlig"]
    assert [(r.id, r.site_id) for r in leads] == [(lead, "suh_koege"), (lead + 1, "holbaek")]
    [entry] = list_audit(db.sessions, entity="specialty_role", entity_id=hr)
    assert json.loads(entry.after or "{}")["body_id"] == ids["HR"]


def test_decisions_with_body_status_scenario_and_linked_deliverables(db: Db) -> None:
    ids = _bodies(db)
    steering = ids["Implementeringsstyregruppe"]
    scenario = create_scenario(db.sessions, name="samlet", yaml_text="name: s\nyear: 2030\n")
    meeting = program.create_meeting(db.sessions, date=date(2026, 3, 9), title="Marts",
                                     body_id=steering, agenda="1. Kardiologi")
    decision = program.add_decision(db.sessions, meeting_id=meeting.id, text="Samle",
                                    specialty_id="kardiologi", scenario_id=scenario.id,
                                    specialties=KNOWN)
    assert (decision.body_id, decision.status) == (steering, "decided")  # the meeting's body
    other = program.add_decision(db.sessions, meeting_id=meeting.id, text="Budget",
                                 body_id=ids["Økonomi"], status="proposed")
    assert (other.body_id, other.specialty_id) == (ids["Økonomi"], None)
    with pytest.raises(InputError, match="'status': 'maybe' is not one of proposed"):
        program.add_decision(db.sessions, meeting_id=meeting.id, text="X", status="maybe")
    with pytest.raises(InputError, match="'specialty_id': 'kirurgi' is not one of"):
        program.add_decision(db.sessions, meeting_id=meeting.id, text="X",
                             specialty_id="kirurgi", specialties=KNOWN)
    done = program.update_decision(db.sessions, decision_id=decision.id,
                                   changes={"status": "implemented"})
    assert done.status == "implemented"
    assert [d.id for d in program.list_decisions(db.sessions, status="proposed")] == [other.id]
    assert [d.id for d in program.list_decisions(db.sessions, body_id=steering)] == [
        decision.id]
    item = program.create_work_item(db.sessions, Deliverable, {
        "title": "Notat", "decision_id": decision.id})
    with pytest.raises(InputError, match="'decision_id': no decision has id 9999"):
        program.create_work_item(db.sessions, Deliverable, {"title": "N", "decision_id": 9999})
    program.delete_decision(db.sessions, decision_id=decision.id)
    assert program.get_work_item(db.sessions, Deliverable, item.id).decision_id is None
    edited = program.update_meeting(db.sessions, meeting_id=meeting.id,
                                    changes={"minutes": "Godkendt", "body_id": None})
    assert (edited.minutes, edited.agenda, edited.body_id) == ("Godkendt", "1. Kardiologi",
                                                               None)


def test_decisions_since_the_steering_groups_last_meeting(db: Db) -> None:
    ids = _bodies(db)
    steering = [ids["Implementeringsstyregruppe"]]
    nothing = program.decisions_since_last_meeting(db.sessions, steering, date(2026, 5, 1))
    assert (nothing.last, nothing.decisions) == (None, [])

    def meet(day: date, body: str, *texts: str) -> None:
        m = program.create_meeting(db.sessions, date=day, title=body, body_id=ids[body])
        for text in texts:
            program.add_decision(db.sessions, meeting_id=m.id, text=text)

    meet(date(2025, 12, 1), "Programstyregruppe", "december")
    meet(date(2026, 1, 12), "Implementeringsstyregruppe", "januar")
    # before the steering group has met: every decision taken so far is listed
    early = program.decisions_since_last_meeting(db.sessions, steering, date(2026, 1, 1))
    assert early.last is None and [d.text for _, d in early.decisions] == ["december"]
    meet(date(2026, 3, 9), "Implementeringsstyregruppe", "marts a", "marts b")
    meet(date(2026, 4, 2), "Programstyregruppe", "april")
    meet(date(2026, 6, 1), "Implementeringsstyregruppe", "juni (kommende)")
    since = program.decisions_since_last_meeting(db.sessions, steering, date(2026, 5, 1))
    assert since.last is not None and since.last.date == date(2026, 3, 9)
    # from the last meeting held (9 March) to today: its decisions and the
    # programstyregruppe's in April; not December's or January's, nor the planned June's
    assert [d.text for _, d in since.decisions] == ["marts a", "marts b", "april"]
