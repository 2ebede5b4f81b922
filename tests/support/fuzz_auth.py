"""Schemathesis hooks (loaded by `st run` through $SCHEMATHESIS_HOOKS): every generated request
carries an admin's API token, and a fresh one is issued whenever the server answers 401.

The fuzzer calls every operation, so it revokes its own token (DELETE /api/tokens/1) and ends
sessions; a fixed token would turn the rest of the run into 401s that test nothing. The
token is issued the way a person gets one: log in ($BASS_FUZZ_URL, $BASS_FUZZ_USER,
$BASS_FUZZ_PASSWORD) and POST /api/tokens with the session's CSRF token."""

from __future__ import annotations

import os
from typing import Any

import httpx
import schemathesis


def issue_token() -> str:
    """A new API token of the fuzzing user, through the login and token endpoints."""
    base = os.environ["BASS_FUZZ_URL"]
    with httpx.Client(base_url=base, timeout=30.0) as client:
        login = client.post("/api/login", json={"username": os.environ["BASS_FUZZ_USER"],
                                                "password": os.environ["BASS_FUZZ_PASSWORD"]})
        login.raise_for_status()
        made = client.post("/api/tokens", json={"name": "schemathesis"},
                           headers={"X-CSRF-Token": login.json()["csrf_token"]})
        made.raise_for_status()
        token: str = made.json()["token"]
        return token


@schemathesis.auth(retry_on=[401])
class AdminToken:
    """A bearer token issued at the start and again after any 401."""

    def get(self, case: Any, context: Any) -> str:
        """A fresh token."""
        return issue_token()

    def set(self, case: Any, data: str, context: Any) -> None:
        """Send it as the Authorization header."""
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}
