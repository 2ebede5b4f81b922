"""The dashboard's region choice: the header's picker remembers the region, the scenario
list, map, data and forms follow it, a scenario page uses its own region, and Østdanmark's
map outlines its sundhedsråd and draws Bornholm."""

from __future__ import annotations

import csv
import io
import re

from fastapi import FastAPI

from bassplan.data import bundled_region_dir
from bassplan.data.csvread import read_table
from bassplan.domain.scenario import Scenario
from bassplan.model.evaluate import evaluate
from bassplan.store.repository import get_scenario, seed_scenarios
from bassplan.views.formatting import format_number
from tests.support.api import TestClient
from tests.support.paths import EXAMPLES
from tests.support.web import page_login

OEST_BASELINE = "Østdanmark baseline 2027"


def _app(web: TestClient) -> FastAPI:
    app: FastAPI = web.app  # type: ignore[assignment]
    return app


def _with_oest(web: TestClient) -> None:
    app = _app(web)
    seed_scenarios(app.state.sessions, [EXAMPLES / "oestdanmark" / "baseline.yaml"],
                   region=app.state.regions.get("oestdanmark"), region_id="oestdanmark")


def _listed(web: TestClient) -> list[str]:
    return re.findall(r'<tr data-scenario="([^"]+)"', web.get("/scenarier").text)


def _choose(web: TestClient, region: str, next_path: str = "/scenarier") -> None:
    response = web.get(f"/region?region={region}&next={next_path}")
    assert response.status_code == 303
    assert response.headers["location"] == next_path


def test_the_header_picks_a_region_and_the_scenario_list_follows(web: TestClient) -> None:
    _with_oest(web)
    page_login(web, "viewer")
    page = web.get("/scenarier").text
    assert re.findall(r'<option value="(\w+)"( selected)?>Region', page) == [
        ("sjaelland", " selected"), ("oestdanmark", "")]
    assert _listed(web) == ["Baseline 2026", "Kardiologi med to styrkepositioner"]
    _choose(web, "oestdanmark")
    assert '<option value="oestdanmark" selected>Region Østdanmark' in web.get("/").text
    assert _listed(web) == [OEST_BASELINE]
    for path in ("/scorecard", "/data", "/program", "/scenarier/sammenlign"):
        page = web.get(path)  # every page works on Østdanmark (Bornholm's hospital on it)
        assert page.status_code == 200 and "Region Østdanmark" in page.text, path
    assert "Bornholm" in web.get("/scorecard").text
    _choose(web, "sjaelland")
    assert _listed(web) == ["Baseline 2026", "Kardiologi med to styrkepositioner"]


def test_an_unknown_region_is_404_and_a_stale_cookie_means_the_default(web: TestClient) -> None:
    page_login(web, "viewer")
    assert web.get("/region?region=fyn&next=/").status_code == 404
    web.cookies.set("bass_region", "fyn")
    assert _listed(web) == ["Baseline 2026", "Kardiologi med to styrkepositioner"]


def test_oestdanmarks_map_draws_bornholm_and_outlines_the_councils(web: TestClient) -> None:
    _with_oest(web)
    page_login(web, "viewer")
    _choose(web, "oestdanmark", "/")
    page = web.get("/?specialty=kardiologi&indicator=area_travel_minutes").text
    region = _app(web).state.regions.get("oestdanmark")
    assert len(re.findall(r'<path d="[^"]+" fill="[^"]+" fill-rule', page)) == 46
    bornholm = re.search(r'data-area="400" data-group="([^"]+)"><title>([^<]+)</title>', page)
    assert bornholm is not None
    assert bornholm.group(1) == "Sundhedsråd Hovedstaden"
    assert bornholm.group(2).startswith("Bornholm – Sundhedsråd Hovedstaden: ")
    assert 'class="inset"' in page  # Bornholm in its own box
    # the council table: one row per sundhedsråd of councils.csv, residents summed by hand
    councils = read_table(bundled_region_dir("oestdanmark") / "councils.csv",
                          ("area_code", "council")).rows
    of_area = {r.cells["area_code"]: r.cells["council"] for r in councils}
    evaluation = evaluate(region, Scenario(name="b", year=2027))
    totals: dict[str, float] = {}
    for area, people in zip(region.areas, evaluation.residents, strict=True):
        totals[of_area[area.code]] = totals.get(of_area[area.code], 0.0) + float(people)
    shown = dict(re.findall(r'<tr data-council="([^"]+)"><th>.*?</th><td class="num">([^<]+)',
                            page))
    assert len(totals) == 6
    assert shown == {name: format_number(total, "da") for name, total in totals.items()}


def test_sjaellands_map_outlines_its_councils_without_bornholm(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/?specialty=kardiologi").text
    councils = set(_app(web).state.regions.get("sjaelland").councils)
    assert set(re.findall(r'<tr data-council="([^"]+)"', page)) == councils
    assert 'data-area="400"' not in page and 'class="inset"' not in page


def test_a_scenario_of_another_region_keeps_its_own(web: TestClient) -> None:
    _with_oest(web)
    page_login(web, "viewer")
    assert web.get(f"/?scenario={OEST_BASELINE}").status_code == 404  # not Sjælland's
    page = web.get(f"/scenarier/{OEST_BASELINE}")  # its own page: evaluated on Østdanmark
    assert page.status_code == 200 and "Bornholm" in page.text
    mixed = web.get(f"/scenarier/sammenlign?a=Baseline 2026&b={OEST_BASELINE}")
    assert mixed.status_code == 422 and "compare within one region" in mixed.text


def test_a_new_scenario_is_stored_in_the_chosen_region(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    _choose(web, "oestdanmark", "/scenarier/nyt")
    form = web.get("/scenarier/nyt").text
    assert 'value="rh_blegdamsvej"' in form and 'value="bornholm"' in form
    text = "name: øst\nyear: 2030\nstrength_positions:\n  kardiologi: [bornholm]\n"
    created = web.post("/scenarier/nyt/yaml", data={"csrf_token": csrf, "name": "Bornholm-kardio",
                                                     "description": "", "yaml_text": text})
    assert created.status_code == 303, created.text
    assert get_scenario(_app(web).state.sessions, name="Bornholm-kardio").region == "oestdanmark"
    assert _listed(web) == ["Bornholm-kardio"]


def test_imported_tables_belong_to_their_region(web: TestClient) -> None:
    csrf = page_login(web, "admin")
    _choose(web, "oestdanmark", "/data")
    path = bundled_region_dir("oestdanmark") / "staffing.csv"
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    before = float(rows[0]["specialist_fte"])
    rows[0]["specialist_fte"] = f"{before + 1:g}"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    upload = web.post("/data/staffing/importer", data={"csrf_token": csrf},
                      files={"file": ("s.csv", buffer.getvalue().encode(), "text/csv")})
    assert upload.status_code == 303, upload.text
    regions = _app(web).state.regions
    assert (regions.revision("oestdanmark"), regions.revision("sjaelland")) == (1, 0)
    oest = web.get("/api/data").json()
    assert (oest["region_id"], {t["kind"]: t["origin"] for t in oest["tables"]}["staffing"]) == (
        "oestdanmark", "imported")
    own = web.get("/api/data?region=sjaelland").json()
    assert {t["kind"]: t["origin"] for t in own["tables"]}["staffing"] == "bundled"
    oest_region = regions.get("oestdanmark")
    s = oest_region.specialty_index(rows[0]["specialty_id"])
    j = oest_region.site_index(rows[0]["site_id"])
    assert oest_region.staffing.specialist_fte[s, j] == before + 1
    sj = regions.get("sjaelland")  # Køge's own figure in Region Sjælland is untouched
    bundled = read_table(bundled_region_dir("sjaelland") / "staffing.csv",
                         ("specialty_id", "site_id", "specialist_fte")).rows
    own = next(float(r.cells["specialist_fte"]) for r in bundled
               if (r.cells["specialty_id"], r.cells["site_id"]) == (
                   rows[0]["specialty_id"], rows[0]["site_id"]))
    assert sj.staffing.specialist_fte[sj.specialty_index(rows[0]["specialty_id"]),
                                      sj.site_index(rows[0]["site_id"])] == own
