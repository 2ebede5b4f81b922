"""Serve the dashboard and the REST API with uvicorn."""

from __future__ import annotations

from bassplan.api.settings import Settings
from bassplan.web.app import create_web_app


def run(host: str, port: int, settings: Settings) -> None:
    """Serve on host:port until interrupted."""
    import uvicorn

    uvicorn.run(create_web_app(settings), host=host, port=port, proxy_headers=True,
                log_level="warning")
