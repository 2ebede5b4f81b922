"""The API's settings: one frozen record, read from the environment at the edge."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bassplan.store.engine import database_url

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how sessions and logins are guarded."""

    database_url: str
    secret_key: str  # signs session cookies and derives CSRF tokens
    data_dir: Path | None = None  # region directory; None for the bundled region
    session_max_age_seconds: int = 8 * 3600
    login_attempts_per_minute: int = 5  # failed logins per username and client IP
    cookie_secure: bool = False  # True when served over HTTPS only


@cache
def _generated_secret() -> str:
    """A random secret for this process, generated (and logged) once."""
    log.warning("BASS_SECRET_KEY is not set: generated a random secret key; sessions end "
                "when this process stops")
    return secrets.token_urlsafe(32)


def settings_from_env() -> Settings:
    """Settings from $BASS_DATABASE_URL, $BASS_SECRET_KEY, $BASS_DATA_DIR and
    $BASS_COOKIE_SECURE (1/true/yes)."""
    data_dir = os.environ.get("BASS_DATA_DIR")
    secure = os.environ.get("BASS_COOKIE_SECURE", "").strip().lower() in {"1", "true", "yes"}
    return Settings(
        database_url=database_url(),
        secret_key=os.environ.get("BASS_SECRET_KEY") or _generated_secret(),
        data_dir=Path(data_dir) if data_dir else None,
        cookie_secure=secure,
    )
