"""Pages a planner can work in, without JavaScript: the Scorecard's indicator filter as a
plain GET form, the glossary and the help beside key figures, the map's municipalities as a
list, comparisons that read baseline → scenario, simulation tables with units and the wait
cap said, and error details in Danish."""

from __future__ import annotations

import html
import re

from bassplan.i18n.words import label
from bassplan.simulate.settings import SimulationSettings
from bassplan.web.glossary import FIGURE_TERMS, TERMS, glossary
from bassplan.web.scenario_runs import simulate_note, simulate_table
from tests.support.api import TestClient
from tests.support.web import page_login

BASELINE, OTHER = "Baseline 2026", "Kardiologi med to styrkepositioner"


def _groups(page: str) -> list[tuple[str, str]]:
    """(indicator, perspective) of every indicator group on a Scorecard page."""
    return re.findall(r'<details class="indicator-group" data-indicator="(\w+)" '
                      r'data-perspective="(\w+)"', page)


def _rows(page: str) -> list[tuple[str, str]]:
    """(specialty, site) of every row of the indicator table."""
    return re.findall(r'<tr data-specialty="(\w*)" data-site="(\w*)">', page)


def test_the_indicator_table_filters_by_perspective_specialty_and_site(web: TestClient) -> None:
    page_login(web, "viewer")
    everything = web.get("/scorecard", params={"scenario": BASELINE}).text
    indicators = web.app.state.indicators  # type: ignore[attr-defined]
    assert [g for g, _ in _groups(everything)] == [i.id for i in indicators]  # catalogue order
    total = len(_rows(everything))
    assert f"Viser {total} af {total} indikatorværdier." in everything
    assert "open>" not in everything.split('id="indicator-table"')[1]  # closed when unfiltered

    org = web.get("/scorecard", params={"scenario": BASELINE, "perspective": "organisational",
                                        "specialty": "geriatri", "site": "_specialty"}).text
    groups = _groups(org)
    expected = [i.id for i in indicators
                if i.perspective == "organisational" and i.level == "specialty"]
    assert [g for g, _ in groups] == expected and {p for _, p in groups} == {"organisational"}
    assert _rows(org) == [("geriatri", "")] * len(expected)  # one specialty-level value each
    assert f"Viser {len(expected)} af {total} indikatorværdier." in org
    assert '<option value="organisational" selected>' in org  # the form keeps the choice

    site = web.get("/scorecard", params={"scenario": BASELINE, "site": "holbaek"}).text
    assert {s for _, s in _rows(site)} == {"holbaek"}
    assert len(_rows(site)) * 4 == sum(1 for _, s in _rows(everything) if s)  # 4 acute sites

    unknown = web.get("/scorecard", params={"scenario": BASELINE, "perspective": "x' or 1"})
    assert unknown.status_code == 200 and len(_rows(unknown.text)) == total  # means 'all'


def test_the_scorecard_reads_danish_units_and_names(web: TestClient) -> None:
    page_login(web, "viewer")
    page = html.unescape(web.get("/scorecard", params={"scenario": BASELINE}).text)
    assert "kr. pr. kontakt" in page and "kontakter pr. årsværk pr. år" in page
    assert "(N i vagtlag 1-i-N)" in page
    assert "Sjællands Universitetshospital Nykøbing F. (tidl. Nykøbing Falster Sygehus)" in page
    assert "formerly" not in page and "DKK/contact" not in page
    # the specialty level's F and P cells: the weakest site, never an empty '–'
    assert "svageste matrikel: " in page


def test_the_glossary_explains_every_term_and_key_figures_link_to_it(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/ordliste")
    assert page.status_code == 200
    anchors = re.findall(r'<dt id="([\w-]+)">', page.text)
    assert anchors == list(TERMS)
    cap = SimulationSettings().max_wait_days
    texts = {anchor: text for anchor, _, text in glossary("da")}
    assert f"op til {cap} arbejdsdage" in texts["ventetid-loft"]  # the number from its owner
    assert all(t and not t.startswith("gl_") for t in texts.values())
    assert set(FIGURE_TERMS.values()) <= set(TERMS)
    assert re.search(r'<a href="/ordliste"[^>]*>Ordliste</a>', page.text)  # in the menu

    overview = web.get("/").text
    helps = re.findall(r'<a class="help" href="/ordliste#([\w-]+)" title="([^"]+)"', overview)
    assert {a for a, _ in helps} >= {"p90", "rejsetid", "andel-45", "wisn"}
    assert all(a in TERMS for a, _ in helps)
    detail = web.get(f"/scenarier/{BASELINE}").text
    assert 'href="/ordliste#fte"' in detail


def test_the_map_lists_its_municipalities(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/", params={"specialty": "geriatri"}).text
    regions = web.app.state.regions  # type: ignore[attr-defined]
    region = regions.get(regions.default)
    listed = re.findall(r'<tr><th scope="row">([^<]+)</th><td class="num">', page)
    assert sorted(html.unescape(n) for n in listed) == sorted(a.name for a in region.areas)
    assert f"Kommunerne på kortet ({len(region.areas)})" in page


def test_comparisons_read_baseline_to_scenario(web: TestClient) -> None:
    page_login(web, "viewer")
    other = web.get(f"/scenarier/{OTHER}").text
    form = other.split('id="detail-compare-form"')[1].split("</form>")[0]
    assert f'<option value="{BASELINE}" selected>' in form and 'name="a"' in form
    assert f'<input type="hidden" name="b" value="{OTHER}">' in form
    baseline = web.get(f"/scenarier/{BASELINE}").text
    form = baseline.split('id="detail-compare-form"')[1].split("</form>")[0]
    assert f'<input type="hidden" name="a" value="{BASELINE}">' in form
    compared = web.get("/scenarier/sammenlign").text  # the baseline first by default
    assert re.search(rf">{BASELINE}</a> → <a [^>]+>{OTHER}</a>", compared)
    assert "Fra (udgangspunkt)" in compared and "Til (scenarie)" in compared


def test_a_simulation_table_has_units_and_says_the_cap(web: TestClient) -> None:
    regions = web.app.state.regions  # type: ignore[attr-defined]
    region = regions.get(regions.default)
    band = {"p5": 249.0, "p50": 249.0, "p95": 249.0}
    row = {"specialty": "geriatri", "wait_p50_routine_days": {"p5": 3, "p50": 4.5, "p95": 6},
           "wait_p90_routine_days": band,
           "share_beyond_target_routine": {"p5": 0.5, "p50": 0.75, "p95": 0.9},
           "overtime_hours": {"p5": 1, "p50": 2, "p95": 3},
           "visits_avoided": {"p5": 0, "p50": 0, "p95": 0},
           "patient_km_saved": {"p5": 1000, "p50": 1500, "p95": 2000}}
    result = {"specialties": [row], "max_wait_days": 250}
    table = simulate_table(result, region, "da")
    assert table.columns[2] == "Ventetid P90, rutine (arbejdsdage)"
    assert table.rows[0][1] == "4,5 [3,0–6,0]"  # below the cap: as it is
    assert table.rows[0][2] == "≥ 249,0 [≥ 249,0–≥ 249,0]"  # at the last tracked day
    assert table.rows[0][3] == "75 % [50 %–90 %]"  # a share as percent
    assert table.rows[0][6] == "1.500 [1.000–2.000]"
    note = simulate_note(result, "da")
    assert "op til 250 arbejdsdage" in note and "≥ 249 dage" in note
    old = simulate_note({"specialties": []}, "en")  # saved before the cap was recorded
    assert f"up to {SimulationSettings().max_wait_days} working days" in old


def test_error_details_are_danish(web: TestClient) -> None:
    page_login(web, "viewer")
    missing = web.get("/scenarier/findes-ikke")
    assert missing.status_code == 404
    assert "Scenarie &#39;findes-ikke&#39; findes ikke." in missing.text
    assert "not found" not in missing.text
    assert label("error_not_found_detail", "en") == "{kind} '{name}' was not found."


def test_the_explanation_says_its_units_in_danish(web: TestClient) -> None:
    page_login(web, "viewer")
    found = web.get(f"/api/scenarios/{BASELINE}/explain", params={
        "indicator": "contacts_per_fte", "specialty": "kardiologi", "site": "holbaek",
        "lang": "da"}).json()
    units = {(s["unit"], s["unit_label"]) for s in found["steps"]}
    assert ("contacts/FTE/year", "kontakter pr. årsværk pr. år") in units
    assert ("FTE", "årsværk") in units
    assert all(unit_label for _, unit_label in units)
