"""Login, logout, cookie flags, the login rate limit, CSRF and bearer tokens."""

from __future__ import annotations

from bassplan.api.ratelimit import LoginLimiter, LoginLimits
from tests.support.api import LIMIT, PASSWORD, TestClient, assert_problem, bearer, login

NEW = {"name": "ny", "yaml": "name: Ny\nyear: 2030\n"}


def test_login_sets_an_httponly_lax_cookie_and_session_shows_the_user(client: TestClient) -> None:
    response = client.post("/api/login", json={"username": "planner", "password": PASSWORD})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"].lower()
    assert "bass_session=" in cookie
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    csrf = response.json()["csrf_token"]
    session = client.get("/api/session").json()
    assert (session["user"]["username"], session["user"]["role"]) == ("planner", "planner")
    assert session["csrf_token"] == csrf
    assert "password_hash" not in session["user"]


def test_logout_ends_the_session(client: TestClient) -> None:
    csrf = login(client, "viewer")
    assert client.post("/api/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert_problem(client.get("/api/session"), 401)


def test_wrong_password_is_a_401_problem(client: TestClient) -> None:
    response = client.post("/api/login", json={"username": "admin", "password": "forkert-1"})
    body = assert_problem(response, 401)
    assert body["detail"] == "wrong username or password"
    assert "set-cookie" not in response.headers


def test_too_many_failures_are_429_even_with_the_right_password(client: TestClient) -> None:
    for _ in range(LIMIT):
        wrong = client.post("/api/login", json={"username": "admin", "password": "nej-nej-nej"})
        assert_problem(wrong, 401)
    blocked = client.post("/api/login", json={"username": "admin", "password": PASSWORD})
    assert_problem(blocked, 429)
    assert 1 <= int(blocked.headers["retry-after"]) <= 15 * 60  # the default window
    # another username from the same client is not blocked
    assert client.post("/api/login", json={"username": "viewer", "password": PASSWORD}).is_success


def test_limiter_window_slides_after_a_minute() -> None:
    now = [1000.0]
    limiter = LoginLimiter(LoginLimits(2, 100, 100, 60.0), clock=lambda: now[0])
    limiter.fail("k", "10.0.0.1")
    now[0] += 30
    limiter.fail("K", "10.0.0.2")  # account names count case-insensitively, from any address
    assert limiter.retry_after("k", "10.0.0.3") == 30.0  # first failure leaves 30 s later
    now[0] += 30
    assert limiter.retry_after("k", "10.0.0.3") is None


def test_cookie_post_without_or_with_wrong_csrf_is_403(client: TestClient) -> None:
    csrf = login(client, "planner")
    assert_problem(client.post("/api/scenarios", json=NEW), 403)
    assert_problem(client.post("/api/scenarios", json=NEW, headers={"X-CSRF-Token": "x"}), 403)
    assert client.get("/api/scenarios").json() == []
    made = client.post("/api/scenarios", json=NEW, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201


def test_bearer_token_needs_no_csrf(client: TestClient) -> None:
    response = client.post("/api/scenarios", json=NEW, headers=bearer(client, "planner"))
    assert response.status_code == 201
    assert response.json()["version"] == 1


def test_token_endpoint_returns_a_working_token_once(client: TestClient) -> None:
    csrf = login(client, "viewer")
    made = client.post("/api/tokens", json={"name": "script"}, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    token = made.json()["token"]
    client.cookies.clear()
    me = client.get("/api/session", headers={"Authorization": f"Bearer {token}"}).json()
    assert (me["user"]["username"], me["csrf_token"]) == ("viewer", None)


def test_no_credentials_or_bad_token_is_401(client: TestClient) -> None:
    assert_problem(client.get("/api/scenarios"), 401)
    assert_problem(client.get("/api/scenarios", headers={"Authorization": "Bearer nope"}), 401)
    client.cookies.set("bass_session", "forged.signature")
    assert_problem(client.get("/api/scenarios"), 401)
