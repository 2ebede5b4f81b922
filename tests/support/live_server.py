"""A real server for browser and schema tests: uvicorn in a thread on a free loopback port,
over its own database (a SQLite file unless given a URL), with the four role users and two
example scenarios."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from bassplan.web.app import create_web_app
from tests.support.api import settings_for
from tests.support.web import seeded


@dataclass(frozen=True)
class LiveServer:
    """Where the server listens, and its app (for its store)."""

    url: str
    app: FastAPI


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def live_server(tmp_path: Path, database_url: str | None = None,
                **changes: Any) -> Iterator[LiveServer]:
    """Start the server over ``database_url`` (default: a SQLite file in ``tmp_path``) with
    the test settings and ``changes`` to them, seed it, yield it, and stop it."""
    url = database_url or f"sqlite:///{tmp_path / 'live.sqlite'}"
    app = create_web_app(replace(settings_for(url), **changes))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port,
                                           log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30.0
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    seeded(app)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", app)
    finally:
        server.should_exit = True
        thread.join(timeout=60.0)
