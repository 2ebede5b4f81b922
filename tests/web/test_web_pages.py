"""The pages over a real app: login (its own CSRF token, wrong password, rate limit),
redirects, the map and the heat-map with figures checked against the core, language."""

from __future__ import annotations

import re

import numpy as np

from bassplan.domain.scenario import Scenario
from bassplan.model.evaluate import evaluate
from bassplan.views.formatting import format_number
from tests.support.api import LIMIT, TestClient
from tests.support.web import form_token, page_login

AREA_TIP = r'data-area="[^"]+" data-group="[^"]+"><title>'  # a municipality and its council


def test_pages_redirect_to_login_and_back(web: TestClient) -> None:
    response = web.get("/scorecard?scenario=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/scorecard%3Fscenario%3Dx"
    page = web.get("/login?next=https://evil.example/")
    assert 'name="next" value="/"' in page.text  # never back to another site


def test_login_form_needs_its_token_and_the_right_password(web: TestClient) -> None:
    no_token = web.post("/login", data={"username": "admin", "password": "x"})
    assert no_token.status_code == 403
    token = form_token(no_token.text)  # the refused form comes back with a fresh token
    wrong = web.post("/login", data={"username": "viewer", "password": "forkert",
                                     "csrf_token": token})
    assert wrong.status_code == 401
    assert "Forkert brugernavn eller adgangskode" in wrong.text
    assert "bass_session" not in wrong.headers.get("set-cookie", "")


def test_login_is_rate_limited(web: TestClient) -> None:
    for _ in range(LIMIT):
        token = form_token(web.get("/login").text)
        web.post("/login", data={"username": "planner", "password": "nej", "csrf_token": token})
    token = form_token(web.get("/login").text)
    response = web.post("/login", data={"username": "planner", "password": "korrekt-hest-1",
                                        "csrf_token": token})
    assert response.status_code == 429
    assert "For mange forkerte forsøg" in response.text


def test_logout_needs_the_forms_token(web: TestClient) -> None:
    csrf = page_login(web, "viewer")
    assert web.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert web.get("/").status_code == 200  # still logged in
    assert web.post("/logout", data={"csrf_token": csrf}).status_code == 303
    assert web.get("/").status_code == 303


def test_overview_map_colours_every_municipality_by_travel_minutes(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/?scenario=Baseline 2026&specialty=kardiologi&indicator=area_travel_minutes")
    assert page.status_code == 200
    region = web.app.state.regions.get("sjaelland")  # type: ignore[attr-defined]
    evaluation = evaluate(region, Scenario(name="Baseline 2026", year=2026))
    s = region.specialty_index("kardiologi")
    areas = re.findall(r'data-area="([^"]+)" data-group="([^"]+)"><title>([^<]+)</title>',
                       page.text)
    assert len(areas) == len(region.areas)
    for k, (area, (code, council, tooltip)) in enumerate(zip(region.areas, areas, strict=True)):
        assert (code, council) == (area.code, region.councils[k])  # outlined by sundhedsråd
        minutes = evaluation.access.area_minutes[s, region.areas.index(area)]
        assert tooltip == f"{area.name} – {council}: {format_number(float(minutes), 'da')} min"
    acute = [site for site in region.sites if site.active and site.acute]
    assert page.text.count("(Styrkeposition)") == len(acute)  # baseline: a team at each


def test_scorecard_cells_follow_the_scorecard(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/scorecard?scenario=Baseline 2026")
    region = web.app.state.regions.get("sjaelland")  # type: ignore[attr-defined]
    cells = re.findall(r'<td class="cell heat-cell c-(\w+)', page.text)
    acute = [site for site in region.sites if site.active and site.acute]
    assert len(cells) == len(region.specialties) * (len(acute) + 1) * 3
    clickable = re.findall(r'data-indicator="(\w+)" data-specialty="(\w+)" data-site="(\w*)"',
                           page.text)
    assert clickable
    indicator, specialty, site = clickable[0]
    found = web.get("/api/scenarios/Baseline 2026/explain",
                    params={"indicator": indicator, "specialty": specialty, "site": site})
    assert found.status_code == 200
    assert found.json()["steps"]


def test_unknown_scenario_is_a_page_not_json(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/scorecard?scenario=findes-ikke")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "Findes ikke" in page.text
    api = web.get("/api/scenarios/findes-ikke")
    assert api.headers["content-type"] == "application/problem+json"


def test_english_switch(web: TestClient) -> None:
    page_login(web, "viewer")
    switched = web.get("/sprog/en?next=/scorecard")
    assert switched.status_code == 303
    assert switched.headers["location"] == "/scorecard"
    page = web.get("/scorecard")
    assert "Professional sustainability" in page.text
    assert '<html lang="en">' in page.text
    web.get("/sprog/da?next=/")
    assert "Faglig bæredygtighed" in web.get("/scorecard").text


def test_navigation_depends_on_role(web: TestClient) -> None:
    page_login(web, "viewer")
    assert 'href="/revision"' not in web.get("/").text
    web.cookies.clear()
    page_login(web, "admin")
    assert 'href="/revision"' in web.get("/").text


def test_contacts_per_1000_uses_residents(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/?specialty=geriatri&indicator=area_contacts_per_1000")
    region = web.app.state.regions.get("sjaelland")  # type: ignore[attr-defined]
    evaluation = evaluate(region, Scenario(name="Baseline 2026", year=2026))
    s = region.specialty_index("geriatri")
    demand = evaluation.demand[:, s, :]
    expected = 1000 * (demand[:, 0] + demand[:, 2] + demand[:, 3]) / evaluation.residents
    shown = re.findall(AREA_TIP + r'[^:]+: ([\d.,]+) per 1\.000', page.text)
    values = np.array([float(v.replace(".", "").replace(",", ".")) for v in shown])
    assert np.allclose(values, np.round(expected), atol=0.5)


def test_the_map_shows_local_morbidity(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/?specialty=nefrologi&indicator=area_morbidity")
    shown = dict(re.findall(r'data-area="([^"]+)" data-group="[^"]+"><title>[^:]+: ([\d.,]+) ×',
                            page.text))
    # Lolland (360) and Guldborgsund (376): 18.0 % / 9.5 % (epidemiology rows 76 and 74)
    assert shown["360"] == shown["376"] == "1,89"
    assert {v for k, v in shown.items() if k not in ("360", "376")} == {"1,00"}
