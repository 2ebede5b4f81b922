"""The Scenarier pages: the list, creating from levers or YAML (invalid input refused with the
key named and nothing stored), editing with the version read (409 keeps the user's text),
cloning, deleting, roles and CSRF, comparing two scenarios, and optimise and simulate jobs
started from the page and listed with their results."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from bassplan.api.jobs import JobContext, JobRunner
from bassplan.data import load_scenario
from bassplan.domain.phrase import phrase
from bassplan.domain.region import Region
from bassplan.i18n.labels import label
from bassplan.model.evaluate import evaluate
from bassplan.scorecard.score import changed_colours, score
from bassplan.store import repository
from bassplan.store.errors import NotFound
from bassplan.views.formatting import format_number, site_short
from bassplan.views.records import headlines
from bassplan.web.render import WEB_TEMPLATES
from tests.support.api import TestClient
from tests.support.web import EXAMPLES, form_token, page_login

BASE = "Baseline 2026"
CARDIO = "Kardiologi med to styrkepositioner"
DEADLINE_SECONDS = 120.0  # a guard against hanging, not a timing assertion


def state(web: TestClient) -> Any:
    """The started app's state (region, sessions, indicators, jobs)."""
    return web.app.state  # type: ignore[attr-defined]


def region_of(web: TestClient) -> Region:
    region: Region = state(web).regions.get("sjaelland")
    return region


def stored(web: TestClient) -> dict[str, tuple[int, str]]:
    """Every stored scenario: name → (version, YAML)."""
    sessions = state(web).sessions
    return {row.name: (row.version, row.yaml) for row in repository.list_scenarios(sessions)}


def alert(page: str) -> str:
    """The page's error message (unescaped)."""
    found = re.search(r'<p class="alert" role="alert" id="scenario-error">([^<]*)</p>', page)
    assert found, "no error message on the page"
    return html.unescape(found.group(1))


def lever_form(region: Region, csrf: str, name: str, **changes: Any) -> dict[str, Any]:
    """The lever form as the page first shows it (every acute site ticked, 0 %), changed."""
    acute = [s.id for s in region.sites if s.active and s.acute]
    data: dict[str, Any] = {"csrf_token": csrf, "name": name, "description": "", "year": "2027"}
    for spec in region.specialties:
        data[f"sp_{spec.id}"] = list(acute)
        data[f"digital_{spec.id}"] = "0"
        data[f"pro_{spec.id}"] = "0"
    data.update(changes)
    return data


def url(name: str, suffix: str = "") -> str:
    from urllib.parse import quote

    return f"/scenarier/{quote(name, safe='')}{suffix}"


def test_list_and_page_show_the_stored_scenarios(web: TestClient) -> None:
    page_login(web, "viewer")
    listing = web.get("/scenarier")
    assert listing.status_code == 200
    rows = re.findall(r'<tr data-scenario="([^"]+)"><td><a href="([^"]+)">', listing.text)
    assert [name for name, _ in rows] == sorted([BASE, CARDIO])
    assert 'id="new-scenario"' not in listing.text  # viewers cannot create
    assert "<td class=\"num\">2027</td>" in listing.text  # the cardiology scenario's year

    page = web.get(dict(rows)[CARDIO])
    assert page.status_code == 200
    assert 'id="scenario-edit-form"' not in page.text and 'id="scenario-yaml"' in page.text
    assert "scenario-optimise-form" not in page.text
    region = region_of(web)
    evaluation = evaluate(region, load_scenario(EXAMPLES / "kardiologi_styrkepositioner.yaml",
                                                region))
    kardio = next(h for h in headlines(evaluation) if h.specialty_id == "kardiologi")
    table = page.text[page.text.index('id="headline-table"'):]
    row = re.search(r"<tr><td>Kardiologi</td>((?:<td class=\"num\">[^<]*</td>)+)", table)
    assert row, "no cardiology row in the headline table"
    cells = re.findall(r">([^<]*)</td>", row.group(1))
    assert cells[0] == format_number(kardio.p90_minutes, "da")
    places = page.text[page.text.index('id="places-table"'):]
    assert "<td>Kardiologi</td><td>SUH Køge, Slagelse</td>" in places  # sites.csv short_name
    assert 'href="/scorecard?scenario=Kardiologi%20med%20to%20styrkepositioner"' in page.text


def test_create_from_levers_stores_the_chosen_strength_positions(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    form_page = web.get("/scenarier/nyt")
    assert form_page.status_code == 200 and 'id="scenario-create-form"' in form_page.text
    region = region_of(web)
    chosen = ["suh_koege", "suh_nykobing_f"]
    response = web.post("/scenarier/nyt", data=lever_form(
        region, csrf, "Kardio fra håndtag", sp_kardiologi=chosen, digital_kardiologi="30",
        pro_endokrinologi="25", description="To styrkepositioner"))
    assert response.status_code == 303, response.text
    assert response.headers["location"] == url("Kardio fra håndtag") + "?ok=sc_created"
    version, text = stored(web)["Kardio fra håndtag"]
    data = yaml.safe_load(text)
    assert version == 1 and data["name"] == "Kardio fra håndtag" and data["year"] == 2027
    assert data["strength_positions"] == {"kardiologi": chosen}  # the others keep every site
    assert data["digital_share"] == {"kardiologi": {"follow_up": 0.3}}
    assert data["need_based_follow_up"] == {"endokrinologi": {"pro_share": 0.25}}
    evaluated = web.post("/api/scenarios/Kardio fra håndtag/evaluate",
                         headers={"X-CSRF-Token": csrf})
    assert evaluated.status_code == 200, evaluated.text
    heads = {h["specialty_id"]: h for h in evaluated.json()["specialties"]}
    assert heads["kardiologi"]["strength_positions"] == chosen
    page = web.get(response.headers["location"])
    assert "Scenariet er oprettet." in page.text


def test_upload_and_paste_store_the_yaml(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    example = (EXAMPLES / "optimer_kardiologi.yaml").read_text(encoding="utf-8")
    uploaded = web.post("/scenarier/nyt/yaml", data={"csrf_token": csrf, "name": ""},
                        files={"yaml_file": ("optimer.yaml", example.encode(), "text/yaml")})
    assert uploaded.status_code == 303, uploaded.text
    assert stored(web)["Kardiologi optimeret"][1] == example  # the file's own name and text
    again = web.post("/scenarier/nyt/yaml", data={"csrf_token": csrf, "name": ""},
                     files={"yaml_file": ("optimer.yaml", example.encode(), "text/yaml")})
    assert again.status_code == 409 and "Kardiologi optimeret" in alert(again.text)
    assert "max_strength_positions: 3" in again.text  # the file's text, to correct

    pasted = web.post("/scenarier/nyt/yaml", files={"yaml_file": ("", b"", "text/yaml")},
                      data={"csrf_token": csrf, "name": "Indsat", "yaml_text": example})
    assert pasted.status_code == 303, pasted.text
    text = stored(web)["Indsat"][1]
    assert yaml.safe_load(text)["name"] == "Indsat"  # renamed to the name asked for ...
    assert text.startswith("# BASS optimisation")  # ... keeping the comments
    assert text.replace("name: Indsat", "name: Kardiologi optimeret") == example


INVALID = (  # (YAML after name and year, what the message must name)
    ("strength_position:\n  kardiologi: [suh_koege]\n", "ukendt nøgle 'strength_position'"),
    ("strength_positions:\n  kardiologi: [findes_ikke]\n", "strength_positions.kardiologi[0]"),
    ("year: [unclosed\n", "not valid YAML"),
)


def test_invalid_yaml_is_refused_naming_the_key(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    before = stored(web)
    for posted, named in INVALID:
        text = f"name: Forkert\nyear: 2027\n{posted}"
        response = web.post("/scenarier/nyt/yaml", data={"csrf_token": csrf, "yaml_text": text})
        assert response.status_code == 422
        assert named in alert(response.text)
        assert html.escape(text, quote=False) in response.text  # the text is kept
    empty = web.post("/scenarier/nyt/yaml", data={"csrf_token": csrf, "yaml_text": " "})
    assert empty.status_code == 422 and "yaml_file" in alert(empty.text)
    assert stored(web) == before


def test_levers_without_a_site_are_refused(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    before = stored(web)
    data = lever_form(region_of(web), csrf, "Uden sygehus", digital_kardiologi="40")
    del data["sp_geriatri"]
    response = web.post("/scenarier/nyt", data=data)
    assert response.status_code == 422
    assert "strength_positions.geriatri" in alert(response.text)
    assert 'name="name" id="create-name" value="Uden sygehus"' in response.text
    assert 'name="digital_kardiologi" type="number" min="0" max="100" step="any" value="40"' \
        in response.text
    taken = web.post("/scenarier/nyt", data=lever_form(region_of(web), csrf, BASE))
    assert taken.status_code == 409
    assert alert(taken.text) == f"Der findes allerede et scenarie med navnet '{BASE}'."
    assert stored(web) == before


def test_edit_conflict_keeps_the_users_text(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    page = web.get(url(CARDIO)).text
    assert 'name="expected_version" value="1"' in page
    text = stored(web)[CARDIO][1]
    first = text.replace("days_per_week: 2}", "days_per_week: 3}", 1)
    saved = web.post(url(CARDIO, "/gem"), data={
        "csrf_token": csrf, "expected_version": "1", "yaml": first, "description": "Første"})
    assert saved.status_code == 303 and saved.headers["location"].endswith("?ok=sc_saved")
    assert stored(web)[CARDIO] == (2, first)

    second = text.replace("year: 2027", "year: 2030")
    late = web.post(url(CARDIO, "/gem"), data={
        "csrf_token": csrf, "expected_version": "1", "yaml": second, "description": "Anden"})
    assert late.status_code == 409
    assert alert(late.text) == ("Scenariet er ændret af en anden (version 2, du havde 1). "
                                "Genindlæs og ret igen.")
    assert html.escape(second) in late.text  # what the user typed is still in the form
    assert 'name="expected_version" value="1"' in late.text
    assert stored(web)[CARDIO] == (2, first)

    broken = web.post(url(CARDIO, "/gem"), data={
        "csrf_token": csrf, "expected_version": "2", "yaml": first + "pool_staff: alle\n"})
    assert broken.status_code == 422 and "pool_staff" in alert(broken.text)
    assert stored(web)[CARDIO] == (2, first)


def test_clone_renames_the_copy(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    response = web.post(url(BASE, "/klon"), data={"csrf_token": csrf, "new_name": "Kopi"})
    assert response.status_code == 303
    assert response.headers["location"] == url("Kopi") + "?ok=sc_cloned"
    original, copy = stored(web)[BASE][1], stored(web)["Kopi"][1]
    assert copy == original.replace(f"name: {BASE}", "name: Kopi")
    assert yaml.safe_load(copy)["name"] == "Kopi"
    again = web.post(url(BASE, "/klon"), data={"csrf_token": csrf, "new_name": CARDIO})
    assert again.status_code == 409 and CARDIO in alert(again.text)


def test_delete_needs_the_confirmation_and_the_version(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    unticked = web.post(url(CARDIO, "/slet"), data={"csrf_token": csrf, "expected_version": "1"})
    assert unticked.status_code == 422 and "confirm" in alert(unticked.text)
    stale = web.post(url(CARDIO, "/slet"), data={"csrf_token": csrf, "expected_version": "0",
                                                 "confirm": "yes"})
    assert stale.status_code == 409
    assert CARDIO in stored(web)
    done = web.post(url(CARDIO, "/slet"), data={"csrf_token": csrf, "expected_version": "1",
                                                "confirm": "yes"})
    assert done.status_code == 303 and done.headers["location"] == "/scenarier?ok=sc_deleted"
    assert CARDIO not in stored(web)
    assert "Scenariet er slettet." in web.get(done.headers["location"]).text
    assert web.get(url(CARDIO)).status_code == 404


# (path, form fields) of every changing form, filled in validly
POSTS: tuple[tuple[str, dict[str, str]], ...] = (
    ("/scenarier/nyt/yaml", {"yaml_text": "name: Ny\nyear: 2027\n"}),
    (url(CARDIO, "/gem"), {"expected_version": "1", "yaml": "name: X\nyear: 2028\n"}),
    (url(CARDIO, "/klon"), {"new_name": "Klon"}),
    (url(CARDIO, "/slet"), {"expected_version": "1", "confirm": "yes"}),
    (url(CARDIO, "/optimer"), {"specialty": "kardiologi"}),
    (url(CARDIO, "/simuler"), {"replications": "1", "days": "7"}),
    (url(CARDIO, "/koersler/abc/gem"), {"new_name": "Plan"}),
    (url(CARDIO, "/koersler/abc/annuller"), {}),
)


def test_viewers_and_forms_without_the_token_change_nothing(web: TestClient) -> None:
    csrf = page_login(web, "viewer")
    before = stored(web)
    assert web.get("/scenarier/nyt").status_code == 403
    region = region_of(web)
    for path, fields in (("/scenarier/nyt", lever_form(region, csrf, "Ny")), *POSTS):
        response = web.post(path, data={**fields, "csrf_token": csrf})
        assert response.status_code == 403, path
        assert "Din rolle må ikke gøre dette." in response.text
    web.cookies.clear()
    planner = page_login(web, "planner")
    for path, fields in (("/scenarier/nyt", lever_form(region, planner, "Ny")), *POSTS):
        for token in (None, "forfalsket"):
            data = {k: v for k, v in fields.items() if k != "csrf_token"}
            if token:
                data["csrf_token"] = token
            response = web.post(path, data=data)
            assert response.status_code == 403, path
    assert stored(web) == before
    assert web.get("/api/jobs").json() == []


def test_compare_shows_both_and_the_colours_that_changed(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/scenarier/sammenlign", params={"a": BASE, "b": CARDIO})
    assert page.status_code == 200
    assert f'<a href="{url(BASE)}">{BASE}</a> → <a href="{url(CARDIO)}">{CARDIO}</a>' in page.text
    region = region_of(web)
    indicators = state(web).indicators
    cards = [score(evaluate(region, load_scenario(EXAMPLES / f, region)), indicators)
             for f in ("baseline.yaml", "kardiologi_styrkepositioner.yaml")]
    expected = [(c.indicator_id, c.specialty_id, c.site_id or "",
                 f"{c.colour_a.value}-{c.colour_b.value}")
                for c in changed_colours(*cards)]
    shown = re.findall(r'<tr data-indicator="(\w+)" data-specialty="(\w+)" data-site="(\w*)" '
                       r'data-colours="([\w-]+)">', page.text)
    assert expected and shown == expected
    assert page.text.count('<table class="heat">') == 2
    assert 'data-indicator="' not in page.text.split('id="compare-changed"')[0]  # not clickable
    reverse = web.get("/scenarier/sammenlign", params={"a": CARDIO, "b": BASE})
    assert len(re.findall(r"<tr data-indicator=", reverse.text)) == len(expected)
    same = web.get("/scenarier/sammenlign", params={"a": BASE, "b": BASE})
    assert 'id="changed-colours-none"' in same.text
    assert web.get("/scenarier/sammenlign", params={"a": "findes-ikke"}).status_code == 404


def poll_done(web: TestClient, scenario: str) -> dict[str, Any]:
    """The scenario's only job, once finished (polled through the API as the page does)."""
    [job] = web.get("/api/jobs", params={"scenario": scenario}).json()
    deadline = time.monotonic() + DEADLINE_SECONDS
    while job["status"] not in ("done", "failed", "cancelled", "interrupted"):
        assert time.monotonic() < deadline, f"job still {job['status']}"
        time.sleep(0.02)
        job = web.get(f"/api/jobs/{job['id']}").json()
    found: dict[str, Any] = job
    return found


def test_a_simulation_started_on_the_page_is_listed_with_its_bands(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    response = web.post(url(CARDIO, "/simuler"), data={
        "csrf_token": csrf, "replications": "2", "days": "7", "seed": "3"})
    assert response.status_code == 303
    assert response.headers["location"] == url(CARDIO) + "?ok=sc_job_started"
    job = poll_done(web, CARDIO)
    assert job["status"] == "done", job
    assert job["result"]["replications"] == 2 and job["result"]["seed"] == 3
    page = web.get(url(CARDIO)).text
    article = page[page.index(f'id="job-{job["id"]}"'):]
    article = article[:article.index("</article>")]
    assert 'data-status="done"' in article and "færdig" in article
    kardio = next(r for r in job["result"]["specialties"] if r["specialty"] == "kardiologi")
    band = kardio["overtime_hours"]
    shown = (f"{format_number(band['p50'], 'da')} [{format_number(band['p5'], 'da')}–"
             f"{format_number(band['p95'], 'da')}]")
    row = re.search(r"<tr><td>Kardiologi</td>(.*?)</tr>", article)
    assert row and shown in row.group(1)

    bad = web.post(url(CARDIO, "/simuler"), data={"csrf_token": csrf, "replications": "0"})
    assert bad.status_code == 422 and "replications" in alert(bad.text)


def test_an_optimisation_from_the_page_can_be_saved_as_a_scenario(web: TestClient) -> None:
    from bassplan.optimise import optimise

    csrf = page_login(web, "planner")
    example = EXAMPLES / "optimer_kardiologi.yaml"
    web.post("/scenarier/nyt/yaml", data={"csrf_token": csrf, "name": "Opt",
                                          "yaml_text": example.read_text(encoding="utf-8")})
    unknown = web.post(url("Opt", "/optimer"), data={"csrf_token": csrf, "specialty": "x"})
    assert unknown.status_code == 422 and "specialties" in alert(unknown.text)
    taken = web.post(url("Opt", "/optimer"), data={"csrf_token": csrf, "save_as": BASE})
    assert taken.status_code == 409
    started = web.post(url("Opt", "/optimer"), data={
        "csrf_token": csrf, "specialty": "kardiologi", "time_limit_seconds": "60"})
    assert started.status_code == 303
    job = poll_done(web, "Opt")
    assert job["status"] == "done", job
    region = region_of(web)
    plan = optimise(region, load_scenario(example, region), ["kardiologi"], time_limit=60)
    positions = plan.specialty("kardiologi").strength_positions
    page = web.get(url("Opt")).text
    names = ", ".join(site_short(region.sites[region.site_index(x)]) for x in positions)
    assert f"<tr><td>Kardiologi</td><td>{names}</td>" in page
    assert f'id="job-save-form-{job["id"]}"' in page
    saved = web.post(url("Opt", f"/koersler/{job['id']}/gem"),
                     data={"csrf_token": csrf, "new_name": "Opt plan"})
    assert saved.status_code == 303
    data = yaml.safe_load(stored(web)["Opt plan"][1])
    assert data["name"] == "Opt plan"
    assert data["strength_positions"]["kardiologi"] == list(positions)
    assert f'id="job-save-form-{job["id"]}"' in web.get(url("Opt")).text  # kept for more names


def test_a_running_job_shows_its_progress(web: TestClient) -> None:
    page_login(web, "viewer")
    runner: JobRunner = state(web).jobs
    release = threading.Event()
    started = threading.Event()

    def work(job: JobContext) -> dict[str, Any]:
        job.report(0.25, "Halvvejs mod noget")
        started.set()
        release.wait(DEADLINE_SECONDS)
        return {}

    job = runner.submit("simulate", BASE, 1, work)
    try:
        assert started.wait(DEADLINE_SECONDS)
        page = web.get(url(BASE)).text
        shown = f'<div data-job="{job.id}" class="sc-job-progress">'
        assert f'{shown}<progress max="1" value="0.25">' in page
        assert "Halvvejs mod noget" in page and "job-cancel-form" not in page  # a viewer
    finally:
        release.set()


def _article(page: str, element_id: str) -> str:
    """The <article> with this id, as HTML."""
    found = page[page.index(f'id="{element_id}"'):]
    return found[:found.index("</article>")]


def test_a_simulation_is_kept_with_the_scenario_and_shown_to_everyone(
        web: TestClient) -> None:
    csrf = page_login(web, "planner")
    web.post(url(CARDIO, "/simuler"), data={"csrf_token": csrf, "replications": "2",
                                            "days": "7", "seed": "3"})
    job = poll_done(web, CARDIO)
    assert job["status"] == "done", job
    assert f'id="job-keep-form-{job["id"]}"' in web.get(url(CARDIO)).text
    kept = web.post(url(CARDIO, f"/koersler/{job['id']}/behold"),
                    data={"csrf_token": csrf, "sim_name": "To år"})
    assert kept.status_code == 303
    assert kept.headers["location"] == url(CARDIO) + "?ok=sc_simulation_saved"
    page = web.get(kept.headers["location"]).text
    assert "Simuleringsresultatet er gemt med scenariet." in page
    taken = web.post(url(CARDIO, f"/koersler/{job['id']}/behold"),
                     data={"csrf_token": csrf, "sim_name": "To år"})
    assert taken.status_code == 409
    assert alert(taken.text) == "Scenariet har allerede et gemt resultat med navnet 'To år'."
    [saved] = web.get(f"/api/scenarios/{CARDIO}/simulations").json()
    article = _article(page, f"saved-simulation-{saved['id']}")
    assert "<h3>To år</h3>" in article
    assert "2 gentagelser à 7 dage, seed 3 · simuleret på version 1 · gemt af Planner" in article
    kardio = next(r for r in job["result"]["specialties"] if r["specialty"] == "kardiologi")
    band = kardio["overtime_hours"]
    shown = (f"{format_number(band['p50'], 'da')} [{format_number(band['p5'], 'da')}–"
             f"{format_number(band['p95'], 'da')}]")
    row = re.search(r"<tr><td>Kardiologi</td>(.*?)</tr>", article)
    assert row and shown in row.group(1)
    # someone else: sees the saved result, not the planner's job, and cannot change it
    web.post("/logout", data={"csrf_token": csrf})
    page_login(web, "viewer")
    other = web.get(url(CARDIO)).text
    assert f'id="saved-simulation-{saved["id"]}"' in other
    assert f'id="job-{job["id"]}"' not in other and "saved-delete-form" not in other
    web.get("/sprog/en?next=/")
    english = web.get(url(CARDIO)).text
    assert "Saved simulations" in english
    assert "2 replications of 7 days, seed 3 · simulated on version 1" in english
    web.get("/sprog/da?next=/")
    # an edit of the scenario is shown against the saved result
    web.post("/logout", data={"csrf_token": form_token(other)})
    csrf = page_login(web, "planner")
    version = stored(web)[CARDIO][0]
    repository.update_scenario(state(web).sessions, name=CARDIO, expected_version=version,
                               description="Ændret")
    assert "scenariet er ændret siden (nu version 2)" in web.get(url(CARDIO)).text
    gone = web.post(url(CARDIO, f"/simuleringer/{saved['id']}/slet"), data={"csrf_token": csrf})
    assert gone.status_code == 303
    assert web.get(f"/api/scenarios/{CARDIO}/simulations").json() == []
    assert "Ingen gemte simuleringer for scenariet." in web.get(url(CARDIO)).text


def test_an_interrupted_job_says_so_in_the_readers_language(web: TestClient) -> None:
    from bassplan.store import jobs as stored_jobs
    from bassplan.store.accounts import get_user
    from bassplan.store.models import now_utc

    page_login(web, "planner")
    sessions = state(web).sessions
    stored_jobs.add_job(sessions, job_id="d" * 32, kind="simulate", scenario=BASE,
                        requested_by=get_user(sessions, username="planner").id, request={},
                        message=phrase("job_waiting"), created_at=now_utc())
    assert stored_jobs.interrupt_unfinished(sessions) == 1  # as the next start does
    article = _article(web.get(url(BASE)).text, "job-" + "d" * 32)
    assert 'data-status="interrupted"' in article and "afbrudt" in article
    assert "Serveren stoppede, før kørslen blev færdig (genstart eller nedbrud)." in article
    web.get("/sprog/en?next=/")
    article = _article(web.get(url(BASE)).text, "job-" + "d" * 32)
    assert "interrupted" in article and "The server stopped before the run finished" in article
    web.get("/sprog/da?next=/")


def test_english_labels(web: TestClient) -> None:
    page_login(web, "planner")
    web.get("/sprog/en?next=/scenarier")
    listing = web.get("/scenarier").text
    assert "New scenario" in listing and "<th>Changed</th>" in listing
    assert "Optimise strength positions" in web.get(url(BASE)).text
    assert "Build with levers" in web.get("/scenarier/nyt").text


def test_every_label_of_the_scenario_templates_exists() -> None:
    keys: set[str] = set()
    for path in Path(WEB_TEMPLATES).glob("*scenarios*.html"):
        keys |= set(re.findall(r"\bL\.(\w+)", path.read_text(encoding="utf-8")))
    keys |= {f"sc_kind_{k}" for k in ("optimise", "simulate")}
    keys |= {f"sc_job_{s}" for s in ("queued", "running", "done", "failed", "cancelled",
                                     "interrupted")}
    assert len(keys) > 40
    for key in keys:
        assert label(key, "da") != key and label(key, "en") != key, key


def test_unknown_scenario_and_job(web: TestClient) -> None:
    csrf = page_login(web, "planner")
    assert web.get(url("findes-ikke")).status_code == 404
    response = web.post(url(BASE, "/koersler/ukendt/gem"),
                        data={"csrf_token": csrf, "new_name": "X"})
    assert response.status_code == 404
    with pytest.raises(NotFound):
        repository.get_scenario(state(web).sessions, name="X")


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed")
def test_the_meeting_pack_buttons_give_a4_pdfs_naming_the_data(web: TestClient) -> None:
    """The scenario and comparison pages link the meeting pack; both links answer a PDF with
    the scenario (and baseline) on its front page; both pages name the data version."""
    page_login(web, "viewer")
    detail = web.get(url(CARDIO)).text
    link = re.search(r'id="scenario-pdf" href="([^"]+)"', detail)
    assert link is not None
    fingerprint = region_of(web).data_version.fingerprint
    assert f"fingeraftryk {fingerprint}); ingen importerede tabeller" in detail
    one = web.get(html.unescape(link.group(1)))
    assert one.status_code == 200 and one.content.startswith(b"%PDF-")
    assert one.headers["content-type"] == "application/pdf"
    assert "moedepakke-Kardiologi-med-to-styrkepositioner.pdf" in one.headers[
        "content-disposition"]
    compare = web.get("/scenarier/sammenlign", params={"a": BASE, "b": CARDIO}).text
    assert f"fingeraftryk {fingerprint}" in compare
    link = re.search(r'id="compare-pdf" href="([^"]+)"', compare)
    assert link is not None
    both = web.get(html.unescape(link.group(1)))
    assert both.status_code == 200 and both.content.startswith(b"%PDF-")
    if shutil.which("pdftotext"):
        front = subprocess.run(["pdftotext", "-l", "1", "-", "-"], input=both.content,
                               capture_output=True, check=True).stdout.decode()
        assert f"Sammenligning: {BASE} → {CARDIO}" in front
    missing = web.get("/scenarier/sammenlign.pdf", params={"a": BASE, "b": "findes-ikke"})
    assert missing.status_code == 404


def test_a_scenarios_page_compares_from_the_baseline_to_it(web: TestClient) -> None:
    """The scenario page's comparison reads baseline → this scenario: the partner picker
    defaults to the first stored scenario (the seeded baseline) and the scenario is b."""
    page_login(web, "viewer")
    page = web.get(url(CARDIO)).text
    form = page[page.index('id="detail-compare-form"'):].split("</form>")[0]
    first = min(repository.list_scenarios(state(web).sessions), key=lambda r: r.id).name
    assert first == BASE
    assert f'<option value="{BASE}" selected>' in form
    assert f'<input type="hidden" name="b" value="{CARDIO}">' in form
    assert f'<option value="{CARDIO}"' not in form
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    icon = web.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.text.startswith("<svg")
