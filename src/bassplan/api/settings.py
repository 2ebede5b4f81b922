"""The API's settings: one frozen record, read from the environment at the edge."""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from pathlib import Path

from bassplan.api.ratelimit import LoginLimits, parse_networks
from bassplan.domain.errors import InputError
from bassplan.store.accounts import TOKEN_DAYS, TOKEN_MAX_DAYS
from bassplan.store.engine import database_url
from bassplan.store.login_sessions import Timeouts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """Where the data lives and how sessions and logins are guarded."""

    database_url: str
    secret_key: str  # signs session cookies and derives CSRF tokens
    data_dir: Path | None = None  # region directory; None for the bundled region
    session_max_age_seconds: int = 8 * 3600  # absolute session time-out after login
    session_idle_seconds: int = 30 * 60  # a session ends after this long without a request
    token_days: int = TOKEN_DAYS  # a new API token's lifetime unless asked otherwise
    token_max_days: int = TOKEN_MAX_DAYS  # the longest lifetime a token may be asked for
    login_window_seconds: int = 15 * 60  # the login limits count failures in this window
    login_failures_per_account: int = 10  # per account name, from any address
    login_failures_per_address: int = 50  # per client address, for any account
    login_names_per_address: int = 10  # distinct account names failed from one address
    trusted_proxies: tuple[str, ...] = ()  # addresses/networks whose X-Forwarded-For counts
    cookie_secure: bool = False  # True when served over HTTPS only

    def session_timeouts(self) -> Timeouts:
        """The idle and absolute session time-outs."""
        return Timeouts(idle=timedelta(seconds=self.session_idle_seconds),
                        absolute=timedelta(seconds=self.session_max_age_seconds))

    def login_limits(self) -> LoginLimits:
        """The failed-login limits."""
        return LoginLimits(self.login_failures_per_account, self.login_failures_per_address,
                           self.login_names_per_address, float(self.login_window_seconds))


@cache
def _generated_secret() -> str:
    """A random secret for this process, generated (and logged) once."""
    log.warning("BASS_SECRET_KEY is not set: generated a random secret key; forms opened "
                "before a restart must be reloaded (their CSRF tokens end with this process)")
    return secrets.token_urlsafe(32)


def _whole(name: str, default: int, unit: int = 1) -> int:
    """The environment variable ``name`` (a whole number ≥ 1) times ``unit``, or
    ``default`` if it is unset; InputError naming the variable if it is something else."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise InputError("environment", "", name, f"'{text}' is not a whole number ≥ 1")
    return int(text) * unit


def _proxies() -> tuple[str, ...]:
    """$BASS_TRUSTED_PROXIES: comma-separated addresses or networks; InputError if bad."""
    entries = tuple(e.strip() for e in os.environ.get("BASS_TRUSTED_PROXIES", "").split(",")
                    if e.strip())
    try:
        parse_networks(entries)
    except ValueError as exc:
        raise InputError("environment", "", "BASS_TRUSTED_PROXIES", str(exc)) from None
    return entries


def settings_from_env() -> Settings:
    """Settings from $BASS_DATABASE_URL, $BASS_SECRET_KEY, $BASS_REGION (a bundled region id
    or a directory; $BASS_DATA_DIR is its older name),
    $BASS_COOKIE_SECURE (1/true/yes), $BASS_SESSION_IDLE_MINUTES, $BASS_SESSION_MAX_HOURS,
    $BASS_TOKEN_DAYS, $BASS_TOKEN_MAX_DAYS and $BASS_TRUSTED_PROXIES (the reverse proxies
    whose X-Forwarded-For is believed; none by default)."""
    data_dir = os.environ.get("BASS_REGION") or os.environ.get("BASS_DATA_DIR")
    secure = os.environ.get("BASS_COOKIE_SECURE", "").strip().lower() in {"1", "true", "yes"}
    base = Settings(database_url="", secret_key="")
    token_max_days = _whole("BASS_TOKEN_MAX_DAYS", base.token_max_days)
    token_days = _whole("BASS_TOKEN_DAYS", min(base.token_days, token_max_days))
    if token_days > token_max_days:
        raise InputError("environment", "", "BASS_TOKEN_DAYS",
                         f"{token_days} is more than BASS_TOKEN_MAX_DAYS ({token_max_days})")
    return Settings(
        database_url=database_url(),
        secret_key=os.environ.get("BASS_SECRET_KEY") or _generated_secret(),
        data_dir=Path(data_dir) if data_dir else None,
        session_max_age_seconds=_whole("BASS_SESSION_MAX_HOURS",
                                       base.session_max_age_seconds, 3600),
        session_idle_seconds=_whole("BASS_SESSION_IDLE_MINUTES", base.session_idle_seconds, 60),
        token_days=token_days,
        token_max_days=token_max_days,
        trusted_proxies=_proxies(),
        cookie_secure=secure,
    )
