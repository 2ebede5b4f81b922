"""Log in (opens a server-side session, sets its random id as an HttpOnly cookie, returns
the CSRF token), log out (ends that session), who am I, and changing one's password (ends
every session of the user; a cookie caller gets a fresh one)."""

from __future__ import annotations

import math
from datetime import datetime

from fastapi import APIRouter, HTTPException, Response
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.deps import (
    AuthDep,
    ClientAddress,
    ClockDep,
    LimiterDep,
    SessionsDep,
    SettingsDep,
)
from bassplan.api.ratelimit import LoginLimiter
from bassplan.api.schemas import LoginRequest, PasswordChange, SessionPublic, UserPublic
from bassplan.api.settings import Settings
from bassplan.api.tokens import COOKIE_NAME, csrf_token
from bassplan.store.accounts import authenticate, change_password
from bassplan.store.login_sessions import end_session, start_session
from bassplan.store.models import User

router = APIRouter(prefix="/api", tags=["session"])


def set_session_cookie(response: Response, settings: Settings, sessions: sessionmaker[Session],
                       user: User, now: datetime) -> str:
    """Open a session for ``user``, set its cookie on ``response``; returns its CSRF token."""
    session_id = start_session(sessions, user_id=user.id, now=now,
                               timeouts=settings.session_timeouts())
    response.set_cookie(COOKIE_NAME, session_id, max_age=settings.session_max_age_seconds,
                        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")
    return csrf_token(settings.secret_key, session_id)


def sign_in(
    response: Response,
    settings: Settings,
    sessions: sessionmaker[Session],
    limiter: LoginLimiter,
    *,
    address: str,
    now: datetime,
    username: str,
    password: str,
) -> tuple[User, str]:
    """Check the login and set the session cookie on ``response``; returns the user and the
    CSRF token. 401 if wrong; 429 while the account, the client address, or the number of
    account names tried from it is over its limit of failures."""
    wait = limiter.retry_after(username, address)
    if wait is not None:
        raise HTTPException(429, "too many failed logins; try again later",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})
    user = authenticate(sessions, username=username, password=password)
    if user is None:
        limiter.fail(username, address)
        raise HTTPException(401, "wrong username or password")
    limiter.succeed(username)
    return user, set_session_cookie(response, settings, sessions, user, now)


def sign_out(response: Response, settings: Settings, sessions: sessionmaker[Session],
             session_id: str | None, now: datetime) -> None:
    """End the session on the server and remove its cookie from the browser."""
    if session_id:
        end_session(sessions, session_id=session_id, now=now)
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=settings.cookie_secure)


@router.post("/login", responses={
    401: {"description": "Wrong username or password."},
    429: {"description": "Too many failed logins for this account, address or number of "
                         "names; try again after Retry-After seconds."},
})
def login(
    body: LoginRequest,
    response: Response,
    settings: SettingsDep,
    sessions: SessionsDep,
    limiter: LimiterDep,
    address: ClientAddress,
    clock: ClockDep,
) -> SessionPublic:
    """Check username and password; 401 if wrong, 429 after too many failures."""
    user, csrf = sign_in(response, settings, sessions, limiter, address=address, now=clock(),
                         username=body.username, password=body.password)
    return SessionPublic(user=UserPublic.model_validate(user), csrf_token=csrf)


@router.post("/logout", status_code=204)
def logout(auth: AuthDep, response: Response, settings: SettingsDep, sessions: SessionsDep,
           clock: ClockDep) -> None:
    """End the cookie session: the server forgets it at once and the cookie is removed."""
    sign_out(response, settings, sessions, auth.session_id, clock())


@router.get("/session")
def current_session(auth: AuthDep) -> SessionPublic:
    """The current user and the session's CSRF token (None for token requests)."""
    return SessionPublic(user=UserPublic.model_validate(auth.user), csrf_token=auth.csrf_token)


@router.post("/session/password", status_code=204)
def change_own_password(body: PasswordChange, auth: AuthDep, settings: SettingsDep,
                        sessions: SessionsDep, clock: ClockDep) -> Response:
    """Change the current user's password (422 if the current one is wrong or the new one
    breaks the password rule). Every session of the user ends; a cookie caller gets a new
    session cookie (read its CSRF token from GET /api/session)."""
    now = clock()
    change_password(sessions, username=auth.user.username, current=body.current_password,
                    new=body.new_password, now=now)
    response = Response(status_code=204)
    if auth.via == "cookie":
        set_session_cookie(response, settings, sessions, auth.user, now)
    return response
