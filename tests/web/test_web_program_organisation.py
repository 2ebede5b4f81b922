"""The Program page's organisation (chart and body forms), roles at a site and
cross-cutting konceptejere, meetings of a body with agenda and minutes, decisions with
status, and the Program page's meeting pack (deliverables with overdue marks and the
decisions since the implementeringsstyregruppe's last meeting)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store import organisation, program
from bassplan.store.audit import list_audit
from bassplan.store.models import Deliverable
from tests.support.api import TestClient
from tests.support.web import page_login


def _sessions(web: TestClient) -> sessionmaker[Session]:
    sessions: sessionmaker[Session] = web.app.state.sessions  # type: ignore[attr-defined]
    return sessions


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


def _bodies(web: TestClient) -> dict[str, int]:
    return {b.name: b.id for b in organisation.list_bodies(_sessions(web))}


def test_organisation_chart_and_its_forms(web: TestClient) -> None:
    """The chart shows the seeded bodies nested as they report; the program role adds,
    moves and removes a body, and a loop is refused in Danish with the form kept."""
    csrf = page_login(web, "program")
    html = web.get("/program").text
    chart = re.search(r'<div class="org-chart".*?</ul>\s*</div>', html, re.S)
    assert chart is not None
    nested = re.sub(r"<[^>]+>", " ", chart.group(0))
    order = [nested.index(n) for n in ("Regionsrådets sygehusudvalg", "Koncerndirektion",
                                       "Programstyregruppe", "Programledelse",
                                       "Implementeringsstyregruppe", "Leveranceorganisation",
                                       "Programsekretariat", "HR", "Økonomi", "Digitalisering")]
    assert order == sorted(order)
    assert "Ressourcegivende afdeling" in chart.group(0)
    assert "Kilde: illustrativ standardorganisation" in html
    ids = _bodies(web)
    made = web.post("/program/organisation", data={
        "csrf_token": csrf, "name": "Jura", "kind": "afdeling", "position": "5", "note": "",
        "parent_id": str(ids["Programledelse"])})
    assert made.status_code == 303 and made.headers["location"].endswith("#organisation")
    ids = _bodies(web)
    assert "Organet er gemt." in web.get(made.headers["location"]).text
    loop = web.post(f"/program/organisation/{ids['Programledelse']}", data={
        "csrf_token": csrf, "name": "Programledelse", "kind": "programledelse",
        "position": "0", "note": "", "parent_id": str(ids["Jura"])})
    assert loop.status_code == 422
    assert "would make the body report to itself" in _form(
        loop.text, f"body-edit-{ids['Programledelse']}")
    taken = web.post("/program/organisation", data={
        "csrf_token": csrf, "name": "HR", "kind": "afdeling", "position": "0"})
    assert taken.status_code == 409 and "HR findes allerede i organisationen." in taken.text
    removed = web.post(f"/program/organisation/{ids['Jura']}/fjern", data={"csrf_token": csrf})
    assert removed.status_code == 303 and "Jura" not in _bodies(web)


def test_roles_at_sites_konceptejere_meetings_and_decisions_by_page(web: TestClient) -> None:
    s = _sessions(web)
    csrf = page_login(web, "program")
    ids = _bodies(web)
    lead = web.post("/program/roller", data={
        "csrf_token": csrf, "specialty_id": "kardiologi", "role": "implementeringsansvarlig",
        "person_name": "Mette Hansen", "site_id": "suh_koege", "profession": "", "email": ""})
    assert lead.status_code == 303
    concept = web.post("/program/roller", data={
        "csrf_token": csrf, "role": "konceptejer", "person_name": "Hanne Holm",
        "body_id": str(ids["HR"]), "profession": "HR-partner", "email": ""})
    assert concept.status_code == 303 and concept.headers["location"].endswith("#konceptejere")
    roles = {r.person_name: r for r in program.list_roles(s)}
    assert (roles["Mette Hansen"].site_id, roles["Hanne Holm"].specialty_id,
            roles["Hanne Holm"].body_id) == ("suh_koege", None, ids["HR"])
    html = web.get("/program").text
    cardio = re.search(r'id="speciale-kardiologi".*?</article>', html, re.S)
    assert cardio and "Mette Hansen" in cardio.group(0) and "SUH Køge" in cardio.group(0)
    assert "Konceptejer" not in cardio.group(0)  # cross-cutting: not a specialty's role
    concept_section = re.search(r'<section id="konceptejere">.*?</section>', html, re.S)
    assert concept_section and "Hanne Holm" in concept_section.group(0)
    hr_box = re.search(rf'id="organ-{ids["HR"]}".*?</div>', html, re.S)
    assert hr_box and "Konceptejer: Hanne Holm" in hr_box.group(0)

    met = web.post("/program/moeder", data={
        "csrf_token": csrf, "date": "2026-03-09", "title": "Marts",
        "body_id": str(ids["Implementeringsstyregruppe"]), "agenda": "1. Kardiologi\n2. Økonomi",
        "minutes": ""})
    assert met.status_code == 303
    [meeting] = program.list_meetings(s)
    assert (meeting.body_id, meeting.agenda) == (ids["Implementeringsstyregruppe"],
                                                 "1. Kardiologi\n2. Økonomi")
    decided = web.post(f"/program/moeder/{meeting.id}/beslutninger", data={
        "csrf_token": csrf, "text": "Kardiologi samles", "owner": "", "status": "proposed",
        "specialty_id": "kardiologi", "body_id": "", "scenario_id": "", "due_date": ""})
    assert decided.status_code == 303
    [decision] = program.get_meeting(s, meeting_id=meeting.id).decisions
    assert (decision.status, decision.specialty_id, decision.body_id) == (
        "proposed", "kardiologi", ids["Implementeringsstyregruppe"])
    changed = web.post(f"/program/beslutninger/{decision.id}", data={
        "csrf_token": csrf, "text": "Kardiologi samles", "owner": "Ib", "status": "decided",
        "specialty_id": "kardiologi", "body_id": "", "scenario_id": "", "due_date": ""})
    assert changed.status_code == 303
    assert changed.headers["location"].endswith(f"#beslutning-{decision.id}")
    minutes = web.post(f"/program/moeder/{meeting.id}", data={
        "csrf_token": csrf, "date": "2026-03-09", "title": "Marts",
        "body_id": str(ids["Implementeringsstyregruppe"]), "agenda": "1. Kardiologi",
        "minutes": "Godkendt uden bemærkninger"})
    assert minutes.status_code == 303
    web.post("/program/leverancer", data={
        "csrf_token": csrf, "title": "Flytteplan", "status": "planlagt", "owner": "",
        "decision_id": str(decision.id)})
    [item] = program.list_work_items(s, Deliverable)
    assert item.decision_id == decision.id
    html = web.get("/program").text
    shown = re.search(rf'<li id="beslutning-{decision.id}".*?</li>', html, re.S)
    assert shown and '<span class="chip dstatus">besluttet</span>' in shown.group(0)
    assert "Kardiologi" in shown.group(0) and "Ansvarlig: Ib" in shown.group(0)
    assert "Godkendt uden bemærkninger" in html
    assert f'<a href="#beslutning-{decision.id}">Kardiologi samles</a>' in _row(
        html, "deliverable", item.id)
    bad = web.post(f"/program/beslutninger/{decision.id}", data={
        "csrf_token": csrf, "text": "X", "owner": "", "status": "måske"})
    assert bad.status_code == 422
    assert "&#39;måske&#39; is not one of proposed" in _form(bad.text,
                                                            f"decision-edit-{decision.id}")
    actions = [(e.entity, e.action) for e in list_audit(s, limit=4)]
    assert actions == [("deliverable", "create"), ("meeting", "update"),
                       ("decision", "update"), ("decision", "create")]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_the_program_pages_meeting_pack_lists_deliverables_and_recent_decisions(
    web: TestClient,
) -> None:
    s = _sessions(web)
    ids = _bodies(web)
    late = program.create_work_item(s, Deliverable, {
        "title": "Vagtplan Nykøbing", "status": "i_gang", "due_date": date(2020, 1, 31)})
    assert late.id
    old = program.create_meeting(s, date=date(2020, 1, 6), title="Gammelt møde",
                                 body_id=ids["Implementeringsstyregruppe"])
    program.add_decision(s, meeting_id=old.id, text="Gammel beslutning")
    last = program.create_meeting(s, date=date(2020, 2, 3), title="Seneste møde",
                                  body_id=ids["Implementeringsstyregruppe"])
    program.add_decision(s, meeting_id=last.id, text="Ny beslutning om geriatri",
                         status="proposed")
    page_login(web, "viewer")
    html = web.get("/program").text
    form = re.search(r'<form method="get" action="(/program/moedepakke.pdf)".*?</form>', html,
                     re.S)
    assert form and 'id="program-pdf"' in form.group(0)
    chosen = re.search(r'<option value="([^"]+)" selected>', form.group(0))
    assert chosen is not None
    pdf = web.get(form.group(1), params={"scenarie": chosen.group(1)})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content,
                              capture_output=True, check=True).stdout.decode()
        flat = " ".join(text.split())
        assert "Programmet: leverancer og beslutninger" in flat
        assert "Vagtplan Nykøbing" in flat and "Frist overskredet" in flat
        assert "Ny beslutning om geriatri" in flat and "foreslået" in flat
        assert "Gammel beslutning" not in flat
        assert "seneste møde (03.02.2020 · Implementeringsstyregruppe · Seneste møde)" in flat
    assert web.get("/program/moedepakke.pdf", params={"scenarie": "findes-ikke"}).status_code \
        == 404
