"""Typed dependencies: settings, sessions, region, and the current user from a signed
session cookie (state-changing requests then need the CSRF header) or a bearer token."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.ratelimit import LoginLimiter
from bassplan.api.settings import Settings
from bassplan.api.tokens import COOKIE_NAME, CSRF_HEADER, csrf_matches, csrf_token, read_session
from bassplan.domain.region import Region
from bassplan.domain.results import IndicatorDef
from bassplan.store.accounts import get_user, require_role, user_for_token
from bassplan.store.errors import NotFound
from bassplan.store.models import User

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
    """The region loaded at startup."""
    region: Region = request.app.state.region
    return region


def get_indicators(request: Request) -> Sequence[IndicatorDef]:
    """The scorecard's indicator definitions loaded at startup."""
    indicators: Sequence[IndicatorDef] = request.app.state.indicators
    return indicators


def get_limiter(request: Request) -> LoginLimiter:
    """The app's failed-login limiter."""
    limiter: LoginLimiter = request.app.state.limiter
    return limiter


SettingsDep = Annotated[Settings, Depends(get_settings)]
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


def _unauthorised(detail: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})


def user_from_cookie(
    settings: Settings, sessions: sessionmaker[Session], cookie: str | None
) -> User | None:
    """The active user a validly signed, unexpired session cookie belongs to, else None."""
    claims = read_session(settings.secret_key, cookie) if cookie else None
    if claims is None:
        return None
    try:
        user = get_user(sessions, username=claims.username)
    except NotFound:
        return None
    if user.id != claims.user_id or not user.active:
        return None
    return user


def current_auth(request: Request, settings: SettingsDep, sessions: SessionsDep) -> Auth:
    """Authenticate the request; 401 if neither a valid token nor a valid cookie is given,
    403 if a cookie-authenticated change lacks the right X-CSRF-Token header."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if header:
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorised("the Authorization header must be 'Bearer <token>'")
        user = user_for_token(sessions, token=token.strip())
        if user is None:
            raise _unauthorised("the API token is unknown, revoked or its user is inactive")
        return Auth(user, "token", None)
    cookie = request.cookies.get(COOKIE_NAME)
    user = user_from_cookie(settings, sessions, cookie)
    if cookie is None or user is None:
        raise _unauthorised("log in first (or send an API token)")
    if request.method not in SAFE_METHODS and not csrf_matches(
        settings.secret_key, cookie, request.headers.get(CSRF_HEADER)
    ):
        raise HTTPException(403, f"missing or wrong {CSRF_HEADER} header for this session")
    return Auth(user, "cookie", csrf_token(settings.secret_key, cookie))


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
