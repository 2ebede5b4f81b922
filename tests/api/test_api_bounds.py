"""Ids, versions and offsets beyond what the databases store are refused as bad input
(422 naming the parameter), never passed on to the database (schemathesis found the 500)."""

from __future__ import annotations

import pytest

from tests.support.api import TestClient, assert_problem, bearer

TOO_BIG = 2**31  # one more than the largest id SQLite and PostgreSQL INTEGER hold


@pytest.mark.parametrize(("method", "path"), [
    ("GET", f"/api/deliverables/{TOO_BIG}"),
    ("GET", f"/api/initiatives/{TOO_BIG}"),
    ("GET", f"/api/meetings/{TOO_BIG}"),
    ("DELETE", f"/api/program/roles/{TOO_BIG}"),
    ("DELETE", f"/api/scenarios/x?expected_version={TOO_BIG}"),
    ("GET", f"/api/audit?offset={TOO_BIG}"),
    ("GET", f"/api/audit?user_id={TOO_BIG}"),
])
def test_out_of_range_numbers_are_bad_input(client: TestClient, method: str, path: str) -> None:
    body = assert_problem(client.request(method, path, headers=bearer(client, "admin")), 422)
    assert "less than or equal to 2147483647" in str(body["detail"])


def test_out_of_range_links_in_a_body_are_bad_input(client: TestClient) -> None:
    response = client.post("/api/deliverables", headers=bearer(client, "admin"),
                           json={"title": "x", "scenario_id": TOO_BIG})
    body = assert_problem(response, 422)
    assert "scenario_id" in str(body["detail"])
