"""Login limits per account, per client address and on the distinct account names tried from
one address; X-Forwarded-For believed only from a configured proxy (and `bass serve` does
not let uvicorn believe it either); unknown users cost one hash verification like known
ones; and the password rule with one clear message per refusal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from bassplan.api.app import create_app
from bassplan.api.ratelimit import client_address, parse_networks
from bassplan.store import accounts
from bassplan.store.passwords import needs_rehash
from tests.support.api import PASSWORD, TestClient, assert_problem, seed_users, settings_for


def _app(tmp_path: Path, name: str, **limits: Any) -> FastAPI:
    settings = replace(settings_for(f"sqlite:///{tmp_path / name}"), **limits)
    return create_app(settings)


@pytest.fixture
def started(tmp_path: Path) -> Iterator[Callable[..., FastAPI]]:
    """Make and start an app with the given settings (users seeded); stopped afterwards."""
    clients: list[TestClient] = []

    def make(**limits: Any) -> FastAPI:
        app = _app(tmp_path, f"limits{len(clients)}.sqlite", **limits)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        seed_users(app)
        return app

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def _from(app: FastAPI, address: str) -> TestClient:
    """A client of the started app whose connection comes from ``address``."""
    return TestClient(app, client=(address, 40000))


def _login(client: TestClient, username: str, password: str = PASSWORD,
           forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    body = {"username": username, "password": password}
    return client.post("/api/login", json=body, headers=headers).status_code


def test_per_address_limit_counts_every_account(started: Callable[..., FastAPI]) -> None:
    app = started(login_failures_per_account=100, login_failures_per_address=4,
                  login_names_per_address=100)
    near, far = _from(app, "10.0.0.1"), _from(app, "10.0.0.2")
    assert [_login(near, name, "forkert-forkert") for name in ("viewer", "planner") * 2] == [
        401] * 4
    blocked = near.post("/api/login", json={"username": "admin", "password": PASSWORD})
    assert_problem(blocked, 429)
    assert 1 <= int(blocked.headers["retry-after"]) <= 15 * 60
    assert _login(far, "admin") == 200


def test_per_account_limit_counts_every_address(started: Callable[..., FastAPI]) -> None:
    app = started(login_failures_per_account=3, login_failures_per_address=100,
                  login_names_per_address=100)
    for n in range(3):
        assert _login(_from(app, f"10.0.1.{n}"), "Planner", "forkert-forkert") == 401
    assert _login(_from(app, "10.0.1.9"), "planner") == 429  # the right password, too late
    assert _login(_from(app, "10.0.1.9"), "viewer") == 200


def test_distinct_names_per_address_are_capped(started: Callable[..., FastAPI]) -> None:
    app = started(login_failures_per_account=100, login_failures_per_address=100,
                  login_names_per_address=3)
    near = _from(app, "10.0.2.1")
    assert [_login(near, f"gæt{n}", "forkert-forkert") for n in range(3)] == [401] * 3
    assert _login(near, "planner") == 429  # a fourth name, though right
    assert _login(near, "gæt0", "forkert-forkert") == 401  # a name already tried goes on
    assert _login(_from(app, "10.0.2.2"), "planner") == 200


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy(
    started: Callable[..., FastAPI],
) -> None:
    limits = {"login_failures_per_account": 100, "login_failures_per_address": 3,
              "login_names_per_address": 100}
    direct = _from(started(**limits), "127.0.0.1")  # no proxy configured (the default)
    rotated = [_login(direct, "viewer", "forkert-forkert", forwarded=f"203.0.113.{n}")
               for n in range(4)]
    assert rotated == [401, 401, 401, 429]

    app = started(**limits, trusted_proxies=("10.9.0.0/16",))
    proxy, other = _from(app, "10.9.0.5"), _from(app, "10.8.0.5")
    behind = [_login(proxy, "viewer", "forkert-forkert", forwarded=f"203.0.113.{n}")
              for n in range(4)]
    assert behind == [401, 401, 401, 401]  # four clients behind the proxy, one failure each
    spoofed = [_login(other, "viewer", "forkert-forkert", forwarded=f"198.51.100.{n}")
               for n in range(4)]
    assert spoofed == [401, 401, 401, 429]  # not a proxy: its header is not believed
    assert _login(proxy, "viewer", "forkert-forkert", forwarded="203.0.113.0") == 401
    assert _login(proxy, "viewer", "forkert-forkert", forwarded="203.0.113.0") == 401
    assert _login(proxy, "viewer", forwarded="203.0.113.0") == 429  # that client's 3 failures


def test_client_address_walks_the_forwarded_hops_from_the_right() -> None:
    proxies = parse_networks(["10.0.0.0/8", "::1"])
    assert client_address("192.0.2.7", ["1.2.3.4"], proxies) == "192.0.2.7"
    assert client_address("10.0.0.1", [], proxies) == "10.0.0.1"
    assert client_address("10.0.0.1", ["1.2.3.4"], proxies) == "1.2.3.4"
    # a client's own forged hop stays left of the hop the proxies added
    assert client_address("10.0.0.1", ["6.6.6.6, 1.2.3.4, 10.0.0.2"], proxies) == "1.2.3.4"
    assert client_address("::1", ["6.6.6.6", "1.2.3.4"], proxies) == "1.2.3.4"
    assert client_address("10.0.0.1", ["nonsense, 10.0.0.3"], proxies) == "10.0.0.3"
    with pytest.raises(ValueError, match=r"'proxy\.example' is not an IP address"):
        parse_networks(["proxy.example"])


def test_bass_serve_does_not_let_uvicorn_believe_forwarded_headers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:
    import uvicorn

    from bassplan.web.serve import run

    seen: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: seen.update(kwargs))
    run("127.0.0.1", 8123, settings_for(f"sqlite:///{tmp_path / 'serve.sqlite'}"))
    assert seen["proxy_headers"] is False and seen["forwarded_allow_ips"] == []


def test_unknown_inactive_and_known_users_each_cost_one_hash_verification(
    started: Callable[..., FastAPI], monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = started()
    client = _from(app, "10.0.3.1")
    accounts.set_role(app.state.sessions, username="viewer", active=False)
    verified: list[str] = []
    real = accounts.verify_password
    monkeypatch.setattr(accounts, "verify_password",
                        lambda password, stored: verified.append(stored) or real(password, stored))
    for name in ("ingen-saadan", "viewer", "planner"):
        assert _login(client, name, "forkert-forkert") == 401
    assert len(verified) == 3
    dummy, inactive, known = verified
    assert dummy == accounts.dummy_hash() and dummy.startswith("$argon2id$")
    assert not needs_rehash(dummy)  # the same Argon2 parameters as every stored hash
    assert inactive.startswith("$argon2id$") and known.startswith("$argon2id$")
    assert len({dummy, inactive, known}) == 3


@pytest.mark.parametrize(("password", "rule"), [
    ("kort-kode-1", "must have at least 12 characters"),
    ("abababababab", "must use at least 5 different characters"),
    ("karen-er-den-bedste", "must not contain the username"),
    ("Password1234", "is a commonly used password"),
    ("Sommer2024!!!", "is a commonly used password"),
    ("qwertyuiop123", "is a commonly used password"),
])
def test_a_refused_password_is_one_problem_naming_the_rule(
    started: Callable[..., FastAPI], password: str, rule: str,
) -> None:
    app = started()
    client = _from(app, "10.0.4.1")
    token = accounts.create_token(app.state.sessions, username="admin", name="t")
    made = client.post("/api/users", json={"username": "karen", "display_name": "Karen",
                                           "password": password, "role": "viewer"},
                       headers={"Authorization": f"Bearer {token}"})
    detail = str(assert_problem(made, 422)["detail"])
    assert detail.startswith(f"user, karen: field 'password': {rule}")
    assert "\n" not in detail
    users = client.get("/api/users", headers={"Authorization": f"Bearer {token}"}).json()
    assert "karen" not in {u["username"] for u in users}


def test_the_limiter_forgets_stale_keys_and_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from bassplan.api import ratelimit

    monkeypatch.setattr(ratelimit, "MAX_KEYS", 10)
    now = [0.0]
    limiter = ratelimit.LoginLimiter(ratelimit.LoginLimits(3, 3, 3, 60.0), clock=lambda: now[0])
    for n in range(4):  # 8 keys: 4 accounts, 4 addresses
        limiter.fail(f"navn{n}", f"10.1.0.{n}")
    now[0] = 61.0  # all of them out of the window
    for n in range(100):  # then 100 accounts from 100 addresses, one second apart
        limiter.fail(f"ny{n}", f"10.2.0.{n}")
        now[0] += 1.0
    assert len(limiter._failures) <= 10 and len(limiter._names) <= 10
    assert limiter.retry_after("ny99", "10.2.0.99") is None  # one failure is below 3
