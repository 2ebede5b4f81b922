"""Server-side login sessions, on SQLite and PostgreSQL: an old cookie is refused at once
after logout, a password change, deactivation and an admin's "end sessions"; the idle
(30 min) and absolute (8 h) time-outs with a clock moved by hand; the cookie carries only a
random id whose SHA-256 is stored."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from bassplan.store.audit import list_audit
from bassplan.store.models import UserSession
from tests.support.api import PASSWORD, TestClient, assert_problem, bearer, login
from tests.support.clock import FakeClock

COOKIE = "bass_session"
NEW_PASSWORD = "en-helt-ny-saetning-7"


def _cookie(client: TestClient) -> str:
    value = client.cookies.get(COOKIE)
    assert value
    return value


def _use(client: TestClient, cookie: str) -> int:
    """The status of GET /api/session with only this session cookie."""
    client.cookies.clear()
    client.cookies.set(COOKIE, cookie)
    return client.get("/api/session").status_code


def _rows(client: TestClient) -> list[UserSession]:
    with client.app.state.sessions() as session:  # type: ignore[attr-defined]
        return list(session.scalars(sa.select(UserSession).order_by(UserSession.id)))


def test_the_cookie_is_a_random_id_and_only_its_hash_is_stored(any_client: TestClient) -> None:
    login(any_client, "viewer")
    cookie = _cookie(any_client)
    assert len(cookie) == 43  # 32 random bytes, URL-safe base64 without padding
    [row] = _rows(any_client)
    assert row.id_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert cookie not in {row.id_hash, str(row.id)}
    assert row.ended_at is None


def test_an_old_cookie_is_refused_after_logout(any_client: TestClient) -> None:
    csrf = login(any_client, "planner")
    old = _cookie(any_client)
    assert any_client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    any_client.cookies.set(COOKIE, old)  # a copy of the cookie kept by someone
    assert_problem(any_client.get("/api/session"), 401)
    made = any_client.post("/api/scenarios", json={"name": "x", "yaml": "name: x\nyear: 2030\n"},
                           headers={"X-CSRF-Token": csrf})
    assert_problem(made, 401)
    assert [(r.end_reason, r.ended_at is not None) for r in _rows(any_client)] == [
        ("logout", True)]


def test_a_password_change_ends_every_session_and_renews_the_callers(
    any_client: TestClient,
) -> None:
    login(any_client, "planner")
    elsewhere = _cookie(any_client)
    csrf = login(any_client, "planner")
    here = _cookie(any_client)
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    changed = any_client.post("/api/session/password", json=body, headers={"X-CSRF-Token": csrf})
    assert changed.status_code == 204
    renewed = _cookie(any_client)
    assert renewed not in {here, elsewhere}
    assert (_use(any_client, elsewhere), _use(any_client, here)) == (401, 401)
    assert _use(any_client, renewed) == 200
    reasons = [r.end_reason for r in _rows(any_client)]
    assert reasons == ["password", "password", None]


def test_deactivation_ends_sessions_and_reactivation_does_not_revive_them(
    any_client: TestClient,
) -> None:
    login(any_client, "viewer")
    old = _cookie(any_client)
    admin = bearer(any_client, "admin")
    any_client.cookies.clear()
    off = any_client.patch("/api/users/viewer", json={"active": False}, headers=admin)
    assert off.status_code == 200
    assert _use(any_client, old) == 401
    any_client.cookies.clear()
    assert any_client.patch("/api/users/viewer", json={"active": True},
                            headers=admin).status_code == 200
    assert _use(any_client, old) == 401
    assert [r.end_reason for r in _rows(any_client)] == ["deactivated"]


def test_an_admin_ends_one_users_sessions_then_everyones_but_their_own(
    any_client: TestClient,
) -> None:
    login(any_client, "planner")
    planner_a = _cookie(any_client)
    login(any_client, "planner")
    planner_b = _cookie(any_client)
    login(any_client, "viewer")
    viewer = _cookie(any_client)
    admin_csrf = login(any_client, "admin")
    admin = _cookie(any_client)

    ended = any_client.delete("/api/users/planner/sessions", headers={"X-CSRF-Token": admin_csrf})
    assert ended.status_code == 200 and ended.json() == {"ended": 2}
    assert (_use(any_client, planner_a), _use(any_client, planner_b)) == (401, 401)
    assert _use(any_client, viewer) == 200

    any_client.cookies.clear()
    any_client.cookies.set(COOKIE, admin)
    everyone = any_client.delete("/api/sessions", headers={"X-CSRF-Token": admin_csrf})
    assert everyone.status_code == 200 and everyone.json() == {"ended": 1}  # the viewer's
    assert _use(any_client, viewer) == 401
    assert _use(any_client, admin) == 200  # the admin's own session goes on

    trail = list_audit(any_client.app.state.sessions, entity="session")  # type: ignore[attr-defined]
    assert [(e.action, e.entity_id) for e in trail] == [("revoke", "*"), ("revoke", "planner")]
    assert '"sessions": 2' in (trail[1].before or "")


def test_only_an_admin_ends_sessions(any_client: TestClient) -> None:
    csrf = login(any_client, "program")
    assert_problem(any_client.delete("/api/users/viewer/sessions",
                                     headers={"X-CSRF-Token": csrf}), 403)
    assert_problem(any_client.delete("/api/sessions", headers={"X-CSRF-Token": csrf}), 403)
    admin = bearer(any_client, "admin")
    assert_problem(any_client.delete("/api/users/nobody/sessions", headers=admin), 404)


def test_idle_timeout_after_30_minutes_without_a_request(any_client: TestClient) -> None:
    clock = FakeClock()
    any_client.app.state.clock = clock  # type: ignore[attr-defined]
    login(any_client, "viewer")
    start = clock.now
    clock.advance(seconds=30)
    assert any_client.get("/api/session").status_code == 200
    assert _rows(any_client)[0].last_seen_at == start  # written at most once a minute
    clock.advance(minutes=29, seconds=29)  # 29:59 after login
    assert any_client.get("/api/session").status_code == 200
    assert _rows(any_client)[0].last_seen_at == start.replace(minute=29, second=59)
    clock.advance(minutes=29, seconds=59)  # 29:59 after the last request
    assert any_client.get("/api/session").status_code == 200
    clock.advance(minutes=30)  # 30:00 idle
    assert_problem(any_client.get("/api/session"), 401)
    row = _rows(any_client)[0]
    assert (row.end_reason, row.ended_at) == ("idle", clock.now)


def test_absolute_timeout_8_hours_after_login_however_busy(any_client: TestClient) -> None:
    clock = FakeClock()
    any_client.app.state.clock = clock  # type: ignore[attr-defined]
    login(any_client, "viewer")
    for _ in range(23):  # a request every 20 minutes: never idle, 7 h 40 min in all
        clock.advance(minutes=20)
        assert any_client.get("/api/session").status_code == 200
    clock.advance(minutes=19, seconds=59)  # 7:59:59 after login
    assert any_client.get("/api/session").status_code == 200
    clock.advance(seconds=1)  # 8:00:00
    assert_problem(any_client.get("/api/session"), 401)
    assert _rows(any_client)[0].end_reason == "absolute"


def test_a_forged_or_overlong_cookie_is_refused(any_client: TestClient) -> None:
    login(any_client, "viewer")
    real = _cookie(any_client)
    assert _use(any_client, real[:-1] + ("A" if real[-1] != "A" else "B")) == 401
    assert _use(any_client, "x" * 5000) == 401
    assert _use(any_client, real) == 200
