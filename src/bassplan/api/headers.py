"""Security headers on every response the server sends — pages, API, static files, errors,
the docs — from one ASGI middleware on the outside of the app, so no route can forget them.

The Content-Security-Policy allows only the server's own scripts, styles, images (and data:
images, which Swagger UI's stylesheet uses), fetches and forms; no framing, no plugins. An
inline script runs only with the request's nonce (``csp_nonce(request)``): /docs starts
Swagger UI that way; the dashboard's pages have no inline script at all."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

NONCE_KEY = "csp_nonce"


def content_security_policy(nonce: str) -> str:
    """The policy for one response whose inline scripts carry ``nonce``."""
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' 'nonce-{nonce}'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))


def security_headers(nonce: str) -> dict[str, str]:
    """Every header the middleware adds (unless the response sets it itself)."""
    return {
        "Content-Security-Policy": content_security_policy(nonce),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
    }


def csp_nonce(request: Request) -> str:
    """The nonce an inline script of this response must carry (set by SecurityHeaders)."""
    nonce: str = request.scope["state"][NONCE_KEY]
    return nonce


class SecurityHeaders:
    """ASGI middleware: a fresh nonce per request, and the security headers on its response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response's start message."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})[NONCE_KEY] = nonce
        extra = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                 for name, value in security_headers(nonce).items()]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in extra if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
