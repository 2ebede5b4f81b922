"""The Data page: everyone sees the tables and exports; an admin imports a staffing table
(the evaluation follows, checked by hand from the CSV), a file with bad rows is listed row by
row with nothing imported, other roles and forged forms are refused, and reset works."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re

import httpx
import openpyxl

from bassplan.data.loaders import bundled_region_dir
from bassplan.store.audit import list_audit
from tests.support.api import TestClient
from tests.support.web import page_login

BUNDLED = bundled_region_dir()
STAFFING = (BUNDLED / "staffing.csv").read_text(encoding="utf-8")
CHANGED = ("kardiologi", "suh_koege")  # in the good file: +2 specialist and +1 trainee FTE
BASELINE = "/api/scenarios/Baseline 2026/evaluate"


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def good_staffing() -> str:
    """The bundled staffing table with kardiologi at Køge 2 specialist and 1 trainee FTE up."""
    rows = _rows(STAFFING)
    for r in rows:
        if (r["specialty_id"], r["site_id"]) == CHANGED:
            r["specialist_fte"] = f"{float(r['specialist_fte']) + 2:g}"
            r["trainee_fte"] = f"{float(r['trainee_fte']) + 1:g}"
    return _csv(rows)


def bad_staffing() -> str:
    """The bundled table with three broken rows (spreadsheet rows 3, 10 and 20)."""
    rows = _rows(STAFFING)
    rows[1]["specialist_fte"] = "-4"  # row 3
    rows[8]["site_id"] = "ukendt"  # row 10
    rows[18]["trainee_fte"] = "tre"  # row 20
    return _csv(rows)


def trainee_productivity() -> float:
    return next(float(r["value"]) for r in _rows((BUNDLED / "parameters.csv").read_text("utf-8"))
                if r["key"] == "trainee_productivity")


def by_hand_available(text: str, specialty: str) -> float:
    """Available FTE of a specialty: specialists + trainees × productivity, over its sites."""
    p = trainee_productivity()
    return sum(float(r["specialist_fte"]) + p * float(r["trainee_fte"])
               for r in _rows(text) if r["specialty_id"] == specialty)


def evaluation(web: TestClient, csrf: str) -> dict[str, object]:
    response = web.post(BASELINE, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    record: dict[str, object] = response.json()
    return record


def available(record: dict[str, object], specialty: str) -> float:
    specialties = record["specialties"]
    assert isinstance(specialties, list)
    return float(next(s["available_fte"] for s in specialties if s["specialty_id"] == specialty))


def team_size(record: dict[str, object], specialty: str, site: str) -> float:
    scores = record["scores"]
    assert isinstance(scores, list)
    return float(next(s["value"] for s in scores if s["indicator"] == "team_size_ratio"
                      and (s["specialty"], s["site"]) == (specialty, site)))


def upload(web: TestClient, csrf: str | None, text: str, kind: str = "staffing",
           name: str = "bemanding.csv") -> httpx.Response:
    data = {} if csrf is None else {"csrf_token": csrf}
    return web.post(f"/data/{kind}/importer", data=data,
                    files={"file": (name, text.encode("utf-8"), "text/csv")})


def origins(web: TestClient) -> dict[str, str]:
    response = web.get("/api/data")
    assert response.status_code == 200
    return {t["kind"]: t["origin"] for t in response.json()["tables"]}


def section(html: str, kind: str) -> str:
    found = re.search(rf'<section class="data-kind" id="kind-{kind}".*?</section>', html, re.S)
    assert found, f"no section for {kind}"
    return found.group(0)


def error_rows(html: str) -> list[tuple[str, str]]:
    table = re.search(r'<table id="import-errors".*?</table>', html, re.S)
    assert table, "no error table"
    return re.findall(r'<tr data-row="(\d*)" data-field="([^"]+)">', table.group(0))


BUNDLED_ORIGINS = {"staffing": "bundled", "rates": "bundled", "residents": "bundled",
                   "travel_matrix": "absent", "length_of_stay": "bundled",
                   "morbidity": "bundled", "dialysis_units": "bundled", "fleet_co2": "bundled",
                   "life_table": "bundled", "death_rates": "bundled",
                   "official_projection": "bundled", "catchments": "bundled"}


def test_everyone_sees_the_tables_but_only_an_admin_the_forms(web: TestClient) -> None:
    page_login(web, "viewer")
    page = web.get("/data")
    assert page.status_code == 200
    assert "<h1>Data: Region Sjælland</h1>" in page.text
    staffing = section(page.text, "staffing")
    assert 'data-origin="bundled"' in staffing and "77 rækker" in staffing
    assert "Illustrative tal</dt><dd class=\"illustrative-flag\">ja" in staffing
    residents = section(page.text, "residents")
    assert "1.717 rækker" in residents and 'illustrative-flag">nej' in residents
    header = STAFFING.splitlines()[0].split(",")
    assert re.findall(r"<code>(\w+)</code> <span", staffing) == header
    assert 'data-origin="absent"' in section(page.text, "travel_matrix")
    assert 'href="/api/data/export.xlsx"' in page.text and "Eksportér til Excel" in page.text
    assert "trainee_productivity" in page.text  # an illustrative parameter is named
    assert "<form method=\"post\" action=\"/data/" not in page.text
    assert "Kun en administrator kan importere tabeller." in page.text

    web.cookies.clear()
    page_login(web, "admin")
    page = web.get("/data").text
    for kind in BUNDLED_ORIGINS:
        form = re.search(rf'<form [^>]*id="upload-{kind}"', page)
        assert form and 'enctype="multipart/form-data"' in form.group(0)
    assert 'accept=".csv,.xlsx"' in page
    assert 'id="reset-' not in page  # nothing imported yet


def test_an_admin_import_changes_the_evaluation(web: TestClient) -> None:
    csrf = page_login(web, "admin")
    before = evaluation(web, csrf)
    assert abs(available(before, "kardiologi") - by_hand_available(STAFFING, "kardiologi")) < 1e-9
    assert abs(team_size(before, *CHANGED) - 13.5 / 6) < 1e-6  # min team 6 FTE

    response = upload(web, csrf, good_staffing())
    assert response.status_code == 303
    assert response.headers["location"] == "/data?ok=data_imported&kind=staffing&rows=77"
    page = web.get(response.headers["location"]).text
    assert "Bemanding – Importeret: 77 rækker" in page
    staffing = section(page, "staffing")
    assert 'data-origin="imported"' in staffing
    assert "<code>bemanding.csv</code>" in staffing and "<dd>admin</dd>" in staffing
    assert 'id="reset-staffing"' in staffing
    assert origins(web) == {**BUNDLED_ORIGINS, "staffing": "imported"}
    footer = html.unescape(page.split('id="footer-data-version">')[1].split("</span>")[0])
    sha = hashlib.sha256(good_staffing().encode()).hexdigest()[:12]
    assert re.fullmatch(r"Data: medfølgende regionsdata \(fingeraftryk [0-9a-f]{12}\); "
                        r"importeret: Bemanding version 1 \(bemanding\.csv, "
                        r"\d{4}-\d\d-\d\d \d\d:\d\d UTC, SHA-256 " + sha + r"\)", footer), footer

    after = evaluation(web, csrf)
    expected = by_hand_available(good_staffing(), "kardiologi")
    assert abs(expected - by_hand_available(STAFFING, "kardiologi") - 2.5) < 1e-9  # 2 + 0.5 × 1
    assert abs(available(after, "kardiologi") - expected) < 1e-9
    assert abs(team_size(after, *CHANGED) - 15.5 / 6) < 1e-6  # scores have 6 decimals
    assert available(after, "geriatri") == available(before, "geriatri")


def test_a_file_with_bad_rows_lists_every_one_and_imports_nothing(web: TestClient) -> None:
    csrf = page_login(web, "admin")
    response = upload(web, csrf, bad_staffing(), name="fejl.csv")
    assert response.status_code == 422
    assert "Intet er importeret" in response.text and "<code>fejl.csv</code>" in response.text
    assert error_rows(response.text) == [("3", "specialist_fte"), ("10", "site_id"),
                                         ("20", "trainee_fte")]
    assert "&#39;tre&#39; er ikke et tal" in response.text  # the rule in the page's language
    web.get("/sprog/en?next=/data")
    english = upload(web, csrf, bad_staffing(), name="fejl.csv")
    assert "&#39;tre&#39; is not a number" in english.text
    web.get("/sprog/da?next=/data")
    assert origins(web) == BUNDLED_ORIGINS
    assert web.app.state.regions.revision("sjaelland") == 0  # type: ignore[attr-defined]
    assert list_audit(web.app.state.sessions, entity="data_table") == []  # type: ignore[attr-defined]

    wrong_type = upload(web, csrf, good_staffing(), name="bemanding.txt")
    assert wrong_type.status_code == 422
    assert error_rows(wrong_type.text) == [("", "(file)")]
    assert "hele filen" in wrong_type.text
    no_file = web.post("/data/staffing/importer", data={"csrf_token": csrf},
                       files={"file": ("", b"", "application/octet-stream")})
    assert no_file.status_code == 422 and "Vælg en fil." in no_file.text
    assert upload(web, csrf, good_staffing(), kind="senge").status_code == 404
    assert origins(web) == BUNDLED_ORIGINS


def test_other_roles_are_refused(web: TestClient) -> None:
    for role in ("viewer", "planner", "program"):
        web.cookies.clear()
        csrf = page_login(web, role)
        refused = upload(web, csrf, good_staffing())
        assert refused.status_code == 403
        assert "Din rolle må ikke gøre dette." in refused.text
        reset = web.post("/data/staffing/nulstil", data={"csrf_token": csrf})
        assert reset.status_code == 403
    assert origins(web) == BUNDLED_ORIGINS
    assert web.app.state.regions.revision("sjaelland") == 0  # type: ignore[attr-defined]


def test_the_upload_form_needs_its_csrf_token(web: TestClient) -> None:
    csrf = page_login(web, "admin")
    for token in (None, "forged", csrf[:-2]):
        refused = upload(web, token, good_staffing())
        assert refused.status_code == 403
        assert "Formularen er udløbet" in refused.text
    assert origins(web) == BUNDLED_ORIGINS
    assert upload(web, csrf, good_staffing()).status_code == 303
    assert web.post("/data/staffing/nulstil", data={"csrf_token": "forged"}).status_code == 403
    assert origins(web)["staffing"] == "imported"


def test_reset_goes_back_to_the_bundled_table(web: TestClient) -> None:
    csrf = page_login(web, "admin")
    assert upload(web, csrf, good_staffing()).status_code == 303
    response = web.post("/data/staffing/nulstil", data={"csrf_token": csrf})
    assert response.status_code == 303
    page = web.get(response.headers["location"]).text
    assert "Den medfølgende tabel bruges igen." in page
    assert 'data-origin="bundled"' in section(page, "staffing")
    assert origins(web) == BUNDLED_ORIGINS
    expected = by_hand_available(STAFFING, "kardiologi")
    assert abs(available(evaluation(web, csrf), "kardiologi") - expected) < 1e-9
    again = web.post("/data/staffing/nulstil", data={"csrf_token": csrf})
    assert again.status_code == 404  # nothing imported to drop


def test_export_and_templates(web: TestClient) -> None:
    csrf = page_login(web, "viewer")
    link = re.search(r'id="data-export" href="([^"]+)"', web.get("/data").text)
    assert link
    web.cookies.clear()
    csrf = page_login(web, "admin")
    assert upload(web, csrf, good_staffing()).status_code == 303
    response = web.get(link.group(1))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    sheet = list(book["staffing"].iter_rows(values_only=True))
    book.close()
    columns = sheet[0]
    koege = next(r for r in sheet[1:] if (r[0], r[1]) == CHANGED)
    assert koege[columns.index("Speciallæger (årsværk) [specialist_fte]")] == 15.5
    assert len(sheet) - 1 == 77

    template = web.get("/data/staffing/skabelon")
    assert template.status_code == 200
    assert template.content == (BUNDLED / "staffing.csv").read_bytes()  # the bundled one
    assert 'filename="staffing.csv"' in template.headers["content-disposition"]
    empty = web.get("/data/travel_matrix/skabelon")
    assert empty.text == "area_code,site_id,minutes,km\n"
    assert web.get("/data/senge/skabelon").status_code == 404


def test_english_labels(web: TestClient) -> None:
    csrf = page_login(web, "admin")
    upload(web, csrf, good_staffing())
    web.get("/sprog/en?next=/data")
    page = web.get("/data").text
    assert '<html lang="en">' in page
    for text in ("Staffing", "Travel matrix", "Imported table", "Export to Excel",
                 "Go back to the bundled table", "Download the bundled table as a template"):
        assert text in page
    assert "Bemanding" not in page
    rejected = upload(web, csrf, bad_staffing()).text
    assert "Invalid rows: 3" in rejected and "Nothing was imported" in rejected
