"""Log in and out of the pages, and switch language. The login form carries its own CSRF
token (a random cookie echoed in the form) because no session exists yet."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bassplan.api.deps import LimiterDep, SessionsDep, SettingsDep
from bassplan.api.routes.session import sign_in, sign_out
from bassplan.domain.errors import InputError
from bassplan.i18n.words import LANGS
from bassplan.store.accounts import change_password
from bassplan.web.pageauth import CheckedForm, PageUser
from bassplan.web.render import LANG_COOKIE, render

router = APIRouter(include_in_schema=False)
LOGIN_CSRF_COOKIE = "bass_login_csrf"


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
        sign_in(request, response, settings, sessions, limiter,
                username=username.strip(), password=password)
    except HTTPException as exc:
        reason = "login_limited" if exc.status_code == 429 else "login_failed"
        return _login_page(request, target, reason, exc.status_code)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
def logout_submit(form: CheckedForm, settings: SettingsDep) -> Response:
    """End the session and go to the login page."""
    response = RedirectResponse("/login", status_code=303)
    sign_out(response, settings)
    return response


@router.get("/sprog/{lang}")
def switch_language(lang: str, next: str | None = None) -> Response:
    """Remember the reader's language (da or en) and return to the page."""
    if lang not in LANGS:
        raise HTTPException(404, "not_found")
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", path="/")
    return response


@router.get("/konto")
def account_page(request: Request, user: PageUser) -> HTMLResponse:
    """The reader's own account: who, which role, and a form to change the password."""
    return render(request, "account.html", error="", done=request.query_params.get("ok") == "1")


@router.post("/konto/adgangskode")
def change_password_submit(request: Request, form: CheckedForm, user: PageUser,
                           sessions: SessionsDep) -> Response:
    """Change the reader's password; the form again with the reason if refused."""
    current, new, again = (str(form.get(k, "")) for k in ("current", "new", "again"))
    try:
        if new != again:
            raise InputError("password form", "", "again", "password_mismatch")
        change_password(sessions, username=user.username, current=current, new=new)
    except InputError as exc:
        reason = {"again": "password_mismatch", "current_password": "password_wrong",
                  "password": "password_short"}.get(exc.field, exc.line())
        return render(request, "account.html", status=422, error=reason, done=False)
    return RedirectResponse("/konto?ok=1", status_code=303)
