"""Log in and out of the pages, switch language, and the reader's own account: change the
password, and issue, list and revoke API tokens. The login form carries its own CSRF token
(a random cookie echoed in the form) because no session exists yet."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bassplan.api.deps import ClientAddress, ClockDep, LimiterDep, SessionsDep, SettingsDep
from bassplan.api.regions import REGION_COOKIE, get_regions
from bassplan.api.routes.session import set_session_cookie, sign_in, sign_out
from bassplan.api.schema_base import RowId
from bassplan.api.schemas import TokenCreate
from bassplan.api.settings import Settings
from bassplan.api.tokens import COOKIE_NAME
from bassplan.domain import limits
from bassplan.domain.errors import InputError
from bassplan.i18n.labels import label
from bassplan.i18n.words import LANGS
from bassplan.store.accounts import change_password, issue_token, list_tokens, revoke_token
from bassplan.store.models import User
from bassplan.store.password_policy import MIN_LENGTH, RULE_NUMBERS, PasswordRefused
from bassplan.web.formparse import fields, parse
from bassplan.web.localtime import format_time
from bassplan.web.pageauth import CheckedForm, PageUser
from bassplan.web.render import LANG_COOKIE, page_lang, render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "bass_login_csrf"
REGION_NEUTRAL = frozenset({"/scenarier/nyt", "/scenarier/sammenlign"})  # pages of any region


def safe_next(target: str | None) -> str:
    """A local path to return to after login (never another site)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _login_page(request: Request, next_path: str, error: str = "",
                status: int = 200) -> HTMLResponse:
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", status=status, next_path=next_path, error=error,
                      login_csrf=token)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", path="/login")
    return response


@router.get("/login")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    """The login form."""
    return _login_page(request, safe_next(next))


@router.post("/login")
def login_submit(
    request: Request,
    settings: SettingsDep,
    sessions: SessionsDep,
    limiter: LimiterDep,
    address: ClientAddress,
    clock: ClockDep,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    """Check the login; back to the form with the reason if it fails."""
    target = safe_next(next)
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(expected, csrf_token):
        return _login_page(request, target, "csrf_failed", 403)
    response = RedirectResponse(target, status_code=303)
    try:
        sign_in(response, settings, sessions, limiter, address=address, now=clock(),
                username=username.strip(), password=password)
    except HTTPException as exc:
        reason = "login_limited" if exc.status_code == 429 else "login_failed"
        return _login_page(request, target, reason, exc.status_code)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout_submit(request: Request, form: CheckedForm, settings: SettingsDep,
                  sessions: SessionsDep, clock: ClockDep) -> Response:
    """End the session (on the server, at once) and go to the login page."""
    response = RedirectResponse("/login", status_code=303)
    sign_out(response, settings, sessions, request.cookies.get(COOKIE_NAME), clock())
    return response


@router.get("/sprog/{lang}")
def switch_language(lang: str, next: str | None = None) -> Response:
    """Remember the reader's language (da or en) and return to the page."""
    if lang not in LANGS:
        raise HTTPException(404, "not_found")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


@router.get("/region")
def switch_region(
    request: Request, region: Annotated[str, Query(max_length=limits.MAX_NAME_CHARS)],
    next: str | None = None,
) -> Response:
    """Remember the reader's region (a region id of this server) and return to the page (to
    the scenario list from one scenario's page, which belongs to the region left)."""
    if not get_regions(request).known(region):
        raise HTTPException(404, "not_found")
    target = safe_next(next)
    if target.startswith("/scenarier/") and urlsplit(target).path not in REGION_NEUTRAL:
        target = "/scenarier"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(REGION_COOKIE, region, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


ACCOUNT_OK = frozenset({"password_changed", "token_revoked"})


def account_response(request: Request, user: User, settings: Settings, sessions: SessionsDep,
                     now: datetime, *, status: int = 200, error: str = "", ok: str = "",
                     new_token: str = "", token_error: str = "") -> HTMLResponse:
    """The account page: who, the password form, and the reader's API tokens."""
    lang = page_lang(request)
    tokens = [(t, t.state(now), format_time(t.created_at, lang), format_time(t.expires_at, lang),
               format_time(t.last_used_at, lang) if t.last_used_at else "–")
              for t in list_tokens(sessions, username=user.username)]
    error_text = label(error, lang)
    if error_text != error:  # a label key (its numbers filled in), not a line of text
        error_text = error_text.format(**RULE_NUMBERS)
    return render(request, "account.html", status=status, error=error_text, ok=ok,
                  min_password=MIN_LENGTH, tokens=tokens, new_token=new_token,
                  token_error=token_error, token_days=settings.token_days,
                  token_max_days=settings.token_max_days)


@router.get("/konto")
def account_page(request: Request, user: PageUser, settings: SettingsDep,
                 sessions: SessionsDep, clock: ClockDep, ok: str | None = None) -> HTMLResponse:
    """The reader's own account: who, which role, a form to change the password, and the
    reader's API tokens (issue, revoke)."""
    return account_response(request, user, settings, sessions, clock(),
                            ok=ok if ok in ACCOUNT_OK else "")


@router.post("/konto/adgangskode")
def change_password_submit(request: Request, form: CheckedForm, user: PageUser,
                           settings: SettingsDep, sessions: SessionsDep,
                           clock: ClockDep) -> Response:
    """Change the reader's password: every session of the reader ends, this browser gets a
    new one; the form again with the reason if refused."""
    current, new, again = (str(form.get(k, "")) for k in ("current", "new", "again"))
    now = clock()
    try:
        if new != again:
            raise InputError("password form", "", "again", "password_mismatch")
        change_password(sessions, username=user.username, current=current, new=new, now=now)
    except InputError as exc:
        reason = (exc.key if isinstance(exc, PasswordRefused) else
                  {"again": "password_mismatch", "current_password": "password_wrong"}
                  .get(exc.field, exc.line()))
        return account_response(request, user, settings, sessions, now, status=422,
                                error=reason)
    response = RedirectResponse("/konto?ok=password_changed", status_code=303)
    set_session_cookie(response, settings, sessions, user, now)
    return response


@router.post("/konto/noegler")
def token_create_submit(request: Request, form: CheckedForm, user: PageUser,
                        settings: SettingsDep, sessions: SessionsDep,
                        clock: ClockDep) -> Response:
    """Issue an API token for the reader and show it this once on the page (never stored
    in a link or a redirect)."""
    values = fields(form, ("name",), optional=("days",))
    now = clock()
    try:
        body = parse(TokenCreate, values, kind="token", where="new")
        days = body.days if body.days is not None else settings.token_days
        if days > settings.token_max_days:
            raise InputError("token", body.name, "days",
                             label("token_days_max", page_lang(request))
                             .format(max=settings.token_max_days))
        token, _ = issue_token(sessions, username=user.username, name=body.name, days=days,
                               actor_id=user.id, now=now)
    except InputError as exc:
        return account_response(request, user, settings, sessions, now, status=422,
                                token_error=exc.line())
    return account_response(request, user, settings, sessions, now, status=201,
                            new_token=token)


@router.post("/konto/noegler/{token_id}/tilbagekald")
def token_revoke_submit(token_id: Annotated[RowId, Path()], form: CheckedForm, user: PageUser,
                        sessions: SessionsDep, clock: ClockDep) -> Response:
    """Revoke one of the reader's API tokens (404 for anyone else's)."""
    revoke_token(sessions, token_id=token_id, actor=user, now=clock())
    return RedirectResponse("/konto?ok=token_revoked", status_code=303)

