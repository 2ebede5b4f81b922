"""The Data page's API: import (admin only; every invalid row listed, nothing changed on a
failure), back to the region's own table, the overview, and the workbook export."""

from __future__ import annotations

import io
import json

import httpx
import openpyxl
from fastapi import FastAPI

from bassplan.api.app import create_app
from bassplan.store.audit import list_audit
from tests.support.api import TestClient, assert_problem, bearer, login, settings_for

HEADER = "specialty_id,site_id,specialist_fte,trainee_fte,vacant_fte,on_call_specialists\n"
GOOD = HEADER + "kardiologi,suh_koege,20,6,1,20\ngeriatri,holbaek,4,3,0,4\n"
BAD = HEADER + (
    "kardiologi,suh_koege,20,6,1,20\n"  # row 2: fine
    "kardiologi,holbaek,-1,0,0,0\n"  # row 3: negative
    "kardiologi,ukendt,1,1,1,1\n"  # row 4: unknown site
    "geriatri,holbaek,4,tre,0,4\n"  # row 5: not a number
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(client: TestClient, auth: dict[str, str], text: str, kind: str = "staffing",
            name: str = "staffing.csv") -> httpx.Response:
    return client.post(f"/api/data/{kind}", files={"file": (name, text.encode(), "text/csv")},
                       headers=auth)


def _app(client: TestClient) -> FastAPI:
    app: FastAPI = client.app  # type: ignore[assignment]
    return app


def _fte(client: TestClient, specialty: str, site: str) -> float:
    region = _app(client).state.regions.get("sjaelland")
    s = [x.id for x in region.specialties].index(specialty)
    j = [x.id for x in region.sites].index(site)
    return float(region.staffing.specialist_fte[s, j])


def test_only_an_admin_imports(client: TestClient) -> None:
    for role in ("viewer", "planner", "program"):
        body = assert_problem(_upload(client, bearer(client, role), GOOD), 403)
        assert "needs 'admin'" in str(body["detail"])
    assert _app(client).state.regions.revision("sjaelland") == 0
    assert _fte(client, "kardiologi", "suh_koege") == 13.5  # the bundled staffing.csv

    csrf = login(client, "admin")  # a cookie session: the upload needs the CSRF header
    assert_problem(_upload(client, {}, GOOD), 403)
    done = _upload(client, {"X-CSRF-Token": csrf}, GOOD)
    assert done.status_code == 200, done.text
    summary = done.json()
    assert (summary["kind"], summary["origin"], summary["rows"]) == ("staffing", "imported", 2)
    assert (summary["uploaded_by"], summary["filename"], summary["version"]) == (
        "admin", "staffing.csv", 1)
    assert _app(client).state.regions.revision("sjaelland") == 1
    assert _fte(client, "kardiologi", "suh_koege") == 20
    assert _fte(client, "kardiologi", "holbaek") == 0  # absent from the file

    overview = client.get("/api/data", headers=bearer(client, "viewer")).json()
    assert overview["region_revision"] == 1
    lines = {t["kind"]: t for t in overview["tables"]}
    assert (lines["staffing"]["origin"], lines["staffing"]["uploaded_by"]) == ("imported", "admin")
    # 7 specialties × 4 rated contact types × 18 age bands + nephrology's 18 dialysis bands
    assert (lines["rates"]["origin"], lines["rates"]["rows"]) == ("bundled", 7 * 4 * 18 + 18)
    assert (lines["residents"]["table"], lines["residents"]["rows"]) == ("population_by_age", 1717)
    assert (lines["travel_matrix"]["origin"], lines["travel_matrix"]["rows"]) == ("absent", None)


def test_a_failed_import_lists_every_row_and_changes_nothing(client: TestClient) -> None:
    admin = bearer(client, "admin")
    assert _upload(client, admin, GOOD).status_code == 200
    region = _app(client).state.regions.get("sjaelland")
    before = client.get("/api/data", headers=admin).json()

    body = assert_problem(_upload(client, admin, BAD, name="ny.csv"), 422)
    assert body["type"] == "/problems/invalid-input"
    errors = body["errors"]
    assert isinstance(errors, list)
    assert [(e["row"], e["field"]) for e in errors] == [
        (3, "specialist_fte"), (4, "site_id"), (5, "trainee_fte")]
    assert "'tre' is not a number" in errors[2]["message"]
    assert "ny.csv, row 3" in str(body["detail"]) and "2 more problems" in str(body["detail"])

    assert client.get("/api/data", headers=admin).json() == before
    regions = _app(client).state.regions
    assert regions.get("sjaelland") is region and regions.revision("sjaelland") == 1
    entries = list_audit(_app(client).state.sessions, entity="data_table")
    assert [e.action for e in entries] == ["create"]


def test_unknown_kind_and_a_region_that_would_not_load(client: TestClient) -> None:
    admin = bearer(client, "admin")
    body = assert_problem(_upload(client, admin, GOOD, kind="senge"), 422)
    assert "unknown table 'senge'" in str(body["detail"])
    matrix = "area_code,site_id,minutes,km\n253,holbaek,30,25\n"  # one pair of 187
    body = assert_problem(_upload(client, admin, matrix, kind="travel_matrix"), 422)
    errors = body["errors"]
    assert isinstance(errors, list)
    [error] = errors
    assert error["row"] is None and "186 of 187 pairs missing" in error["message"]
    assert _app(client).state.regions.revision("sjaelland") == 0


def test_back_to_the_bundled_table(client: TestClient) -> None:
    admin = bearer(client, "admin")
    assert_problem(client.delete("/api/data/staffing", headers=admin), 404)
    _upload(client, admin, GOOD)
    assert_problem(client.delete("/api/data/staffing", headers=bearer(client, "planner")), 403)
    assert client.delete("/api/data/staffing", headers=admin).status_code == 204
    assert _app(client).state.regions.revision("sjaelland") == 2
    assert _fte(client, "kardiologi", "suh_koege") == 13.5
    line = client.get("/api/data", headers=admin).json()["tables"][0]
    assert (line["kind"], line["origin"], line["rows"]) == ("staffing", "bundled", 77)
    entries = list_audit(_app(client).state.sessions, entity="data_table", entity_id="staffing")
    assert [e.action for e in entries] == ["delete", "create"]
    assert json.loads(entries[0].before or "")["rows"] == 2


def test_export_holds_the_region_in_use(client: TestClient) -> None:
    _upload(client, bearer(client, "admin"), GOOD)
    response = client.get("/api/data/export.xlsx", headers=bearer(client, "viewer"))
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX
    assert response.headers["content-disposition"] == 'attachment; filename="bass-data.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = {name: sum(1 for _ in book[name].iter_rows()) - 1 for name in book.sheetnames}
    book.close()
    # rates: 7 specialties × 4 rated contact types × 18 bands + 18 dialysis bands;
    # workload: 7 × 6 contact types; length of stay: 4 acute sites × ('*', geriatri);
    # morbidity: Lolland and Guldborgsund; fleet: 2021-2050; life table: 2 sexes × ages
    # 0-110; death rates: 2 sexes × 7 periods × 22 bands; official: 17 municipalities × 15
    # years × 7 bands; catchments: 17 municipalities
    assert rows == {"SOURCES": 18, "areas": 17, "population_by_age": 1717, "area_totals": 34,
                    "sites": 11, "organisations": 4, "specialties": 7, "staffing": 2,
                    "rates": 7 * 4 * 18 + 18, "workload": 7 * 6, "parameters": 25,
                    "length_of_stay": 4 * 2, "morbidity": 2, "dialysis_units": 6,
                    "fleet_co2": 30, "life_table": 2 * 111, "death_rates": 2 * 7 * 22,
                    "official_projection": 17 * 15 * 7, "catchments": 17}


def test_a_restarted_server_uses_the_imported_table(client: TestClient) -> None:
    _upload(client, bearer(client, "admin"), GOOD)
    url = _app(client).state.settings.database_url
    with TestClient(create_app(settings_for(url))) as again:
        assert _app(again).state.regions.revision("sjaelland") == 0
        assert _fte(again, "kardiologi", "suh_koege") == 20


def test_lengths_of_stay_and_morbidity_import_and_refuse_by_row(client: TestClient) -> None:
    admin = bearer(client, "admin")
    stays = ("site_id,specialty_id,days_per_admission\n"
             "suh_koege,*,3\nholbaek,*,3\nslagelse,*,3\nsuh_nykobing_f,*,3\n")
    done = _upload(client, admin, stays, "length_of_stay", "liggetid.csv")
    assert done.status_code == 200, done.text
    region = _app(client).state.regions.get("sjaelland")
    assert (region.days_per_admission[:, region.acute_mask] == 3.0).all()  # geriatrics too

    bad = ("area_code,specialty_id,multiplier\n"
           "360,nefrologi,1.9\n"  # row 2: fine
           "999,nefrologi,1.2\n"  # row 3: unknown area
           "376,nefrologi,0\n")  # row 4: out of range
    body = assert_problem(_upload(client, admin, bad, "morbidity", "sygelighed.csv"), 422)
    rows = [(p["row"], p["field"]) for p in body["errors"]]
    assert rows == [(3, "area_code"), (4, "multiplier")]
    region = _app(client).state.regions.get("sjaelland")
    assert region.morbidity is not None  # the bundled table stays


def test_an_evaluation_names_the_imported_table_it_used(client: TestClient) -> None:
    """The evaluate JSON lists the imported staffing table: its file, version, SHA-256 (of the
    canonical CSV, here the upload itself) and import time; back to bundled, none is listed."""
    import hashlib
    from pathlib import Path

    admin = bearer(client, "admin")
    _upload(client, admin, GOOD)
    _upload(client, admin, GOOD.replace("20,6,1,20", "21,6,1,20"), name="normering.csv")
    example = Path(__file__).parents[2] / "examples" / "baseline.yaml"
    body = {"name": "b", "yaml": example.read_text(encoding="utf-8")}
    assert client.post("/api/scenarios", json=body, headers=bearer(client, "planner")).is_success
    used = client.post("/api/scenarios/b/evaluate", headers=admin).json()["data_version"]
    expected_sha = hashlib.sha256(GOOD.replace("20,6,1,20", "21,6,1,20").encode()).hexdigest()
    (table,) = used["imported"]
    assert (used["origin"], table["kind"], table["filename"], table["version"]) == (
        "bundled", "staffing", "normering.csv", 2)
    assert table["sha256"] == expected_sha
    stored = client.get("/api/data", headers=admin).json()["tables"][0]
    assert table["imported_at"][:19] == stored["uploaded_at"][:19]
    assert client.delete("/api/data/staffing", headers=admin).status_code == 204
    again = client.post("/api/scenarios/b/evaluate", headers=admin).json()["data_version"]
    assert again["imported"] == [] and again["fingerprint"] == used["fingerprint"]
