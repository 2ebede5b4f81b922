"""Serve the dashboard and the REST API with uvicorn."""

from __future__ import annotations

from bassplan.api.settings import Settings
from bassplan.web.app import create_web_app


def run(host: str, port: int, settings: Settings) -> None:
    """Serve on host:port until interrupted. uvicorn's own proxy-header handling is off
    (by default it believes X-Forwarded-For from 127.0.0.1, so anyone on the host could
    pose as any address): the app reads X-Forwarded-For itself, and only from the proxies
    in settings.trusted_proxies ($BASS_TRUSTED_PROXIES, none by default)."""
    import uvicorn

    uvicorn.run(create_web_app(settings), host=host, port=port, proxy_headers=False,
                forwarded_allow_ips=[], log_level="warning")
