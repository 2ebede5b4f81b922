"""The session cookie and the CSRF token derived from it. The cookie carries only a random
session id (the server keeps its SHA-256 in user_sessions and decides whether it is still
open); the CSRF token is an HMAC-SHA256 of the cookie under the app's secret key."""

from __future__ import annotations

import base64
import hashlib
import hmac

COOKIE_NAME = "bass_session"
CSRF_HEADER = "X-CSRF-Token"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _mac(secret: str, purpose: str, message: str) -> str:
    key = secret.encode("utf-8")
    return _b64(hmac.new(key, f"{purpose}:{message}".encode(), hashlib.sha256).digest())


def csrf_token(secret: str, cookie: str) -> str:
    """The CSRF token bound to one session cookie (sent back in the X-CSRF-Token header)."""
    return _mac(secret, "csrf", cookie)


def csrf_matches(secret: str, cookie: str, header: str | None) -> bool:
    """True if the header carries the CSRF token of this cookie."""
    return header is not None and hmac.compare_digest(header, csrf_token(secret, cookie))
