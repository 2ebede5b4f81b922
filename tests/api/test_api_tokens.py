"""API tokens, on SQLite and PostgreSQL: issued with a name and an expiry (default 90 days,
at most 365), listed with their last use, revoked at once; a user manages their own, an
admin anyone's; every token action is in the audit trail, never the token or its digest."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from bassplan.store.audit import list_audit
from tests.support.api import TestClient, assert_problem, login
from tests.support.clock import FakeClock


def _issue(client: TestClient, username: str, name: str, days: int | None = None
           ) -> tuple[int, str]:
    """Log in as ``username`` and issue a token; (its id, the token). Leaves no cookie."""
    csrf = login(client, username)
    body: dict[str, object] = {"name": name} | ({} if days is None else {"days": days})
    made = client.post("/api/tokens", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201, made.text
    client.cookies.clear()
    return int(made.json()["id"]), str(made.json()["token"])


def _as(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _at(text: object) -> datetime | None:
    """A timestamp of a JSON reply (ISO 8601, Z or +00:00), or None."""
    return None if text is None else datetime.fromisoformat(str(text))


def test_expiry_default_and_chosen_and_the_maximum(any_client: TestClient) -> None:
    clock = FakeClock()
    any_client.app.state.clock = clock  # type: ignore[attr-defined]
    _, default = _issue(any_client, "viewer", "standard")
    _, short = _issue(any_client, "viewer", "kort", days=10)
    listed = {t["name"]: t for t in any_client.get("/api/tokens", headers=_as(default)).json()}
    assert set(listed) == {"standard", "kort"}
    assert _at(listed["standard"]["expires_at"]) == clock.now + timedelta(days=90)
    assert _at(listed["kort"]["expires_at"]) == clock.now + timedelta(days=10)
    csrf = login(any_client, "viewer")
    too_long = any_client.post("/api/tokens", json={"name": "evig", "days": 366},
                               headers={"X-CSRF-Token": csrf})
    assert "must be at most 365" in str(assert_problem(too_long, 422)["detail"])
    any_client.cookies.clear()

    clock.advance(days=10, seconds=-1)
    assert any_client.get("/api/session", headers=_as(short)).status_code == 200
    clock.advance(seconds=1)  # exactly 10 days: expired
    assert_problem(any_client.get("/api/session", headers=_as(short)), 401)
    states = {t["name"]: t["state"]
              for t in any_client.get("/api/tokens", headers=_as(default)).json()}
    assert states == {"standard": "active", "kort": "expired"}


def test_last_use_is_listed_and_written_at_most_once_a_minute(any_client: TestClient) -> None:
    clock = FakeClock()
    any_client.app.state.clock = clock  # type: ignore[attr-defined]
    _, token = _issue(any_client, "planner", "rapport")

    def last_used() -> datetime | None:
        [row] = any_client.get("/api/tokens", headers=_as(token)).json()
        return _at(row["last_used_at"])

    first = clock.now
    assert last_used() == first  # the listing request is itself a use
    clock.advance(seconds=59)
    assert last_used() == first
    clock.advance(seconds=1)
    assert last_used() == clock.now


def test_a_token_cannot_issue_tokens(any_client: TestClient) -> None:
    _, token = _issue(any_client, "planner", "script")
    refused = any_client.post("/api/tokens", json={"name": "arving"}, headers=_as(token))
    assert_problem(refused, 403)
    assert len(any_client.get("/api/tokens", headers=_as(token)).json()) == 1


def test_own_tokens_only_for_users_and_everyones_for_admins(any_client: TestClient) -> None:
    viewer_id, viewer = _issue(any_client, "viewer", "min")
    planner_id, planner = _issue(any_client, "planner", "hans")
    _, admin = _issue(any_client, "admin", "drift")

    own = any_client.get("/api/tokens", headers=_as(viewer)).json()
    assert [(t["id"], t["username"]) for t in own] == [(viewer_id, "viewer")]
    assert "token" not in own[0] and "token_hash" not in own[0]
    assert_problem(any_client.get("/api/tokens?all=true", headers=_as(viewer)), 403)
    assert_problem(any_client.get("/api/users/planner/tokens", headers=_as(viewer)), 404)
    assert_problem(any_client.delete(f"/api/tokens/{planner_id}", headers=_as(viewer)), 404)
    assert any_client.get("/api/session", headers=_as(planner)).status_code == 200

    everyone = any_client.get("/api/tokens?all=true", headers=_as(admin)).json()
    assert sorted(t["username"] for t in everyone) == ["admin", "planner", "viewer"]
    theirs = any_client.get("/api/users/planner/tokens", headers=_as(admin)).json()
    assert [t["id"] for t in theirs] == [planner_id]
    assert any_client.delete(f"/api/tokens/{planner_id}", headers=_as(admin)).status_code == 204
    assert_problem(any_client.get("/api/session", headers=_as(planner)), 401)
    assert_problem(any_client.delete("/api/tokens/999999", headers=_as(admin)), 404)


def test_revoking_ends_a_token_at_once_and_keeps_it_listed(any_client: TestClient) -> None:
    first_id, first = _issue(any_client, "program", "gammel")
    _, second = _issue(any_client, "program", "ny")
    assert any_client.delete(f"/api/tokens/{first_id}", headers=_as(first)).status_code == 204
    assert_problem(any_client.get("/api/session", headers=_as(first)), 401)
    listed = {t["name"]: t for t in any_client.get("/api/tokens", headers=_as(second)).json()}
    assert listed["gammel"]["state"] == "revoked" and listed["gammel"]["revoked_at"]
    assert listed["ny"]["state"] == "active"
    again = any_client.delete(f"/api/tokens/{first_id}", headers=_as(second))
    assert again.status_code == 204  # nothing more changes


def test_every_token_action_is_audited_without_the_secret(any_client: TestClient) -> None:
    planner_id, planner = _issue(any_client, "planner", "natlig")
    _, admin = _issue(any_client, "admin", "drift")
    any_client.delete(f"/api/tokens/{planner_id}", headers=_as(admin))
    any_client.delete(f"/api/tokens/{planner_id}", headers=_as(admin))  # no second entry
    app = any_client.app
    users = {u["username"]: u["id"]
             for u in any_client.get("/api/users", headers=_as(admin)).json()}
    trail = list_audit(app.state.sessions, entity="api_token", entity_id=planner_id)  # type: ignore[attr-defined]
    assert [(e.action, e.user_id) for e in trail] == [("revoke", users["admin"]),
                                                      ("create", users["planner"])]
    before, after = json.loads(trail[0].before or ""), json.loads(trail[0].after or "")
    assert before["revoked_at"] is None and after["revoked_at"] is not None
    assert after["name"] == "natlig" and after["user_id"] == users["planner"]
    for entry in trail:
        text = (entry.before or "") + (entry.after or "")
        assert "token_hash" not in text and planner not in text
