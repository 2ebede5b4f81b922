"""Serve the API with uvicorn."""

from __future__ import annotations

from bassplan.api.app import create_app
from bassplan.api.settings import Settings


def run(host: str, port: int, settings: Settings) -> None:
    """Serve the API on host:port until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=True)
