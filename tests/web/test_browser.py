"""The dashboard in real headless Chromium (Debian's, driven by Playwright): a planner's,
a programme lead's, an admin's and a viewer's journeys, with a screenshot of every page
under test-output/screenshots/. Skipped without /usr/bin/chromium, except in CI."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bassplan.store.repository import list_scenarios, seed_scenarios
from tests.support.api import PASSWORD
from tests.support.browser import headless_chromium, require_chromium
from tests.support.live_server import LiveServer, live_server
from tests.support.paths import EXAMPLES, REPO

SHOTS = Path(os.environ.get("BASS_TEST_OUTPUT", REPO / "test-output")) / "screenshots"

require_chromium()

from playwright.sync_api import Browser, Page, Route, expect  # noqa: E402


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One running server for the module's journeys."""
    with live_server(tmp_path_factory.mktemp("browser")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium."""
    yield from headless_chromium()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser context (no cookies) and page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="da-DK")
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot as test-output/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, server: LiveServer, username: str) -> None:
    """Log in through the login form (after being sent there from the overview)."""
    page.goto(f"{server.url}/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(username.title())


def heat_colours(page: Page, specialty: str) -> list[str]:
    """The colour of every heat-map cell in the row of one specialty (by its name)."""
    cells = page.locator("#heatmap tr", has=page.locator(f"th:text-is('{specialty}')")).locator(
        "td.heat-cell")
    classes: list[str] = cells.evaluate_all("cells => cells.map(c => c.className)")
    return [re.findall(r"c-(\w+)", c)[0] for c in classes]


def test_planner_maps_creates_scores_and_compares(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.url}/login")
    shot(page, "login")
    log_in(page, server, "planner")
    # the map: choose a specialty and a quantity; every municipality is drawn
    page.select_option("select[name=specialty]", "geriatri")
    page.select_option("select[name=indicator]", "area_specialists_per_100k")
    expect(page.locator("#map svg path[data-area]")).to_have_count(
        len(server.app.state.regions.get("sjaelland").areas))
    expect(page.locator("#map svg")).to_contain_text("Geriatri")
    shot(page, "oversigt")
    # the baseline's scorecard, and how one value was computed
    page.goto(f"{server.url}/scorecard?scenario=Baseline 2026")
    before = heat_colours(page, "Kardiologi")
    page.locator("#heatmap td.heat-cell[data-indicator]").first.click()
    expect(page.locator("#explain-body ol li").first).to_be_visible()
    shot(page, "scorecard")
    # a new scenario from the form: cardiology in one strength position at SU Køge
    page.goto(f"{server.url}/scenarier/nyt")
    page.fill("#create-name", "Kardiologi samlet i Køge")
    for box in page.locator("input[name=sp_kardiologi]").all():
        box.set_checked(box.get_attribute("value") == "suh_koege")
    page.fill("input[name=digital_kardiologi]", "30")
    shot(page, "scenarier-nyt")
    page.click("#create-submit")
    expect(page.locator("#scenario-name")).to_have_text("Kardiologi samlet i Køge")
    shot(page, "scenarie")
    page.click("#scenario-scorecard")
    after = heat_colours(page, "Kardiologi")
    assert len(after) == len(before) == 15  # 4 acute sites and the specialty level, × 3
    assert after != before  # the scorecard changed
    # compare the two side by side
    page.goto(f"{server.url}/scenarier/sammenlign?a=Baseline 2026&b=Kardiologi samlet i Køge")
    expect(page.locator("#heatmap-a")).to_be_visible()
    expect(page.locator("#heatmap-b")).to_be_visible()
    expect(page.locator("#changed-colours")).to_be_visible()
    shot(page, "sammenlign")
    page.goto(f"{server.url}/scenarier")
    expect(page.locator("#scenario-table tr[data-scenario]")).to_have_count(3)
    shot(page, "scenarier")


def test_programme_lead_adds_a_deliverable(page: Page, server: LiveServer) -> None:
    log_in(page, server, "program")
    page.goto(f"{server.url}/program")
    page.locator("#leverancer details.create summary").click()
    form = page.locator("#deliverable-form")
    form.locator("[name=title]").fill("Udgående geriatri i Nykøbing F.")
    form.locator("[name=owner]").fill("Implementeringsansvarlig, geriatri")
    form.locator("[name=specialty_id]").select_option("geriatri")
    form.locator("[name=due_date]").fill("2027-03-01")
    form.locator("[name=scenario_id]").select_option(label="Baseline 2026")
    form.locator("button[type=submit]").click()
    row = page.locator("#leverancer tr[id^=deliverable-]",
                       has_text="Udgående geriatri i Nykøbing F.")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Baseline 2026")
    shot(page, "program")


BODIES = ("Programstyregruppe", "Programledelse", "Implementeringsstyregruppe",
          "Programsekretariat", "Leveranceorganisation", "HR", "Økonomi", "Digitalisering")


def test_program_page_draws_the_organisation_and_gives_the_meeting_pack(
    browser: Browser, server: LiveServer
) -> None:
    """At 1,280 × 800: the organisation chart shows the seeded bodies, a long name in a
    role card wraps instead of being cut, nothing overflows sideways, and the Mødepakke
    button downloads a PDF."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="da-DK",
                                  accept_downloads=True)
    page = context.new_page()
    try:
        log_in(page, server, "program")
        page.goto(f"{server.url}/program")
        chart = page.locator("#organisation .org-chart")
        for name in BODIES:
            expect(chart.locator(".org-box strong", has_text=name).first).to_be_visible()
        # Implementeringsstyregruppe reports to Programledelse: its box is inside that branch
        lead = page.locator(".org-box > strong:text-is('Programledelse')")
        branch = chart.locator("li", has=lead).last  # the innermost item holding it
        expect(branch.locator("strong:text-is('Implementeringsstyregruppe')")).to_have_count(1)
        card = page.locator("#speciale-kardiologi")
        card.locator("details summary").click()
        form = card.locator("form[id^=role-form]")
        form.locator("[name=role]").select_option("implementeringsansvarlig")
        form.locator("[name=person_name]").fill("Mette Hansen-Kristoffersen Bønnelykke")
        form.locator("[name=site_id]").select_option("suh_koege")
        form.locator("[name=email]").fill("mette.hansen-kristoffersen@regionsjaelland.dk")
        form.locator("button[type=submit]").click()
        name = page.locator("#speciale-kardiologi .person .name",
                            has_text="Mette Hansen-Kristoffersen Bønnelykke")
        expect(name).to_be_visible()
        cut = name.evaluate("e => e.scrollWidth > e.clientWidth + 1")
        box, frame = name.bounding_box(), page.locator("#speciale-kardiologi").bounding_box()
        assert not cut and box is not None and frame is not None
        assert box["x"] + box["width"] <= frame["x"] + frame["width"] + 1
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        shot(page, "program-organisation")
        with page.expect_download() as download:
            page.click("#program-pdf")
        content = Path(download.value.path()).read_bytes()
        assert content.startswith(b"%PDF-")
        assert download.value.suggested_filename.startswith("moedepakke-program-")
    finally:
        context.close()


def test_admin_sees_data_audit_and_users(page: Page, server: LiveServer) -> None:
    log_in(page, server, "admin")
    page.goto(f"{server.url}/data")
    expect(page.locator("form#upload-staffing")).to_be_visible()
    shot(page, "data")
    page.goto(f"{server.url}/revision")
    expect(page.locator("main")).to_contain_text("scenario")
    shot(page, "revisionsspor")
    page.goto(f"{server.url}/brugere")
    expect(page.locator("main")).to_contain_text("viewer")
    shot(page, "brugere")
    page.click("a.lang")
    expect(page.locator("nav.main")).to_contain_text("Overview")
    shot(page, "users-english")


def test_viewer_cannot_change_anything(page: Page, server: LiveServer) -> None:
    log_in(page, server, "viewer")
    page.goto(f"{server.url}/scenarier/Baseline 2026")
    expect(page.locator("#scenario-yaml")).to_be_visible()
    expect(page.locator("#scenario-edit-form")).to_have_count(0)
    # the API refuses, even with the session's own CSRF token
    status = page.evaluate("""async () => {
        const r = await fetch('/api/scenarios', {method: 'POST', headers: {
            'Content-Type': 'application/json',
            'X-CSRF-Token': document.querySelector('meta[name=csrf-token]').content},
            body: JSON.stringify({name: 'forbudt', yaml: 'name: forbudt'})});
        return r.status; }""")
    assert status == 403
    # and so does a page form posted by hand
    page.goto(f"{server.url}/program")
    token = page.locator("meta[name=csrf-token]").get_attribute("content")
    page.set_content(f"""<form method="post" action="{server.url}/scenarier/nyt" id="f">
        <input name="csrf_token" value="{token}"><input name="name" value="forbudt">
        <input name="year" value="2026"></form>""")
    with page.expect_navigation():
        page.evaluate("document.getElementById('f').submit()")
    expect(page.locator("main")).to_contain_text("Din rolle må ikke gøre dette")
    shot(page, "forbudt")
    names = [row.name for row in list_scenarios(server.app.state.sessions)]
    assert "forbudt" not in names


def test_viewer_switches_to_oestdanmark_and_sees_bornholm(page: Page, server: LiveServer) -> None:
    sessions, regions = server.app.state.sessions, server.app.state.regions
    if not list_scenarios(sessions, region_id="oestdanmark"):
        seed_scenarios(sessions, [EXAMPLES / "oestdanmark" / "baseline.yaml"],
                       region=regions.get("oestdanmark"), region_id="oestdanmark")
    log_in(page, server, "viewer")
    expect(page.locator("#region-select")).to_have_value("sjaelland")
    with page.expect_navigation():
        page.select_option("#region-select", "oestdanmark")  # the header's picker sends itself
    expect(page.locator("#region-select")).to_have_value("oestdanmark")
    expect(page.locator("h1")).to_contain_text("Region Østdanmark")
    expect(page.locator("#map svg path[data-area]")).to_have_count(46)
    bornholm = page.locator("#map svg path[data-area='400']")
    expect(bornholm).to_have_count(1)
    expect(bornholm.locator("title")).to_contain_text("Bornholm")
    expect(page.locator("#map svg rect.inset")).to_have_count(1)
    expect(page.locator("#council-table tbody tr")).to_have_count(6)
    shot(page, "oversigt-oestdanmark")
    # 14 scored sites: the heat-map scrolls in its own box, the page keeps 1,280 px
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{server.url}/scorecard")
    expect(page.locator("#heatmap table.heat")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert page.evaluate("document.querySelector('#heatmap .scroll').scrollWidth") > 1280
    page.goto(f"{server.url}/scenarier")
    expect(page.locator("#scenario-table tr[data-scenario]")).to_have_count(1)
    with page.expect_navigation():
        page.select_option("#region-select", "sjaelland")
    expect(page.locator("#region-select")).to_have_value("sjaelland")
    page.goto(f"{server.url}/")
    expect(page.locator("#map svg path[data-area]")).to_have_count(
        len(regions.get("sjaelland").areas))
    expect(page.locator("#map svg path[data-area='400']")).to_have_count(0)


def offline_and_watched(page: Page, server: LiveServer) -> tuple[list[str], list[str]]:
    """Refuse every request that leaves the server; collect those and every message the
    browser logs about the Content-Security-Policy."""
    outside: list[str] = []
    violations: list[str] = []

    def only_local(route: Route) -> None:
        if route.request.url.startswith(server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    return outside, violations


def test_docs_render_offline_under_the_policy(page: Page, server: LiveServer) -> None:
    outside, violations = offline_and_watched(page, server)
    page.goto(f"{server.url}/docs")
    operations = sum(len(ops) for ops in server.app.openapi()["paths"].values())
    expect(page.locator(".opblock")).to_have_count(operations)
    login = page.locator("#operations-session-login_api_login_post")
    login.locator(".opblock-summary").click()
    expect(login.locator(".responses-table")).to_contain_text("429")
    expect(login.locator(".responses-table")).to_contain_text("application/problem+json")
    expect(page.locator("button.authorize")).to_be_visible()  # the security schemes
    shot(page, "docs")
    assert outside == []
    assert violations == []


def test_pages_run_their_script_under_the_policy(page: Page, server: LiveServer) -> None:
    outside, violations = offline_and_watched(page, server)
    log_in(page, server, "planner")
    page.select_option("select[name=specialty]", "kardiologi")  # submits (app.js)
    expect(page).to_have_url(re.compile(r"specialty=kardiologi"))
    page.goto(f"{server.url}/scorecard?scenario=Baseline 2026")
    page.locator("#heatmap td.heat-cell[data-indicator]").first.click()
    expect(page.locator("#explain-body ol li").first).to_be_visible()
    assert outside == []
    assert violations == []
