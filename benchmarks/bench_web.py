"""Benchmark: 50 users at once on loopback for 60 s against the dashboard.

Starts the real server (``bass serve`` on a fresh SQLite file with the example scenarios,
uvicorn in its own process), logs in 50 users (cookie sessions, 10 per role below admin
plus planners) and lets each loop over the three things a reader does most: the map page
(``/``, a specialty and map quantity drawn at random), the scorecard page (a scenario drawn
at random) and the evaluate API (``POST /api/scenarios/{name}/evaluate``), with
``--think`` seconds between requests on average (default 1 s, drawn uniformly from
half to one and a half times it; 0 = back to back, the hardest case). Reports per
endpoint the count, p50/p95/p99 latency and errors. Target: p95 < 300 ms, no errors.

Run: .venv/bin/python benchmarks/bench_web.py [--users 50] [--seconds 60] [--think 0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark-password-1"
SPECIALTIES = ("kardiologi", "lungemedicin", "endokrinologi", "gastromedicin",
               "reumatologi", "nefrologi", "geriatri")
INDICATORS = ("area_travel_minutes", "area_specialists_per_100k", "area_digital_share",
              "area_contacts_per_1000")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def prepare(database: str, users: int) -> None:
    """Migrate, store the example scenarios and create the benchmark's users."""
    from bassplan.data import load_region
    from bassplan.store.accounts import create_user
    from bassplan.store.engine import make_engine, session_factory, upgrade
    from bassplan.store.repository import seed_scenarios

    upgrade(database)
    sessions = session_factory(make_engine(database))
    seed_scenarios(sessions, sorted((ROOT / "examples").glob("*.yaml")), region=load_region())
    roles = ("viewer", "planner", "program")
    for k in range(users):
        create_user(sessions, username=f"user{k}", display_name=f"Bruger {k}",
                    password=PASSWORD, role=roles[k % len(roles)])


async def wait_until_up(base: str, seconds: float = 60.0) -> None:
    """Poll the login page until the server answers."""
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{base}/login")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit("the server did not start")


async def logged_in(base: str, k: int) -> tuple[httpx.AsyncClient, str]:
    """A client of user k with a cookie session, and its CSRF token."""
    client = httpx.AsyncClient(base_url=base, timeout=30.0)
    login = await client.post("/api/login", json={"username": f"user{k}", "password": PASSWORD})
    login.raise_for_status()
    return client, login.json()["csrf_token"]


async def user_loop(client: httpx.AsyncClient, csrf: str, k: int, names: list[str],
                    think: float, seconds: float, samples: dict[str, list[float]],
                    errors: dict[str, int]) -> None:
    """One logged-in user: map page, scorecard page and evaluate API, over and over."""
    rng = random.Random(k)
    await asyncio.sleep(rng.uniform(0.0, max(think, 0.0)))  # users arrive over a while
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        name = rng.choice(names)
        requests = (
            ("map", "GET", "/", {"scenario": name, "specialty": rng.choice(SPECIALTIES),
                                 "indicator": rng.choice(INDICATORS)}),
            ("scorecard", "GET", "/scorecard", {"scenario": name}),
            ("evaluate", "POST", f"/api/scenarios/{name}/evaluate", None),
        )
        for kind, method, path, params in requests:
            if time.monotonic() >= until:
                return
            start = time.perf_counter()
            try:
                response = await client.request(method, path, params=params,
                                                headers={"X-CSRF-Token": csrf})
                ok = response.status_code == 200
            except httpx.HTTPError:
                ok = False
            samples[kind].append(time.perf_counter() - start)
            if not ok:
                errors[kind] += 1
            if think:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def drive(base: str, users: int, seconds: float, think: float) -> dict[str, object]:
    """Warm up, log every user in (Argon2id is slow by design, so before the clock), then
    run the users and collect latencies per endpoint."""
    await wait_until_up(base)
    clients = await asyncio.gather(*(logged_in(base, k) for k in range(users)))
    client, csrf = clients[0]
    names = [s["name"] for s in (await client.get("/api/scenarios")).json()]
    for name in names:  # warm-up: each scenario evaluated once, as on a running server
        await client.post(f"/api/scenarios/{name}/evaluate", headers={"X-CSRF-Token": csrf},
                          timeout=60.0)
    await client.get("/", timeout=60.0)  # and the region's map outline drawn once
    samples: dict[str, list[float]] = {"map": [], "scorecard": [], "evaluate": []}
    errors = dict.fromkeys(samples, 0)
    await asyncio.gather(*(user_loop(c, token, k, names, think, seconds, samples, errors)
                           for k, (c, token) in enumerate(clients)))
    for c, _ in clients:
        await c.aclose()
    return {"samples": samples, "errors": errors, "scenarios": len(names)}


def main() -> None:
    """Start the server, drive it, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between requests (0 = none)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        prepare(database, args.users)
        port = free_port()
        env = {**os.environ, "BASS_DATABASE_URL": database, "BASS_SECRET_KEY": "benchmark"}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "bass"), "serve", "--port", str(port),
             "--examples", str(Path(tmp) / "none")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            result = asyncio.run(drive(f"http://127.0.0.1:{port}", args.users, args.seconds,
                                       args.think))
        finally:
            server.terminate()
            server.wait(timeout=30)
    samples: dict[str, list[float]] = result["samples"]  # type: ignore[assignment]
    errors: dict[str, int] = result["errors"]  # type: ignore[assignment]
    print(f"{args.users} users, {args.seconds:.0f} s, think {args.think} s, "
          f"{result['scenarios']} scenarios, server: 1 uvicorn process, {os.cpu_count()} cores")
    print(f"{'endpoint':<10}{'requests':>10}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
          f"{'p99 ms':>9}{'errors':>8}")
    every: list[float] = []
    for kind, values in samples.items():
        ms = np.array(values) * 1000.0
        every += values
        print(f"{kind:<10}{ms.size:>10}{ms.size / args.seconds:>8.1f}"
              f"{np.percentile(ms, 50):>9.1f}{np.percentile(ms, 95):>9.1f}"
              f"{np.percentile(ms, 99):>9.1f}{errors[kind]:>8}")
    all_ms = np.array(every) * 1000.0
    p95 = float(np.percentile(all_ms, 95))
    verdict = "met" if p95 < 300 and not sum(errors.values()) else "NOT met"
    print(f"{'all':<10}{all_ms.size:>10}{all_ms.size / args.seconds:>8.1f}"
          f"{np.percentile(all_ms, 50):>9.1f}{p95:>9.1f}{np.percentile(all_ms, 99):>9.1f}"
          f"{sum(errors.values()):>8}   target p95 < 300 ms, no errors: {verdict}")


if __name__ == "__main__":
    main()
