"""Scenarios through the API: roles, optimistic versions, invalid YAML and evaluation."""

from __future__ import annotations

import pytest

from bassplan.data import load_region, load_scenario
from bassplan.model.evaluate import evaluate
from bassplan.scorecard.catalogue import load_indicators
from bassplan.scorecard.score import score
from bassplan.views.records import headlines
from tests.support.api import TestClient, assert_problem, bearer
from tests.support.paths import EXAMPLES

EXAMPLE = EXAMPLES / "kardiologi_styrkepositioner.yaml"
YAML_1 = "name: øst\nyear: 2030\nstrength_positions:\n  kardiologi: [slagelse]\n"
YAML_2 = "name: øst\nyear: 2035\nstrength_positions:\n  kardiologi: [holbaek]\n"


def _create(client: TestClient, auth: dict[str, str], name: str = "øst") -> None:
    body = {"name": name, "yaml": YAML_1, "description": "første"}
    assert client.post("/api/scenarios", json=body, headers=auth).status_code == 201


def test_viewer_reads_but_cannot_create_update_or_delete(client: TestClient) -> None:
    _create(client, bearer(client, "planner"))
    viewer = bearer(client, "viewer")
    assert [s["name"] for s in client.get("/api/scenarios", headers=viewer).json()] == ["øst"]
    assert client.get("/api/scenarios/øst", headers=viewer).json()["yaml"] == YAML_1
    new = {"name": "vest", "yaml": YAML_1}
    body = assert_problem(client.post("/api/scenarios", json=new, headers=viewer), 403)
    assert "needs 'planner'" in str(body["detail"])
    change = {"expected_version": 1, "yaml": YAML_2}
    assert_problem(client.put("/api/scenarios/øst", json=change, headers=viewer), 403)
    assert_problem(client.delete("/api/scenarios/øst", headers=viewer), 403)
    row = client.get("/api/scenarios/øst", headers=viewer).json()
    assert (row["yaml"], row["version"]) == (YAML_1, 1)


def test_planner_updates_with_the_right_version_and_gets_409_on_a_stale_one(
    client: TestClient,
) -> None:
    planner = bearer(client, "planner")
    _create(client, planner)
    change = {"expected_version": 1, "yaml": YAML_2}
    updated = client.put("/api/scenarios/øst", json=change, headers=planner)
    assert updated.status_code == 200
    assert (updated.json()["version"], updated.json()["yaml"]) == (2, YAML_2)
    stale = client.put("/api/scenarios/øst", json={"expected_version": 1, "description": "x"},
                       headers=planner)
    body = assert_problem(stale, 409)
    assert body["detail"] == ("scenario 'øst' was changed by someone else "
                              "(version 2, you had 1)")
    assert body["type"] == "/problems/version-conflict"


def test_delete_and_missing_scenario_is_404(client: TestClient) -> None:
    planner = bearer(client, "planner")
    _create(client, planner)
    assert client.delete("/api/scenarios/øst", headers=planner).status_code == 204
    body = assert_problem(client.get("/api/scenarios/øst", headers=planner), 404)
    assert body["detail"] == "scenario 'øst' not found"


def test_duplicate_name_is_409(client: TestClient) -> None:
    planner = bearer(client, "planner")
    _create(client, planner)
    again = client.post("/api/scenarios", json={"name": "øst", "yaml": YAML_1}, headers=planner)
    assert_problem(again, 409)


@pytest.mark.parametrize(
    ("yaml", "where"),
    [
        ("name: X\nyear: 2030\noutreach:\n  kardiologi:\n    - {site: holbaek, days_per_week: 9}\n",
         "outreach.kardiologi[0].days_per_week"),
        ("name: X\nyear: 2030\nstrength_positions:\n  kardiologi: [atlantis]\n",
         "strength_positions.kardiologi"),
    ],
)
def test_invalid_scenario_yaml_is_a_422_problem_naming_the_key_path(
    client: TestClient, yaml: str, where: str
) -> None:
    response = client.post("/api/scenarios", json={"name": "x", "yaml": yaml},
                           headers=bearer(client, "planner"))
    body = assert_problem(response, 422)
    assert where in str(body["detail"])
    assert body["type"] == "/problems/invalid-input"


def test_evaluate_returns_the_numbers_of_a_direct_evaluation(client: TestClient) -> None:
    planner = bearer(client, "planner")
    body = {"name": "kardio", "yaml": EXAMPLE.read_text(encoding="utf-8")}
    assert client.post("/api/scenarios", json=body, headers=planner).status_code == 201
    response = client.post("/api/scenarios/kardio/evaluate", headers=bearer(client, "viewer"))
    assert response.status_code == 200
    got = response.json()

    region = load_region()
    evaluation = evaluate(region, load_scenario(EXAMPLE, region))
    scorecard = score(evaluation, load_indicators())
    direct = {h.specialty_id: h for h in headlines(evaluation)}
    api = {row["specialty_id"]: row for row in got["specialties"]}
    assert got["year"] == 2027
    assert got["residents"] == pytest.approx(float(evaluation.residents.sum()), abs=0.1)
    kardio = api["kardiologi"]
    assert kardio["strength_positions"] == ["suh_koege", "slagelse"]
    for key in ("mean_minutes", "p90_minutes", "required_fte", "patient_km", "admissions"):
        assert kardio[key] == pytest.approx(getattr(direct["kardiologi"], key), rel=1e-12)
    assert len(got["scores"]) == len(scorecard.scores)
    first = scorecard.scores[0]
    assert got["scores"][0]["indicator"] == first.indicator_id
    assert got["scores"][0]["colour"] == str(first.colour)
