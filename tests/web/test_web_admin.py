"""The admin pages: the audit trail (who, when in Copenhagen time, what, the changed fields
before and after; filters; paging) and user administration (create, change role,
deactivate; audited; the last admin stays), refused for everyone but admins."""

from __future__ import annotations

import html as htmllib
import json
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store import program
from bassplan.store.accounts import authenticate, get_user
from bassplan.store.audit import list_audit
from bassplan.store.models import Deliverable
from bassplan.web.localtime import format_time
from tests.support.api import TestClient
from tests.support.web import form_token, page_login


def _sessions(web: TestClient) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = web.app.state.sessions  # type: ignore[attr-defined]
    return sessions


def _entry_row(html: str, entry_id: int) -> str:
    found = re.search(rf'<tr id="audit-{entry_id}".*?</table>\s*</details>\s*</td>\s*</tr>',
                      html, re.S)
    assert found, f"no row for audit entry {entry_id}"
    return found.group(0)


def _diff(row: str) -> dict[str, tuple[str, str]]:
    """field → (before, after) of an audit row's diff table."""
    cells = re.findall(r'<tr data-field="(\w+)"><th scope="row">[^<]+</th>'
                       r'<td class="before">(.*?)</td><td class="after">(.*?)</td>', row, re.S)
    return {name: (htmllib.unescape(b), htmllib.unescape(a)) for name, b, a in cells}


def _as(web: TestClient, username: str) -> str:
    web.cookies.clear()
    return page_login(web, username)


def test_copenhagen_time_in_danish_and_english() -> None:
    winter = datetime(2026, 1, 15, 10, 0, 5, tzinfo=UTC)  # CET = UTC+1
    summer = datetime(2026, 7, 1, 22, 30, 0, tzinfo=UTC)  # CEST = UTC+2, next day locally
    assert format_time(winter, "da") == "15.01.2026 11:00:05"
    assert format_time(summer, "da") == "02.07.2026 00:30:00"
    assert format_time(summer, "en") == "2026-07-02 00:30:00"


def test_audit_trail_shows_page_changes_with_before_and_after(web: TestClient) -> None:
    csrf = _as(web, "program")
    made = web.post("/program/leverancer", data={
        "csrf_token": csrf, "title": "Telemedicinsk opfølgning", "status": "planlagt",
        "specialty_id": "lungemedicin", "due_date": "2026-10-01"})
    assert made.status_code == 303
    [item] = program.list_work_items(_sessions(web), Deliverable)
    edited = web.post(f"/program/leverancer/{item.id}", data={
        "csrf_token": csrf, "expected_version": "1", "title": "Telemedicinsk opfølgning",
        "status": "i_gang", "specialty_id": "lungemedicin", "due_date": "2026-10-01",
        "owner": "Jens"})
    assert edited.status_code == 303
    web.post("/program/moeder", data={"csrf_token": csrf, "date": "2026-02-01", "title": "S"})

    for role in ("viewer", "planner", "program"):
        _as(web, role)
        refused = web.get("/revision")
        assert refused.status_code == 403 and "Din rolle må ikke gøre dette." in refused.text
        assert "Telemedicinsk" not in refused.text

    _as(web, "admin")
    page = web.get("/revision")
    assert page.status_code == 200
    entries = list_audit(_sessions(web), limit=50)
    shown = [int(i) for i in re.findall(r'<tr id="audit-(\d+)"', page.text)]
    assert shown == [e.id for e in entries]  # newest first, every entry on one page
    meeting, update, create = entries[0], entries[1], entries[2]
    assert (meeting.entity, update.action, create.action) == ("meeting", "update", "create")

    row = _entry_row(page.text, update.id)
    assert "<td>program</td>" in row and "<td>ændret</td>" in row and "Leverance" in row
    assert _diff(row) == {"owner": ("", "Jens"), "status": ("planlagt", "i_gang"),
                          "version": ("1", "2")}  # only the changed fields
    summary = re.search(r'<span class="audit-summary">(.*?)</span>', row)
    assert summary and htmllib.unescape(summary.group(1)) == (
        "ansvarlig: – → Jens; status: planlagt → i_gang; version: 1 → 2")
    assert '<details class="audit-all"><summary>Vis alt</summary>' in row  # the rest, closed
    when = re.search(r"<time datetime=[^>]+>([^<]+)</time>", row)
    assert when and when.group(1) == format_time(update.at, "da")
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4} \d\d:\d\d:\d\d", when.group(1))
    created = _diff(_entry_row(page.text, create.id))
    assert created["title"] == ("", "Telemedicinsk opfølgning")
    assert created["due_date"] == ("", "2026-10-01") and created["initiative_id"] == ("", "–")
    fields = len(created)
    assert f"Telemedicinsk opfølgning · {fields} felter" in _entry_row(page.text, create.id)
    assert "<th scope=\"row\">titel</th>" in _entry_row(page.text, create.id)  # a Danish label

    only = web.get("/revision?entitet=deliverable").text
    assert [int(i) for i in re.findall(r'<tr id="audit-(\d+)"', only)] == [update.id, create.id]
    by_admin = web.get("/revision?bruger=admin").text
    assert '<tr id="audit-' not in by_admin and "Ingen ændringer." in by_admin
    by_program = web.get("/revision?bruger=program").text
    assert len(re.findall(r'<tr id="audit-', by_program)) == 3
    assert web.get("/revision?bruger=findes-ikke").status_code == 404
    assert web.get("/revision?side=0").status_code == 422
    assert web.get(f"/revision?side={10**20}").status_code == 422  # never a database error


def test_audit_trail_pages_by_fifty(web: TestClient) -> None:
    s = _sessions(web)
    meeting = program.create_meeting(s, date=date(2026, 4, 1), title="Mange beslutninger")
    for n in range(60):
        program.add_decision(s, meeting_id=meeting.id, text=f"Beslutning {n}")
    total = len(list_audit(s, limit=10_000))  # seeded users and scenarios too
    _as(web, "admin")
    first = web.get("/revision").text
    ids = [int(i) for i in re.findall(r'<tr id="audit-(\d+)"', first)]
    assert len(ids) == 50 and ids == sorted(ids, reverse=True)
    assert 'href="/revision?side=2"' in first and 'id="audit-newer"' not in first
    second = web.get("/revision?side=2").text
    rest = [int(i) for i in re.findall(r'<tr id="audit-(\d+)"', second)]
    assert len(rest) == total - 50 and max(rest) < min(ids)
    assert 'href="/revision?side=1"' in second and 'id="audit-older"' not in second
    filtered = web.get("/revision?entitet=decision&side=2").text
    assert len(re.findall(r'<tr id="audit-', filtered)) == 10
    assert 'href="/revision?entitet=decision&amp;side=1"' in filtered


def test_admin_creates_a_user_changes_the_role_and_deactivates(web: TestClient) -> None:
    s = _sessions(web)
    csrf = _as(web, "admin")
    page = web.get("/brugere")
    assert page.status_code == 200 and 'id="user-form"' in page.text
    assert page.text.count('<tr id="user-') == 4
    made = web.post("/brugere", data={"csrf_token": csrf, "username": "karen",
                                      "display_name": "Karen Kjær", "password": "lang-kode-42",
                                      "role": "planner"})
    assert made.status_code == 303 and made.headers["location"] == "/brugere?ok=users_created"
    karen = get_user(s, username="karen")
    assert (karen.display_name, karen.role, karen.active) == ("Karen Kjær", "planner", True)
    assert authenticate(s, username="karen", password="lang-kode-42") is not None
    assert "Brugeren er oprettet." in web.get(made.headers["location"]).text

    role = web.post("/brugere/karen/rolle", data={"csrf_token": csrf, "role": "program"})
    assert role.status_code == 303
    assert get_user(s, username="karen").role == "program"
    off = web.post("/brugere/karen/aktiv", data={"csrf_token": csrf, "active": "0"})
    assert off.status_code == 303
    assert not get_user(s, username="karen").active
    assert authenticate(s, username="karen", password="lang-kode-42") is None
    row = re.search(r'<tr id="user-karen" class="inactive">.*?</tr>',
                    web.get("/brugere").text, re.S)
    assert row and "deaktiveret" in row.group(0) and "Aktivér" in row.group(0)

    entries = list_audit(s, entity="user", entity_id=karen.id)
    admin_id = get_user(s, username="admin").id
    assert [e.action for e in entries] == ["update", "update", "create"]
    assert {e.user_id for e in entries} == {admin_id}
    before, after = (json.loads(entries[0].before or ""), json.loads(entries[0].after or ""))
    assert (before["active"], after["active"]) == (True, False)
    assert all("password" not in (e.after or "") for e in entries)
    trail = web.get("/revision?entitet=user&bruger=admin").text
    assert _diff(_entry_row(trail, entries[1].id)) == {"role": ("planner", "program")}
    assert _diff(_entry_row(trail, entries[0].id)) == {"active": ("ja", "nej")}


def test_user_form_refusals_keep_the_typed_values_but_never_the_password(
    web: TestClient,
) -> None:
    s = _sessions(web)
    csrf = _as(web, "admin")
    taken = web.post("/brugere", data={"csrf_token": csrf, "username": "viewer",
                                       "display_name": "Ny", "password": "hemmelig-og-lang-99",
                                       "role": "viewer"})
    assert taken.status_code == 409 and "Brugernavnet viewer er optaget." in taken.text
    short = web.post("/brugere", data={"csrf_token": csrf, "username": "lis",
                                       "display_name": "Lis Lund", "password": "kort",
                                       "role": "viewer"})
    assert short.status_code == 422
    assert "Adgangskoden er for kort: den skal have mindst 12 tegn." in short.text
    assert 'value="Lis Lund"' in short.text
    password = re.search(r'<input name="password"[^>]*>', short.text)
    assert password and "value=" not in password.group(0)
    bad_role = web.post("/brugere/viewer/rolle", data={"csrf_token": csrf, "role": "chef"})
    assert bad_role.status_code == 422 and "&#39;chef&#39; is not one of" in bad_role.text
    last = web.post("/brugere/admin/aktiv", data={"csrf_token": csrf, "active": "0"})
    assert last.status_code == 422 and "last active admin" in last.text
    demote = web.post("/brugere/admin/rolle", data={"csrf_token": csrf, "role": "viewer"})
    assert demote.status_code == 422
    admin = get_user(s, username="admin")
    assert (admin.role, admin.active) == ("admin", True)
    assert get_user(s, username="viewer").role == "viewer"
    assert len(list_audit(s, entity="user", limit=100)) == 4  # only the seeded users


@pytest.mark.parametrize("username", ["viewer", "planner", "program"])
def test_only_admins_see_or_change_users(web: TestClient, username: str) -> None:
    csrf = _as(web, username)
    assert web.get("/brugere").status_code == 403
    assert 'href="/brugere"' not in web.get("/").text
    made = web.post("/brugere", data={"csrf_token": csrf, "username": "x",
                                      "display_name": "X", "password": "lang-kode-42"})
    assert made.status_code == 403
    role = web.post("/brugere/viewer/rolle", data={"csrf_token": csrf, "role": "admin"})
    assert role.status_code == 403
    off = web.post("/brugere/admin/aktiv", data={"csrf_token": csrf, "active": "0"})
    assert off.status_code == 403
    s = _sessions(web)
    assert get_user(s, username="viewer").role == "viewer" and get_user(s, username="admin").active
    assert len(list_audit(s, entity="user", limit=100)) == 4


def test_user_forms_need_the_csrf_token(web: TestClient) -> None:
    _as(web, "admin")
    assert 'href="/brugere"' in web.get("/").text
    for token in (None, "forfalsket"):
        data = {"role": "admin"} if token is None else {"csrf_token": token, "role": "admin"}
        assert web.post("/brugere/viewer/rolle", data=data).status_code == 403
    assert get_user(_sessions(web), username="viewer").role == "viewer"


def test_api_changes_a_user_and_filters_the_trail_by_user(web: TestClient) -> None:
    headers = {"X-CSRF-Token": _as(web, "admin")}  # the page's token is the session's
    changed = web.patch("/api/users/planner", json={"role": "program"}, headers=headers)
    assert changed.status_code == 200 and changed.json()["role"] == "program"
    last = web.patch("/api/users/admin", json={"active": False}, headers=headers)
    assert last.status_code == 422
    admin_id = get_user(_sessions(web), username="admin").id
    mine = web.get(f"/api/audit?user_id={admin_id}").json()
    assert [(e["entity"], e["action"], e["after"]["role"]) for e in mine] == [
        ("user", "update", "program")]
    _as(web, "program")
    refused = web.patch("/api/users/viewer", json={"role": "admin"},
                        headers={"X-CSRF-Token": form_token(web.get("/program").text)})
    assert refused.status_code == 403
