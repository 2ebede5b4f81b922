"""The Program page: roles, initiatives, deliverables and meetings from the store; the program
role's forms (role, deliverable with a scenario link, meeting and decision); refusals for
viewers, planners and bad CSRF tokens with nothing changed; a stale edit is a 409 in Danish
that keeps what was typed; English labels."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store import organisation, program
from bassplan.store.audit import list_audit
from bassplan.store.models import Deliverable, Initiative
from bassplan.store.repository import get_scenario
from tests.support.api import TestClient
from tests.support.web import page_login


def _sessions(web: TestClient) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = web.app.state.sessions  # type: ignore[attr-defined]
    return sessions


def _counts(web: TestClient) -> tuple[int, ...]:
    """How many roles, initiatives, deliverables, meetings, decisions and audit entries."""
    s = _sessions(web)
    meetings = program.list_meetings(s)
    decisions = sum(len(program.get_meeting(s, meeting_id=m.id).decisions) for m in meetings)
    return (len(program.list_roles(s)), len(program.list_work_items(s, Initiative)),
            len(program.list_work_items(s, Deliverable)), len(meetings), decisions,
            len(list_audit(s, limit=10_000)))


def _row(html: str, kind: str, item_id: int) -> str:
    """The table row of one work item."""
    found = re.search(rf'<tr id="{kind}-{item_id}".*?</tr>', html, re.S)
    assert found, f"no row for {kind} {item_id}"
    return found.group(0)


def _form(html: str, form_id: str) -> str:
    """The HTML of the form with this id."""
    found = re.search(rf'<form [^>]*id="{form_id}".*?</form>', html, re.S)
    assert found, f"no form {form_id}"
    return found.group(0)


def test_page_shows_roles_work_items_and_meetings_from_the_store(web: TestClient) -> None:
    s = _sessions(web)
    baseline = get_scenario(s, name="Baseline 2026")
    program.add_role(s, specialty_id="kardiologi", role="specialeejer", person_name="Anna Holm",
                     email="anna@example.dk")
    program.add_role(s, specialty_id="geriatri", role="kerneteam", person_name="Bo Berg")
    initiative = program.create_work_item(s, Initiative, {
        "title": "Styrkepositioner i kardiologi", "specialty_id": "kardiologi",
        "scenario_id": baseline.id})
    late = program.create_work_item(s, Deliverable, {
        "title": "Vagtplan Nykøbing", "specialty_id": "kardiologi", "status": "i_gang",
        "due_date": date(2020, 1, 31), "scenario_id": baseline.id,
        "initiative_id": initiative.id, "owner": "Cille"})
    done = program.create_work_item(s, Deliverable, {
        "title": "PRO-skema", "specialty_id": "geriatri", "status": "afsluttet",
        "due_date": date(2020, 1, 31)})
    future = program.create_work_item(s, Deliverable, {
        "title": "Udgående klinik", "specialty_id": "geriatri",
        "due_date": date.today() + timedelta(days=400)})
    older = program.create_meeting(s, date=date(2026, 1, 12), title="Styregruppe januar")
    newer = program.create_meeting(s, date=date(2026, 3, 9), title="Styregruppe marts")
    program.add_decision(s, meeting_id=older.id, text="Kardiologi samles i Roskilde",
                         owner="Anna Holm", due_date=date(2026, 6, 1))

    page_login(web, "viewer")
    page = web.get("/program")
    assert page.status_code == 200
    html = page.text
    cardio = re.search(r'id="speciale-kardiologi".*?</article>', html, re.S)
    assert cardio and "Anna Holm" in cardio.group(0) and "Bo Berg" not in cardio.group(0)
    assert ('data-role="specialeejer">\n<span class="person"><span class="name">Anna Holm'
            in cardio.group(0))
    assert html.count('class="card specialty-card"') == 7
    assert "Gastroenterologi og hepatologi" in html  # the region's Danish names

    row = _row(html, "deliverable", late.id)
    assert "<td>Vagtplan Nykøbing</td>" in row and "<td>Kardiologi</td>" in row
    assert '<span class="status">i gang</span>' in row and "31.01.2020" in row
    assert '<a href="/scenarier/Baseline%202026">Baseline 2026</a>' in row
    assert "<td>Styrkepositioner i kardiologi</td>" in row  # its initiative
    overdue = re.findall(r'<tr id="deliverable-(\d+)" class="[^"]*\boverdue\b', html)
    assert overdue == [str(late.id)]  # not the finished one, not the future one
    assert "afsluttet" in _row(html, "deliverable", done.id)
    assert "planlagt" in _row(html, "deliverable", future.id)
    assert "Baseline 2026" in _row(html, "initiative", initiative.id)

    titles = re.findall(r'<article class="meeting" id="moede-(\d+)"', html)
    assert titles == [str(newer.id), str(older.id)]  # newest first
    assert "Kardiologi samles i Roskilde" in html and "01.06.2026" in html
    for form_id in ("deliverable-form", "meeting-form", "role-form-kardiologi",
                    f"deliverable-edit-{late.id}"):
        assert f'id="{form_id}"' not in html  # a viewer only reads

    only = web.get("/program?speciale=geriatri").text
    assert re.findall(r'<tr id="deliverable-(\d+)"', only) == [str(done.id), str(future.id)]
    assert only.count('class="card specialty-card"') == 1 and "Bo Berg" in only
    assert f'id="initiative-{initiative.id}"' not in only


def test_program_user_adds_a_role_a_deliverable_a_meeting_and_a_decision(
    web: TestClient,
) -> None:
    s = _sessions(web)
    csrf = page_login(web, "program")
    scenario = get_scenario(s, name="Kardiologi med to styrkepositioner")
    page = web.get("/program").text
    assert 'id="deliverable-form"' in page and 'id="role-form-nefrologi"' in page

    added = web.post("/program/roller", data={
        "csrf_token": csrf, "specialty_id": "nefrologi", "role": "implementeringsansvarlig",
        "person_name": "Dorte Dahl", "email": "dd@example.dk", "speciale": "nefrologi"})
    assert added.status_code == 303
    assert added.headers["location"] == "/program?ok=prog_role_added&speciale=nefrologi" \
        "#speciale-nefrologi"
    [role] = program.list_roles(s)
    assert (role.specialty_id, role.role, role.person_name) == (
        "nefrologi", "implementeringsansvarlig", "Dorte Dahl")
    shown = web.get(added.headers["location"]).text
    assert "Personen er tilføjet." in shown and "Dorte Dahl" in shown

    made = web.post("/program/leverancer", data={
        "csrf_token": csrf, "title": "Dialyse i eget hjem", "specialty_id": "nefrologi",
        "owner": "Dorte Dahl", "status": "planlagt", "due_date": "2027-04-30",
        "scenario_id": str(scenario.id), "initiative_id": ""})
    assert made.status_code == 303
    [item] = program.list_work_items(s, Deliverable)
    assert (item.title, item.due_date, item.scenario_id, item.initiative_id, item.version) == (
        "Dialyse i eget hjem", date(2027, 4, 30), scenario.id, None, 1)
    row = _row(web.get("/program").text, "deliverable", item.id)
    assert '<a href="/scenarier/Kardiologi%20med%20to%20styrkepositioner">' in row

    meeting = web.post("/program/moeder", data={"csrf_token": csrf, "date": "2026-05-04",
                                                "title": "Styregruppe maj"})
    assert meeting.status_code == 303
    [held] = program.list_meetings(s)
    assert (held.date, held.title) == (date(2026, 5, 4), "Styregruppe maj")
    decided = web.post(f"/program/moeder/{held.id}/beslutninger", data={
        "csrf_token": csrf, "text": "Hjemmedialyse udbredes", "owner": "", "due_date": ""})
    assert decided.status_code == 303
    minutes = program.get_meeting(s, meeting_id=held.id)
    assert [(d.text, d.owner, d.due_date) for d in minutes.decisions] == [
        ("Hjemmedialyse udbredes", "", None)]

    removed = web.post(f"/program/roller/{role.id}/fjern", data={"csrf_token": csrf})
    assert removed.status_code == 303 and program.list_roles(s) == []
    actions = [(e.entity, e.action) for e in list_audit(s, limit=5)]
    assert actions == [("specialty_role", "delete"), ("decision", "create"),
                       ("meeting", "create"), ("deliverable", "create"),
                       ("specialty_role", "create")]


def _posts(web: TestClient) -> list[tuple[str, dict[str, str]]]:
    """Every program form with valid values, against records that exist."""
    s = _sessions(web)
    role = program.add_role(s, specialty_id="kardiologi", role="kerneteam", person_name="Eva")
    initiative = program.create_work_item(s, Initiative, {"title": "I"})
    item = program.create_work_item(s, Deliverable, {"title": "D"})
    meeting = program.create_meeting(s, date=date(2026, 2, 2), title="M")
    decision = program.add_decision(s, meeting_id=meeting.id, text="Ja")
    hr = next(b for b in organisation.list_bodies(s) if b.name == "HR")
    work = {"title": "Ny", "owner": "", "status": "i_gang", "due_date": "", "specialty_id": "",
            "scenario_id": ""}
    return [
        ("/program/roller", {"specialty_id": "kardiologi", "role": "konceptejer",
                             "person_name": "Finn"}),
        (f"/program/roller/{role.id}/fjern", {}),
        ("/program/initiativer", work),
        (f"/program/initiativer/{initiative.id}", {**work, "expected_version": "1"}),
        ("/program/leverancer", work),
        (f"/program/leverancer/{item.id}", {**work, "expected_version": "1"}),
        ("/program/moeder", {"date": "2026-09-01", "title": "Efterår"}),
        (f"/program/moeder/{meeting.id}/beslutninger", {"text": "Ja"}),
        (f"/program/moeder/{meeting.id}", {"date": "2026-02-02", "title": "M2"}),
        (f"/program/beslutninger/{decision.id}", {"text": "Nej", "status": "dropped"}),
        ("/program/organisation", {"name": "Jura", "kind": "afdeling", "position": "0"}),
        (f"/program/organisation/{hr.id}", {"name": "HR2", "kind": "afdeling",
                                             "position": "0"}),
        (f"/program/organisation/{hr.id}/fjern", {}),
        ("/program/roller", {"role": "konceptejer", "person_name": "Hanne",
                             "body_id": str(hr.id)}),
    ]


@pytest.mark.parametrize("username", ["viewer", "planner"])
def test_viewer_and_planner_may_not_change_the_program(web: TestClient, username: str) -> None:
    posts = _posts(web)
    before = _counts(web)
    csrf = page_login(web, username)
    for path, data in posts:
        refused = web.post(path, data={"csrf_token": csrf, **data})
        assert refused.status_code == 403, path
        assert "Din rolle må ikke gøre dette." in refused.text
    assert _counts(web) == before
    assert [i.title for i in program.list_work_items(_sessions(web), Deliverable)] == ["D"]


def test_missing_or_wrong_csrf_token_is_refused(web: TestClient) -> None:
    posts = _posts(web)
    before = _counts(web)
    page_login(web, "program")
    for path, data in posts:
        assert web.post(path, data=data).status_code == 403, path
        assert web.post(path, data={"csrf_token": "forfalsket", **data}).status_code == 403
    assert _counts(web) == before


def test_stale_edit_is_409_in_danish_and_keeps_what_was_typed(web: TestClient) -> None:
    s = _sessions(web)
    item = program.create_work_item(s, Deliverable, {"title": "Fælles visitation",
                                                     "specialty_id": "lungemedicin"})
    csrf = page_login(web, "program")
    form = _form(web.get("/program").text, f"deliverable-edit-{item.id}")
    assert 'name="expected_version" value="1"' in form
    # someone else saves first
    program.update_work_item(s, Deliverable, item.id, expected_version=1,
                             changes={"owner": "Gitte"})
    mine = {"csrf_token": csrf, "expected_version": "1", "title": "Fælles visitation v2",
            "owner": "Hans", "status": "forsinket", "due_date": "2026-12-01",
            "specialty_id": "lungemedicin", "scenario_id": "", "initiative_id": ""}
    stale = web.post(f"/program/leverancer/{item.id}", data=mine)
    assert stale.status_code == 409
    form = _form(stale.text, f"deliverable-edit-{item.id}")
    assert ('<p class="alert" role="alert">Leverancen er ændret af en anden (version 2, du '
            "havde 1). Genindlæs og ret igen.</p>") in form
    assert 'value="Fælles visitation v2"' in form and 'value="Hans"' in form
    assert 'value="2026-12-01"' in form and '<option value="forsinket" selected>' in form
    assert '<details class="edit" open>' in stale.text
    kept = program.get_work_item(s, Deliverable, item.id)
    assert (kept.title, kept.owner, kept.version) == ("Fælles visitation", "Gitte", 2)

    fresh = web.post(f"/program/leverancer/{item.id}", data={**mine, "expected_version": "2"})
    assert fresh.status_code == 303
    saved = program.get_work_item(s, Deliverable, item.id)
    assert (saved.title, saved.owner, saved.status, saved.version) == (
        "Fælles visitation v2", "Hans", "forsinket", 3)


def test_stale_initiative_edit_names_the_initiative(web: TestClient) -> None:
    s = _sessions(web)
    item = program.create_work_item(s, Initiative, {"title": "Tværgående vagt"})
    program.update_work_item(s, Initiative, item.id, expected_version=1,
                             changes={"status": "i_gang"})
    csrf = page_login(web, "program")
    stale = web.post(f"/program/initiativer/{item.id}", data={
        "csrf_token": csrf, "expected_version": "1", "title": "Tværgående vagt",
        "status": "afsluttet"})
    assert stale.status_code == 409
    assert "Initiativet er ændret af en anden (version 2, du havde 1)." in stale.text
    assert program.get_work_item(s, Initiative, item.id).status == "i_gang"


def test_bad_input_is_422_naming_the_field_and_a_held_role_409(web: TestClient) -> None:
    s = _sessions(web)
    csrf = page_login(web, "program")
    before = _counts(web)
    bad_date = web.post("/program/leverancer", data={
        "csrf_token": csrf, "title": "Skæv dato", "status": "planlagt",
        "due_date": "2026-02-30"})
    assert bad_date.status_code == 422
    form = _form(bad_date.text, "deliverable-form")
    assert "Kan ikke gemme: deliverable, new: field &#39;due_date&#39;" in form
    assert 'value="Skæv dato"' in form
    no_title = web.post("/program/moeder", data={"csrf_token": csrf, "date": "2026-01-01",
                                                 "title": "  "})
    assert no_title.status_code == 422 and "field &#39;title&#39;" in no_title.text
    huge = web.post(f"/program/leverancer/{10**20}", data={
        "csrf_token": csrf, "expected_version": "1", "title": "x", "status": "planlagt"})
    assert huge.status_code == 422  # an absurd id is refused, never a database error
    gone = web.post("/program/leverancer/999", data={
        "csrf_token": csrf, "expected_version": "1", "title": "x", "status": "planlagt"})
    assert gone.status_code == 404 and "Findes ikke." in gone.text
    assert _counts(web) == before

    program.add_role(s, specialty_id="reumatologi", role="specialeejer", person_name="Ida")
    again = web.post("/program/roller", data={"csrf_token": csrf, "specialty_id": "reumatologi",
                                              "role": "specialeejer", "person_name": "Ida"})
    assert again.status_code == 409
    assert "Ida har allerede denne rolle i specialet." in _form(again.text,
                                                               "role-form-reumatologi")
    assert len(program.list_roles(s)) == 1


def test_english_labels(web: TestClient) -> None:
    program.create_work_item(_sessions(web), Deliverable, {"title": "X", "status": "i_gang"})
    page_login(web, "program")
    web.get("/sprog/en?next=/program")
    page = web.get("/program").text
    assert "Deliverables" in page and "Meetings and decisions" in page
    assert '<span class="status">in progress</span>' in page and "Specialty owner" in page
    assert "Leverancer" not in page

