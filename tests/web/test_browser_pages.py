"""Every page in Debian's headless Chromium at 1,280 × 800, as an admin (who sees every page)
and before logging in: a screenshot of each, no horizontal overflow, and no English on the
Danish pages; and the Scorecard's indicator filter used as a planner would. Screenshots go
to a temporary directory, or to out/screenshots/ (or the directory named) when
BASS_SCREENSHOTS asks. Skipped without /usr/bin/chromium, except in CI."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.api import PASSWORD
from tests.support.browser import headless_chromium, require_chromium
from tests.support.live_server import LiveServer, live_server
from tests.support.paths import REPO

WIDTH, HEIGHT = 1280, 800

require_chromium()

from playwright.sync_api import Browser, BrowserContext, Page, expect  # noqa: E402

BASELINE, OTHER = "Baseline 2026", "Kardiologi med to styrkepositioner"
PAGES = (  # (screenshot name, path): every page of the menu, one scenario and one comparison
    ("oversigt", "/"),
    ("scorecard", f"/scorecard?scenario={BASELINE}"),
    ("scenarier", "/scenarier"),
    ("scenarie", f"/scenarier/{OTHER}"),
    ("sammenlign", f"/scenarier/sammenlign?a={BASELINE}&b={OTHER}"),
    ("program", "/program"),
    ("data", "/data"),
    ("revisionsspor", "/revision"),
    ("brugere", "/brugere"),
    ("min-konto", "/konto"),
    ("ordliste", "/ordliste"),
)
# English that a Danish page must not show: units, former names, job and error words (a
# table's column names, like `minutes` in travel_matrix.csv, are file fields, not words)
ENGLISH = re.compile(r"\(formerly |contacts/FTE|DKK/contact|N in 1-in-N|\d minutes\b"
                     r"|\breplications\b|\bnot found\b|\bcreated_at\b")


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: BASS_SCREENSHOTS=1 → out/screenshots/, another value → that
    directory, unset → a temporary directory."""
    asked = os.environ.get("BASS_SCREENSHOTS", "")
    if not asked:
        return tmp_path_factory.mktemp("screenshots")
    folder = REPO / "out" / "screenshots" if asked in {"1", "yes", "true"} else Path(asked)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """One running server for the module."""
    with live_server(tmp_path_factory.mktemp("pages")) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium."""
    yield from headless_chromium()


def _context(browser: Browser) -> BrowserContext:
    return browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="da-DK")


def _log_in(page: Page, server: LiveServer, username: str) -> None:
    page.goto(f"{server.url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    expect(page.locator("header .who")).to_contain_text(username.title())


@pytest.fixture(scope="module")
def admin(browser: Browser, server: LiveServer) -> Iterator[Page]:
    """A page logged in as the admin, kept for the module's page visits."""
    context = _context(browser)
    page = context.new_page()
    _log_in(page, server, "admin")
    yield page
    context.close()


def _overflow(page: Page) -> int:
    """How far the page is wider than the window (px; 0 = no horizontal scrolling)."""
    width: int = page.evaluate("document.documentElement.scrollWidth")
    return max(width - WIDTH, 0)


def _wide_elements(page: Page) -> list[str]:
    """What sticks out to the right of the window (to say why a page overflows)."""
    found: list[str] = page.evaluate(f"""() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > {WIDTH} + 1).slice(0, 5)
        .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40))""")
    return found


def test_the_login_page_fits_the_window(browser: Browser, server: LiveServer,
                                        shots: Path) -> None:
    context = _context(browser)
    page = context.new_page()
    page.goto(f"{server.url}/login")
    page.screenshot(path=str(shots / "login.png"), full_page=True)
    assert _overflow(page) == 0, _wide_elements(page)
    context.close()


@pytest.mark.parametrize(("name", "path"), PAGES, ids=[name for name, _ in PAGES])
def test_every_page_fits_1280_and_reads_danish(admin: Page, server: LiveServer, shots: Path,
                                                name: str, path: str) -> None:
    response = admin.goto(f"{server.url}{path}")
    assert response is not None and response.status == 200
    admin.screenshot(path=str(shots / f"{name}.png"), full_page=True)
    assert (shots / f"{name}.png").stat().st_size > 10_000  # a page, not a blank
    assert _overflow(admin) == 0, _wide_elements(admin)
    text = admin.locator("main").inner_text()
    assert not ENGLISH.search(text), ENGLISH.findall(text)


def test_the_open_details_still_fit(admin: Page, server: LiveServer, shots: Path) -> None:
    """The long parts a planner opens (an audit entry's whole change, the map's list, every
    indicator group) stay inside the window too."""
    for path, selector in (("/revision", "details.audit-all"), ("/", "#map-areas"),
                           (f"/scorecard?scenario={BASELINE}", "details.indicator-group")):
        admin.goto(f"{server.url}{path}")
        admin.eval_on_selector_all(selector, "all => all.forEach(d => d.open = true)")
        assert _overflow(admin) == 0, (path, _wide_elements(admin))
    admin.screenshot(path=str(shots / "scorecard-open.png"), full_page=True)


def test_the_indicator_filter_narrows_and_groups(browser: Browser, server: LiveServer,
                                                 shots: Path) -> None:
    context = _context(browser)
    page = context.new_page()
    _log_in(page, server, "planner")
    page.goto(f"{server.url}/scorecard?scenario={BASELINE}")
    groups = page.locator("#indicator-table details.indicator-group")
    everything = groups.count()
    assert everything == len(server.app.state.indicators)  # one group per indicator
    expect(groups.first).not_to_have_attribute("open", "")  # closed until filtered
    # choosing a perspective submits the form (app.js) and keeps the reader at the table
    page.select_option("#indicator-filter select[name=perspective]", "staff")
    expect(page).to_have_url(re.compile(r"perspective=staff.*#indicators$"))
    perspectives = set(groups.evaluate_all("gs => gs.map(g => g.dataset.perspective)"))
    assert perspectives == {"staff"}
    assert 0 < groups.count() < everything
    page.select_option("#indicator-filter select[name=site]", "slagelse")
    expect(page).to_have_url(re.compile(r"site=slagelse"))
    rows = page.locator("#indicator-table tr[data-site]")
    sites = set(rows.evaluate_all("rs => rs.map(r => r.dataset.site)"))
    assert sites == {"slagelse"}
    expect(rows.first).to_be_visible()  # the groups are open once filtered
    shown = rows.count()
    expect(page.locator("#indicator-count")).to_contain_text(f"Viser {shown} af")
    page.screenshot(path=str(shots / "scorecard-filter.png"), full_page=True)
    # and back to everything
    page.click("#indicator-filter a.button")
    expect(groups).to_have_count(everything)
    context.close()
