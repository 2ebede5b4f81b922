"""Typed dependencies: settings, sessions, region, the clock, the client's address, and the
current user from a session cookie (an open server-side session; state-changing requests
then need the CSRF header) or a bearer token."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.ratelimit import LoginLimiter, client_address, parse_networks
from bassplan.api.regions import chosen_region
from bassplan.api.settings import Settings
from bassplan.api.tokens import COOKIE_NAME, CSRF_HEADER, csrf_matches, csrf_token
from bassplan.domain.region import Region
from bassplan.domain.results import IndicatorDef
from bassplan.store.accounts import require_role, user_for_token
from bassplan.store.login_sessions import session_user
from bassplan.store.models import User

MAX_CREDENTIAL = 200  # characters; longer cookies and tokens are refused unread

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def get_sessions(request: Request) -> sessionmaker[Session]:
    """The app's database session factory."""
    sessions: sessionmaker[Session] = request.app.state.sessions
    return sessions


def get_region(request: Request) -> Region:
    """The region the request works on: the dashboard user's choice, else the default."""
    return chosen_region(request)


def get_indicators(request: Request) -> Sequence[IndicatorDef]:
    """The scorecard's indicator definitions loaded at startup."""
    indicators: Sequence[IndicatorDef] = request.app.state.indicators
    return indicators


def get_limiter(request: Request) -> LoginLimiter:
    """The app's failed-login limiter."""
    limiter: LoginLimiter = request.app.state.limiter
    return limiter


def get_clock(request: Request) -> Callable[[], datetime]:
    """The app's clock (aware UTC; tests replace app.state.clock to move time)."""
    clock: Callable[[], datetime] = request.app.state.clock
    return clock


def get_client_address(request: Request) -> str:
    """The client's address: the connection's peer, or from X-Forwarded-For when the peer is
    one of settings.trusted_proxies (see ratelimit.client_address)."""
    settings = get_settings(request)
    peer = request.client.host if request.client else "-"
    return client_address(peer, request.headers.getlist("x-forwarded-for"),
                          parse_networks(settings.trusted_proxies))


SettingsDep = Annotated[Settings, Depends(get_settings)]
ClockDep = Annotated[Callable[[], datetime], Depends(get_clock)]
ClientAddress = Annotated[str, Depends(get_client_address)]
SessionsDep = Annotated[sessionmaker[Session], Depends(get_sessions)]
RegionDep = Annotated[Region, Depends(get_region)]
IndicatorsDep = Annotated[Sequence[IndicatorDef], Depends(get_indicators)]
LimiterDep = Annotated[LoginLimiter, Depends(get_limiter)]


@dataclass(frozen=True)
class Auth:
    """Who made the request and how: by session cookie (with its CSRF token) or by token."""

    user: User
    via: str  # "cookie" or "token"
    csrf_token: str | None
    session_id: str | None = None  # the cookie's session id (cookie requests only)


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def user_from_cookie(
    settings: Settings, sessions: sessionmaker[Session], cookie: str | None, now: datetime
) -> User | None:
    """The active user of the open session this cookie names, else None."""
    if not cookie or len(cookie) > MAX_CREDENTIAL:
        return None
    return session_user(sessions, session_id=cookie, now=now,
                        timeouts=settings.session_timeouts())


def current_auth(
    request: Request, settings: SettingsDep, sessions: SessionsDep, clock: ClockDep
) -> Auth:
    """Authenticate the request; 401 if neither a valid token nor a valid cookie is given,
    403 if a cookie-authenticated change lacks the right X-CSRF-Token header."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if header:
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorised("the Authorization header must be 'Bearer <token>'")
        found = (user_for_token(sessions, token=token.strip(), now=clock())
                 if len(token) <= MAX_CREDENTIAL else None)
        if found is None:
            raise _unauthorised("the API token is unknown, expired or revoked, or its user "
                                "is inactive")
        return Auth(found, "token", None)
    cookie = request.cookies.get(COOKIE_NAME)
    user = user_from_cookie(settings, sessions, cookie, clock())
    if cookie is None or user is None:
        raise _unauthorised("log in first (or send an API token)")
    if request.method not in SAFE_METHODS and not csrf_matches(
        settings.secret_key, cookie, request.headers.get(CSRF_HEADER)
    ):
        raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header for this session")
    return Auth(user, "cookie", csrf_token(settings.secret_key, cookie), cookie)


AuthDep = Annotated[Auth, Depends(current_auth)]


def current_user(auth: AuthDep) -> User:
    """The authenticated user."""
    return auth.user


CurrentUser = Annotated[User, Depends(current_user)]


def require(role: str) -> Callable[[User], User]:
    """A dependency giving the current user if the role is ``role`` or higher, else 403."""

    def dependency(user: CurrentUser) -> User:
        require_role(user, role)
        return user

    return dependency


ViewerUser = CurrentUser
PlannerUser = Annotated[User, Depends(require("planner"))]
ProgramUser = Annotated[User, Depends(require("program"))]
AdminUser = Annotated[User, Depends(require("admin"))]
