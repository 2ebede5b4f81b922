"""Signed session cookies and the CSRF token derived from them (HMAC-SHA256, no server state).

A cookie is ``<payload>.<signature>``: the payload is URL-safe base64 of JSON
``{"uid", "user", "exp", "nonce"}`` with ``exp`` in Unix seconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE_NAME = "bass_session"
CSRF_HEADER = "X-CSRF-Token"


@dataclass(frozen=True)
class SessionClaims:
    """Who a valid session cookie belongs to."""

    user_id: int
    username: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(secret: str, purpose: str, message: str) -> str:
    key = secret.encode("utf-8")
    return _b64(hmac.new(key, f"{purpose}:{message}".encode(), hashlib.sha256).digest())


def sign_session(secret: str, *, user_id: int, username: str, max_age_seconds: int) -> str:
    """A cookie value for this user, valid for ``max_age_seconds``."""
    payload = {"uid": user_id, "user": username, "exp": int(time.time()) + max_age_seconds,
               "nonce": secrets.token_urlsafe(8)}
    body = _b64(json.dumps(payload, separators=(",", ":")).encode("utf-8"))
    return f"{body}.{_mac(secret, 'session', body)}"


def read_session(secret: str, cookie: str) -> SessionClaims | None:
    """The claims of a cookie with a valid signature that has not expired, else None."""
    body, _, signature = cookie.partition(".")
    if not signature or not hmac.compare_digest(signature, _mac(secret, "session", body)):
        return None
    try:
        payload = json.loads(_unb64(body))
        user_id, username, expires = int(payload["uid"]), str(payload["user"]), payload["exp"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(expires, int) or expires < time.time():
        return None
    return SessionClaims(user_id, username)


def csrf_token(secret: str, cookie: str) -> str:
    """The CSRF token bound to one session cookie (sent back in the X-CSRF-Token header)."""
    return _mac(secret, "csrf", cookie)


def csrf_matches(secret: str, cookie: str, header: str | None) -> bool:
    """True if the header carries the CSRF token of this cookie."""
    return header is not None and hmac.compare_digest(header, csrf_token(secret, cookie))
