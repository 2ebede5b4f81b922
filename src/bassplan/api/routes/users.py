"""Users (admin: list, create, change role or deactivate, end their login sessions) and API
tokens (each user issues, lists and revokes their own; an admin lists and revokes anyone's).
Every token action and every admin-ended session is in the audit trail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from bassplan.api.deps import AdminUser, AuthDep, ClockDep, SessionsDep, SettingsDep, ViewerUser
from bassplan.api.schema_base import RowId
from bassplan.api.schemas import (
    SessionsEnded,
    TokenCreate,
    TokenListed,
    TokenPublic,
    UserCreate,
    UserPublic,
    UserUpdate,
)
from bassplan.domain.errors import InputError
from bassplan.store import accounts
from bassplan.store.accounts import (
    TokenInfo,
    create_user,
    has_role,
    issue_token,
    list_tokens,
    revoke_token,
    set_role,
)
from bassplan.store.errors import NotFound
from bassplan.store.login_sessions import end_sessions

router = APIRouter(prefix="/api", tags=["users"])


@router.get("/users")
def list_users(user: AdminUser, sessions: SessionsDep) -> list[UserPublic]:
    """Every user, by username."""
    return [UserPublic.model_validate(r) for r in accounts.list_users(sessions)]


@router.post("/users", status_code=201)
def add_user(body: UserCreate, user: AdminUser, sessions: SessionsDep) -> UserPublic:
    """Create an active user with a role; 409 if the username is taken, 422 if the password
    breaks the password rule."""
    row = create_user(sessions, username=body.username, display_name=body.display_name,
                      password=body.password, role=body.role, actor_id=user.id)
    return UserPublic.model_validate(row)


@router.patch("/users/{username}")
def change_user(
    username: str, body: UserUpdate, user: AdminUser, sessions: SessionsDep, clock: ClockDep
) -> UserPublic:
    """Change a user's role and/or deactivate (or reactivate) the user — deactivating ends
    the user's login sessions at once; 422 if that would leave no active admin."""
    row = set_role(sessions, username=username, role=body.role, active=body.active,
                   actor_id=user.id, now=clock())
    return UserPublic.model_validate(row)


@router.delete("/users/{username}/sessions")
def end_user_sessions(
    username: str, auth: AuthDep, admin: AdminUser, sessions: SessionsDep, clock: ClockDep
) -> SessionsEnded:
    """End every login session of the user at once (the user must log in again); audited."""
    ended = end_sessions(sessions, username=username, now=clock(), actor_id=admin.id)
    return SessionsEnded(ended=ended)


@router.delete("/sessions")
def end_all_sessions(
    auth: AuthDep, admin: AdminUser, sessions: SessionsDep, clock: ClockDep
) -> SessionsEnded:
    """End every login session of every user except the calling admin's own; audited."""
    ended = end_sessions(sessions, username=None, now=clock(), actor_id=admin.id,
                         keep=auth.session_id)
    return SessionsEnded(ended=ended)


def listed(token: TokenInfo, clock: ClockDep) -> TokenListed:
    """A token as the API lists it, with its state now."""
    return TokenListed(id=token.id, username=token.username, name=token.name,
                       created_at=token.created_at, expires_at=token.expires_at,
                       last_used_at=token.last_used_at, revoked_at=token.revoked_at,
                       state=token.state(clock()))


@router.post("/tokens", status_code=201)
def add_token(body: TokenCreate, auth: AuthDep, settings: SettingsDep, sessions: SessionsDep,
              clock: ClockDep) -> TokenPublic:
    """Issue an API token for the current user, valid for ``days`` (default and most: the
    server's settings); the token is shown only in this reply. Only a logged-in session
    may issue one (403 for a token: a leaked token cannot make itself a successor)."""
    if auth.via != "cookie":
        raise HTTPException(403, "API tokens are issued to a logged-in session, not to a token")
    days = body.days if body.days is not None else settings.token_days
    if days > settings.token_max_days:
        raise InputError("token", body.name, "days",
                         f"must be at most {settings.token_max_days} (the server's maximum)")
    token, made = issue_token(sessions, username=auth.user.username, name=body.name,
                              days=days, actor_id=auth.user.id, now=clock())
    return TokenPublic(id=made.id, name=made.name, token=token, expires_at=made.expires_at)


@router.get("/tokens")
def own_tokens(
    user: ViewerUser,
    sessions: SessionsDep,
    clock: ClockDep,
    all_users: Annotated[bool, Query(alias="all", description="every user's (admins only)")]
    = False,
) -> list[TokenListed]:
    """The current user's API tokens, newest first (``all=true``: every user's, admins
    only); never the tokens themselves."""
    if all_users and not has_role(user, "admin"):
        raise HTTPException(403, "only an admin may list every user's tokens")
    found = list_tokens(sessions, username=None if all_users else user.username)
    return [listed(t, clock) for t in found]


@router.get("/users/{username}/tokens")
def user_tokens(username: str, user: ViewerUser, sessions: SessionsDep, clock: ClockDep
                ) -> list[TokenListed]:
    """One user's API tokens, newest first: the user's own, or anyone's for an admin (404
    for anyone else, as if the user did not exist)."""
    if username != user.username and not has_role(user, "admin"):
        raise NotFound("user", username)
    return [listed(t, clock) for t in list_tokens(sessions, username=username)]


@router.delete("/tokens/{token_id}", status_code=204)
def remove_token(token_id: Annotated[RowId, Path()], user: ViewerUser, sessions: SessionsDep,
                 clock: ClockDep) -> Response:
    """Revoke an API token: one's own, or anyone's for an admin (404 otherwise). It stops
    working at once and stays listed as revoked; revoking it again changes nothing."""
    revoke_token(sessions, token_id=token_id, actor=user, now=clock())
    return Response(status_code=204)

