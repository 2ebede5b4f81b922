"""Regions through the API: the registry listed, a scenario created in a region (default:
the server's), checked and evaluated on that region, and the list filtered by region."""

from __future__ import annotations

import pytest

from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.views.records import headlines
from tests.support.api import TestClient, assert_problem, bearer
from tests.support.paths import EXAMPLES

OEST = EXAMPLES / "oestdanmark" / "kardiologi_paa_tvaers.yaml"
SJ_YAML = "name: sj\nyear: 2030\nstrength_positions:\n  kardiologi: [slagelse]\n"


def test_the_regions_are_the_registrys_with_the_default_first(client: TestClient) -> None:
    got = client.get("/api/regions", headers=bearer(client, "viewer")).json()
    assert got == [
        {"id": "sjaelland", "name": "Region Sjælland", "default": True},
        {"id": "oestdanmark", "name": "Region Østdanmark", "default": False},
    ]


def test_a_scenario_without_a_region_is_the_servers_default(client: TestClient) -> None:
    planner = bearer(client, "planner")
    created = client.post("/api/scenarios", json={"name": "sj", "yaml": SJ_YAML},
                          headers=planner)
    assert created.status_code == 201
    assert created.json()["region"] == "sjaelland"
    assert client.get("/api/scenarios/sj", headers=planner).json()["region"] == "sjaelland"


def test_a_scenario_of_oestdanmark_is_checked_and_evaluated_there(client: TestClient) -> None:
    planner = bearer(client, "planner")
    text = OEST.read_text(encoding="utf-8")
    # Rigshospitalet is no site of Region Sjælland: refused there, naming the site
    refused = client.post("/api/scenarios", json={"name": "tvaers", "yaml": text},
                          headers=planner)
    assert "rh_blegdamsvej" in str(assert_problem(refused, 422)["detail"])
    created = client.post("/api/scenarios", json={"name": "tvaers", "yaml": text,
                                                  "region": "oestdanmark"}, headers=planner)
    assert created.status_code == 201, created.text
    assert created.json()["region"] == "oestdanmark"

    got = client.post("/api/scenarios/tvaers/evaluate", headers=planner).json()
    region = load_region("oestdanmark")
    evaluation = evaluate(region, load_scenario(OEST, region))
    direct = {h.specialty_id: h for h in headlines(evaluation)}
    api = {row["specialty_id"]: row for row in got["specialties"]}
    assert got["residents"] == pytest.approx(float(evaluation.residents.sum()), abs=0.1)
    assert api["kardiologi"]["strength_positions"] == [
        "suh_koege", "slagelse", "rh_blegdamsvej", "herlev"]
    for key in ("mean_minutes", "p90_minutes", "required_fte"):
        assert api["kardiologi"][key] == pytest.approx(getattr(direct["kardiologi"], key),
                                                       rel=1e-12)


def test_an_unknown_region_is_422_and_the_list_filters_by_region(client: TestClient) -> None:
    planner = bearer(client, "planner")
    unknown = client.post("/api/scenarios", json={"name": "x", "yaml": SJ_YAML,
                                                  "region": "fyn"}, headers=planner)
    assert "unknown region 'fyn'" in str(assert_problem(unknown, 422)["detail"])
    client.post("/api/scenarios", json={"name": "sj", "yaml": SJ_YAML}, headers=planner)
    client.post("/api/scenarios", json={"name": "tvaers", "yaml": OEST.read_text("utf-8"),
                                        "region": "oestdanmark"}, headers=planner)

    def names(query: str) -> list[str]:
        return [s["name"] for s in client.get(f"/api/scenarios{query}", headers=planner).json()]

    assert names("") == ["sj", "tvaers"]
    assert names("?region=oestdanmark") == ["tvaers"]
    assert names("?region=sjaelland") == ["sj"]
    assert_problem(client.get("/api/scenarios?region=fyn", headers=planner), 422)


def test_an_update_is_checked_against_the_scenarios_own_region(client: TestClient) -> None:
    planner = bearer(client, "planner")
    client.post("/api/scenarios", json={"name": "tvaers", "yaml": OEST.read_text("utf-8"),
                                        "region": "oestdanmark"}, headers=planner)
    moved = "name: tvaers\nyear: 2030\nstrength_positions:\n  kardiologi: [bornholm]\n"
    changed = client.put("/api/scenarios/tvaers", json={"expected_version": 1, "yaml": moved},
                         headers=planner)
    assert changed.status_code == 200, changed.text
    assert changed.json()["region"] == "oestdanmark"


def test_an_optimised_plan_is_stored_in_its_scenarios_region(client: TestClient) -> None:
    from tests.api.test_api_runs import start, wait_for

    planner = bearer(client, "planner")
    text = (EXAMPLES / "oestdanmark" / "optimer_alle.yaml").read_text("utf-8")
    client.post("/api/scenarios", json={"name": "alle", "yaml": text, "region": "oestdanmark"},
                headers=planner)
    job = start(client, planner, "optimise", {"specialties": ["kardiologi"],
                                              "save_as": "Østplan"}, name="alle")
    final = wait_for(client, planner, job["id"])[-1]
    assert final["status"] == "done", final["error"]
    stored = client.get("/api/scenarios/Østplan", headers=planner).json()
    assert stored["region"] == "oestdanmark"
    planned = final["result"]["specialties"][0]["strength_positions"]
    sites = {s.id for s in load_region("oestdanmark").sites}
    assert planned and set(planned) <= sites
    evaluated = client.post("/api/scenarios/Østplan/evaluate", headers=planner).json()
    heads = {h["specialty_id"]: h for h in evaluated["specialties"]}
    assert heads["kardiologi"]["strength_positions"] == planned
