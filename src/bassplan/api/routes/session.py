"""Log in (sets a signed HttpOnly cookie, returns the CSRF token), log out, and who am I."""

from __future__ import annotations

import math

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session, sessionmaker

from bassplan.api.deps import AuthDep, LimiterDep, SessionsDep, SettingsDep
from bassplan.api.ratelimit import LoginLimiter
from bassplan.api.schemas import LoginRequest, PasswordChange, SessionPublic, UserPublic
from bassplan.api.settings import Settings
from bassplan.api.tokens import COOKIE_NAME, csrf_token, sign_session
from bassplan.store.accounts import authenticate, change_password
from bassplan.store.models import User

router = APIRouter(prefix="/api", tags=["session"])


def sign_in(
    request: Request,
    response: Response,
    settings: Settings,
    sessions: sessionmaker[Session],
    limiter: LoginLimiter,
    *,
    username: str,
    password: str,
) -> tuple[User, str]:
    """Check the login and set the session cookie on ``response``; returns the user and the
    CSRF token. 401 if wrong, 429 after too many failures a minute (per name and client)."""
    key = f"{username.lower()}|{request.client.host if request.client else '-'}"
    wait = limiter.retry_after(key)
    if wait is not None:
        raise HTTPException(429, "too many failed logins; try again in a minute",
                            headers={"Retry-After": str(max(1, math.ceil(wait)))})
    user = authenticate(sessions, username=username, password=password)
    if user is None:
        limiter.fail(key)
        raise HTTPException(401, "wrong username or password")
    limiter.clear(key)
    cookie = sign_session(settings.secret_key, user_id=user.id, username=user.username,
                          max_age_seconds=settings.session_max_age_seconds)
    response.set_cookie(COOKIE_NAME, cookie, max_age=settings.session_max_age_seconds,
                        httponly=True, samesite="lax", secure=settings.cookie_secure, path="/")
    return user, csrf_token(settings.secret_key, cookie)


def sign_out(response: Response, settings: Settings) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(COOKIE_NAME, path="/", httponly=True, samesite="lax",
                           secure=settings.cookie_secure)


@router.post("/login")
def login(
    body: LoginRequest,
    request: Request,
    response: Response,
    settings: SettingsDep,
    sessions: SessionsDep,
    limiter: LimiterDep,
) -> SessionPublic:
    """Check username and password; 401 if wrong, 429 after too many failures a minute."""
    user, csrf = sign_in(request, response, settings, sessions, limiter,
                         username=body.username, password=body.password)
    return SessionPublic(user=UserPublic.model_validate(user), csrf_token=csrf)


@router.post("/logout", status_code=204)
def logout(auth: AuthDep, response: Response, settings: SettingsDep) -> None:
    """End the cookie session (the cookie is removed from the browser)."""
    sign_out(response, settings)


@router.get("/session")
def current_session(auth: AuthDep) -> SessionPublic:
    """The current user and the session's CSRF token (None for token requests)."""
    return SessionPublic(user=UserPublic.model_validate(auth.user), csrf_token=auth.csrf_token)


@router.post("/session/password", status_code=204)
def change_own_password(body: PasswordChange, auth: AuthDep, sessions: SessionsDep) -> Response:
    """Change the current user's password (422 if the current one is wrong)."""
    change_password(sessions, username=auth.user.username, current=body.current_password,
                    new=body.new_password)
    return Response(status_code=204)
