"""Benchmark: does the server keep serving its users while one of them attacks it?

Starts the real server (``bass serve`` on a fresh SQLite file with the example scenarios,
uvicorn in its own process) and lets 20 users work — log in, list the scenarios, evaluate
one, read the scenario list, the map and the scorecard pages — for ``--seconds``, twice:
first undisturbed, then while one more user sends every hostile input of
``tests/support/hostile.py`` in turn, over and over (the alias bomb by API and page, deep
YAML and JSON, bodies too large by Content-Length and streamed, oversize fields, tables
with too many rows or problems, an xlsx zip bomb, NUL and lone surrogates in body, path,
query and login). Reports the users' p50/p95 latency and errors in both runs, what each
hostile input was answered with and how fast, the server's peak memory (VmHWM of its
process) after each run, and whether the database is unchanged by the refused requests
(the rows of every table, the audit trail's included, and every scenario's version).

Run: .venv/bin/python benchmarks/bench_hostile.py [--users 20] [--seconds 30] [--think 1]
     [--no-imports]  (without the table uploads, which only an admin may send)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the hostile inputs are the tests' (tests/support/hostile.py)

from bassplan.domain import limits  # noqa: E402
from bench_web import PASSWORD, free_port, prepare, wait_until_up  # noqa: E402
from tests.support import hostile  # noqa: E402

SPECIALTIES = ("kardiologi", "lungemedicin", "geriatri")
HOSTILE_USER = "hostile"


@dataclass
class Tally:
    """Latencies (seconds) and errors per kind of request."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, seconds: float, ok: bool) -> None:
        """Count one request of ``kind``."""
        self.samples.setdefault(kind, []).append(seconds)
        self.errors[kind] = self.errors.get(kind, 0) + (not ok)


async def logged_in(base: str, username: str, tally: Tally) -> tuple[httpx.AsyncClient, str]:
    """A client with a cookie session of ``username`` and its CSRF token (the login timed)."""
    client = httpx.AsyncClient(base_url=base, timeout=120.0)
    start = time.perf_counter()
    login = await client.post("/api/login", json={"username": username, "password": PASSWORD})
    tally.add("login", time.perf_counter() - start, login.status_code == 200)
    login.raise_for_status()
    return client, str(login.json()["csrf_token"])


async def user_loop(client: httpx.AsyncClient, token: str, k: int, names: list[str],
                    think: float, until: float, tally: Tally) -> None:
    """One logged-in user: list, evaluate and read pages until ``until``."""
    rng = random.Random(k)
    csrf = {"X-CSRF-Token": token}
    try:
        while time.monotonic() < until:
            name = rng.choice(names)
            for kind, method, path, params in (
                ("list", "GET", "/api/scenarios", None),
                ("evaluate", "POST", f"/api/scenarios/{name}/evaluate", None),
                ("pages", "GET", "/scenarier", None),
                ("pages", "GET", "/", {"scenario": name, "specialty": rng.choice(SPECIALTIES)}),
                ("pages", "GET", "/scorecard", {"scenario": name}),
            ):
                if time.monotonic() >= until:
                    return
                start = time.perf_counter()
                try:
                    response = await client.request(method, path, params=params, headers=csrf)
                    ok = response.status_code == 200
                except httpx.HTTPError:
                    ok = False
                tally.add(kind, time.perf_counter() - start, ok)
                if think:
                    await asyncio.sleep(think * rng.uniform(0.5, 1.5))
    finally:
        await client.aclose()


async def declared_only(base: str, path: str, content_type: str, length: int,
                        token: str) -> int:
    """Send only the headers of a request whose Content-Length is ``length``; the status
    the server answers with before any of the body arrives."""
    host, port = base.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write((f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: {content_type}"
                      f"\r\nContent-Length: {length}\r\nAuthorization: Bearer {token}\r\n"
                      "Connection: close\r\n\r\n").encode())
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), timeout=30.0)
        return int(line.split()[1])
    finally:
        writer.close()


async def streamed(chunks: list[bytes], head: bytes = b"") -> AsyncIterator[bytes]:
    """A body without Content-Length (chunked), ``head`` first."""
    if head:
        yield head
    for chunk in chunks:
        yield chunk
        await asyncio.sleep(0)


Attack = tuple[str, int, Callable[[], Awaitable[int]]]


def attacks(base: str, client: httpx.AsyncClient, bearer: dict[str, str], token: str,
            page_csrf: str, victim: str) -> list[Attack]:
    """(name, expected status, send) of every hostile input; ``send`` returns the status."""
    json_headers = {**bearer, "content-type": "application/json"}

    async def status(request: Awaitable[httpx.Response]) -> int:
        try:
            return (await request).status_code
        except httpx.HTTPError:
            return 0  # the connection broke: counted as not the expected answer

    async def version() -> int:
        return int((await client.get(f"/api/scenarios/{victim}", headers=bearer)).json()
                   ["version"])

    async def put_bomb() -> int:
        body = {"expected_version": await version(), "yaml": hostile.alias_bomb()}
        return await status(client.put(f"/api/scenarios/{victim}", headers=bearer, json=body))

    def page_yaml(text: str, as_file: bool) -> Callable[[], Awaitable[int]]:
        data = {"csrf_token": page_csrf, "name": "", "description": "",
                "yaml_text": "" if as_file else text}
        file = ("bombe.yaml", text.encode()) if as_file else ("", b"")
        return lambda: status(client.post("/scenarier/nyt/yaml", data=data,
                                          files={"yaml_file": file}))

    def upload(name: str, content: bytes) -> Callable[[], Awaitable[int]]:
        return lambda: status(client.post("/api/data/staffing", headers=bearer,
                                          files={"file": (name, content)}))

    def post_json(content: bytes | str) -> Callable[[], Awaitable[int]]:
        return lambda: status(client.post("/api/scenarios", headers=json_headers,
                                          content=content))

    def scenario(**fields: str) -> str:
        body = {**hostile.scenario_body("fjendtlig", hostile.valid_scenario("fjendtlig")),
                **fields}
        return json.dumps(body)  # ASCII escapes: \\u0000, \\ud800

    boundary = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"s.csv\"\r\n\r\n"
    return [
        ("alias bomb, API create", 422,
         lambda: status(client.post("/api/scenarios", headers=bearer, json=hostile.scenario_body(
             "bombe", hostile.alias_bomb())))),
        ("alias bomb, API update", 422, put_bomb),
        ("alias bomb, page upload", 422, page_yaml(hostile.alias_bomb(), as_file=True)),
        ("alias bomb, page paste", 422, page_yaml(hostile.alias_bomb(), as_file=False)),
        ("YAML 100,000 deep", 422, post_json(json.dumps(hostile.scenario_body(
            "dyb", hostile.deep_yaml(100_000))))),
        ("JSON 200,000 deep", 422, post_json(hostile.deep_json(200_000))),
        ("JSON body 50 MB declared", 413,
         lambda: declared_only(base, "/api/scenarios", "application/json", 50_000_000, token)),
        ("JSON body 3 MB streamed", 413,
         lambda: status(client.post("/api/scenarios", headers=json_headers, content=streamed(
             hostile.chunks(3_000_000))))),
        ("upload 1 GB declared", 413,
         lambda: declared_only(base, "/api/data/staffing", "multipart/form-data; boundary=xyz",
                               1_000_000_000, token)),
        ("upload 25 MB streamed", 413,
         lambda: status(client.post(
             "/api/data/staffing",
             headers={**bearer, "content-type": "multipart/form-data; boundary=xyz"},
             content=streamed(hostile.chunks(25_000_000), boundary)))),
        ("name 81 characters", 422, post_json(scenario(name="n" * (limits.MAX_NAME_CHARS + 1)))),
        ("YAML 1 MB + 1 in JSON", 422, post_json(scenario(yaml="#" * (limits.MAX_YAML_BYTES + 1)))),
        ("CSV 200,001 rows", 422, upload("staffing.csv", hostile.many_rows_csv())),
        ("CSV 50,000 bad rows", 422, upload("staffing.csv", hostile.bad_rows_csv(50_000))),
        ("CSV cell 1,001 chars", 422, upload("staffing.csv", hostile.long_cell_csv())),
        ("xlsx zip bomb 60 MB", 422, upload("staffing.xlsx", hostile.xlsx_bomb())),
        ("NUL in JSON", 422, post_json(scenario(description=hostile.NUL))),
        ("lone surrogate in JSON", 422, post_json(scenario(description=hostile.SURROGATE))),
        ("NUL in path", 422,
         lambda: status(client.get("/api/scenarios/x%00y", headers=bearer))),
        ("NUL in query", 422,
         lambda: status(client.get("/api/deliverables?specialty=x%00", headers=bearer))),
    ]


@dataclass
class HostileRun:
    """What each hostile input was answered with: statuses seen and seconds taken."""

    statuses: dict[str, dict[int, int]] = field(default_factory=dict)
    seconds: dict[str, list[float]] = field(default_factory=dict)
    expected: dict[str, int] = field(default_factory=dict)


async def hostile_loop(base: str, client: httpx.AsyncClient, token: str, until: float,
                       run: HostileRun, victim: str, skip_imports: bool) -> None:
    """The hostile user (logged in with ``client``, and with the API ``token``): every
    attack in turn, over and over, until ``until``."""
    bearer = {"Authorization": f"Bearer {token}"}
    try:
        page = await client.get("/scenarier/nyt")
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, "no form token on the page"
        plan = [a for a in attacks(base, client, bearer, token, found.group(1), victim)
                if not (skip_imports and a[0].startswith(("CSV", "xlsx", "upload")))]
        # NUL in the login name once (it must not count against the address's login limit)
        start = time.perf_counter()
        nul_login = await client.post("/api/login", content=json.dumps(
            {"username": hostile.NUL, "password": "x" * 12}),
            headers={"content-type": "application/json"})
        run.expected["NUL in login name"] = 422
        run.statuses["NUL in login name"] = {nul_login.status_code: 1}
        run.seconds["NUL in login name"] = [time.perf_counter() - start]
        while time.monotonic() < until:
            for name, expected, send in plan:
                if time.monotonic() >= until:
                    return
                start = time.perf_counter()
                got = await send()
                run.expected[name] = expected
                seen = run.statuses.setdefault(name, {})
                seen[got] = seen.get(got, 0) + 1
                run.seconds.setdefault(name, []).append(time.perf_counter() - start)
    finally:
        await client.aclose()


def peak_memory_mb(pid: int) -> float:
    """The server process's peak resident memory (VmHWM) in MB."""
    status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(found.group(1)) / 1024 if found else float("nan")


def reset_peak_memory(pid: int) -> None:
    """Start the process's VmHWM afresh from its present resident memory (clear_refs 5)."""
    Path(f"/proc/{pid}/clear_refs").write_text("5", encoding="ascii")


def snapshot(database: str) -> tuple[dict[str, int], dict[str, int]]:
    """Rows per table (audit trail included) and every scenario's version."""
    from sqlalchemy import select

    from bassplan.store.engine import make_engine, session_factory
    from bassplan.store.models import Scenario

    engine = make_engine(database)
    try:
        sessions = session_factory(engine)
        counts = hostile.row_counts(sessions)
        with sessions() as session:
            versions = {s.name: s.version for s in session.scalars(select(Scenario))}
        return counts, versions
    finally:
        engine.dispose()


async def phase(base: str, args: argparse.Namespace, names: list[str],
                hostile_token: str | None, database: str, pid: int
                ) -> tuple[Tally, HostileRun, tuple[dict[str, int], dict[str, int]] | None,
                           float, float]:
    """One run: the users log in (and the hostile user, when given its API token), the
    server's peak memory is started afresh, then the users work for ``args.seconds`` (with
    the attacks). Returns the users' tally, the hostile run, the database as it was before
    the attacks, and the server's peak memory (MB) while logging in and while working."""
    tally, run = Tally(), HostileRun()
    reset_peak_memory(pid)
    clients = await asyncio.gather(*(logged_in(base, f"user{k}", tally)
                                     for k in range(args.users)))
    attacker = None if hostile_token is None else await logged_in(base, HOSTILE_USER, Tally())
    login_peak = peak_memory_mb(pid)
    before = None if hostile_token is None else snapshot(database)
    reset_peak_memory(pid)
    until = time.monotonic() + args.seconds
    workers = [user_loop(client, token, k, names, args.think, until, tally)
               for k, (client, token) in enumerate(clients)]
    if attacker is not None and hostile_token is not None:
        workers.append(hostile_loop(base, attacker[0], hostile_token, until, run, names[0],
                                    args.no_imports))
    await asyncio.gather(*workers)
    return tally, run, before, login_peak, peak_memory_mb(pid)


def print_tally(title: str, tally: Tally, seconds: float) -> tuple[float, int]:
    """The users' latency table; returns (p95 ms over the work after login, errors)."""
    print(title)
    print(f"  {'request':<10}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}")
    every: list[float] = []
    for kind, values in tally.samples.items():
        ms = np.array(values) * 1000.0
        if kind != "login":  # before the clock (Argon2id, slow by design)
            every += values
        print(f"  {kind:<10}{ms.size:>8}{np.percentile(ms, 50):>9.0f}"
              f"{np.percentile(ms, 95):>9.0f}{tally.errors[kind]:>8}")
    all_ms = np.array(every) * 1000.0
    p95, errors = float(np.percentile(all_ms, 95)), sum(tally.errors.values())
    print(f"  {'work':<10}{all_ms.size:>8}{np.percentile(all_ms, 50):>9.0f}{p95:>9.0f}"
          f"{errors:>8}   ({all_ms.size / seconds:.1f} requests/s)")
    return p95, errors


async def drive(base: str, args: argparse.Namespace, database: str, token: str,
                pid: int) -> bool:
    """Both runs and the report; True if every hostile input got its expected answer, the
    users saw no errors and the database is unchanged."""
    await wait_until_up(base)
    async with httpx.AsyncClient(base_url=base, timeout=120.0) as client:
        bearer = {"Authorization": f"Bearer {token}"}
        names = [s["name"] for s in (await client.get("/api/scenarios", headers=bearer)).json()]
        for name in names:  # warm-up: each scenario evaluated once, the map drawn once
            await client.post(f"/api/scenarios/{name}/evaluate", headers=bearer)
    quiet, _, _, quiet_login_peak, quiet_peak = await phase(base, args, names, None, database,
                                                            pid)
    attacked, run, before, login_peak, attacked_peak = await phase(base, args, names, token,
                                                                   database, pid)
    after = snapshot(database)
    print(f"{args.users} users, {args.seconds:.0f} s per run, think {args.think} s, "
          f"{len(names)} scenarios; server: one uvicorn process, {os.cpu_count()} cores")
    quiet_p95, quiet_errors = print_tally("Without the hostile user:", quiet, args.seconds)
    print(f"  server peak memory (VmHWM): {quiet_login_peak:.0f} MB while {args.users} users "
          f"log in, {quiet_peak:.0f} MB while they work")
    hostile_p95, hostile_errors = print_tally("With the hostile user:", attacked, args.seconds)
    print(f"  server peak memory (VmHWM): {login_peak:.0f} MB while {args.users + 1} users "
          f"log in, {attacked_peak:.0f} MB while they work and one attacks")
    print("Hostile inputs (each sent in turn, over and over):")
    print(f"  {'input':<28}{'sent':>6}{'answer':>14}{'expected':>9}{'p50 ms':>9}{'max ms':>9}")
    all_answered = True
    for name, seen in run.statuses.items():
        ms = np.array(run.seconds[name]) * 1000.0
        answers = ",".join(f"{code}×{n}" for code, n in sorted(seen.items()))
        ok = set(seen) == {run.expected[name]}
        all_answered &= ok
        print(f"  {name:<28}{ms.size:>6}{answers:>14}{run.expected[name]:>9}"
              f"{np.percentile(ms, 50):>9.0f}{ms.max():>9.0f}{'' if ok else '  UNEXPECTED'}")
    unchanged = before is not None and before == after
    if before is not None and not unchanged:
        print("  database before:", before, "\n  database after: ", after)
    counts = after[0]
    print(f"Database after the attacks: {'unchanged' if unchanged else 'CHANGED'} "
          f"({sum(counts.values())} rows in {len(counts)} tables, "
          f"{counts.get('audit_entries', 0)} audit entries, {len(after[1])} scenarios at the "
          "same versions)")
    print(f"p95 of the users' requests: {quiet_p95:.0f} ms without, {hostile_p95:.0f} ms with "
          f"the hostile user; errors {quiet_errors} and {hostile_errors}")
    return all_answered and unchanged and not quiet_errors and not hostile_errors


def main() -> None:
    """Prepare the database, start the server, run both phases, print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a user waits between requests (0 = none)")
    parser.add_argument("--no-imports", action="store_true",
                        help="leave out the table uploads (an admin's): a planner's attacks")
    args = parser.parse_args()
    from bassplan.store.accounts import create_token, create_user
    from bassplan.store.engine import make_engine, session_factory

    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        prepare(database, args.users)
        engine = make_engine(database)
        sessions = session_factory(engine)
        create_user(sessions, username=HOSTILE_USER, display_name="Fjendtlig",
                    password=PASSWORD, role="admin")
        token = create_token(sessions, username=HOSTILE_USER, name="benchmark")
        engine.dispose()
        port = free_port()
        env = {**os.environ, "BASS_DATABASE_URL": database, "BASS_SECRET_KEY": "benchmark"}
        server = subprocess.Popen(
            [str(Path(sys.executable).parent / "bass"), "serve", "--port", str(port),
             "--examples", str(Path(tmp) / "none")],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            ok = asyncio.run(drive(f"http://127.0.0.1:{port}", args, database, token,
                                   server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("verdict:", "held" if ok else "NOT held")
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
