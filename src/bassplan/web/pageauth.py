"""Who is reading a page: the session cookie's user (else a redirect to the login page),
their role, and the CSRF check of every form a logged-in user posts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.datastructures import FormData

from bassplan.api.deps import ClockDep, SessionsDep, SettingsDep, user_from_cookie
from bassplan.api.tokens import COOKIE_NAME, csrf_matches, csrf_token
from bassplan.store.accounts import require_role
from bassplan.store.models import User

CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):  # noqa: N818 (a redirect, not a failure)
    """The page needs a logged-in user; ``next_path`` is where to return after login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def page_user(
    request: Request, settings: SettingsDep, sessions: SessionsDep, clock: ClockDep
) -> User:
    """The user of the open session the cookie names (also kept on request.state with the
    session's CSRF token)."""
    cookie = request.cookies.get(COOKIE_NAME)
    user = user_from_cookie(settings, sessions, cookie, clock())
    if cookie is None or user is None:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise LoginRequired(target if request.method == "GET" else request.url.path)
    request.state.user = user
    request.state.csrf = csrf_token(settings.secret_key, cookie)
    return user


PageUser = Annotated[User, Depends(page_user)]


def page_role(role: str) -> Callable[[User], User]:
    """A dependency giving the page's user if the role is ``role`` or higher, else 403."""

    def dependency(user: PageUser) -> User:
        require_role(user, role)
        return user

    return dependency


PagePlanner = Annotated[User, Depends(page_role("planner"))]
PageProgram = Annotated[User, Depends(page_role("program"))]
PageAdmin = Annotated[User, Depends(page_role("admin"))]


async def checked_form(
    request: Request, settings: SettingsDep, user: PageUser
) -> AsyncIterator[FormData]:
    """The posted form (urlencoded or multipart) of a logged-in user, if its CSRF field
    matches the session; else 403. Uploaded files are closed once the request is done."""
    form = await request.form()
    try:
        cookie = request.cookies.get(COOKIE_NAME, "")
        sent = form.get(CSRF_FIELD)
        if not isinstance(sent, str) or not csrf_matches(settings.secret_key, cookie, sent):
            raise HTTPException(403, "csrf_failed")
        yield form
    finally:
        await form.close()


CheckedForm = Annotated[FormData, Depends(checked_form)]
