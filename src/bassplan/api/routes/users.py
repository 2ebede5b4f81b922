"""Users (admin: list, create, change role or deactivate) and API tokens (any user, for
themselves)."""

from __future__ import annotations

from fastapi import APIRouter

from bassplan.api.deps import AdminUser, SessionsDep, ViewerUser
from bassplan.api.schemas import TokenCreate, TokenPublic, UserCreate, UserPublic, UserUpdate
from bassplan.store import accounts
from bassplan.store.accounts import create_token, create_user, set_role

router = APIRouter(prefix="/api", tags=["users"])


@router.get("/users")
def list_users(user: AdminUser, sessions: SessionsDep) -> list[UserPublic]:
    """Every user, by username."""
    return [UserPublic.model_validate(r) for r in accounts.list_users(sessions)]


@router.post("/users", status_code=201)
def add_user(body: UserCreate, user: AdminUser, sessions: SessionsDep) -> UserPublic:
    """Create an active user with a role; 409 if the username is taken."""
    row = create_user(sessions, username=body.username, display_name=body.display_name,
                      password=body.password, role=body.role, actor_id=user.id)
    return UserPublic.model_validate(row)


@router.patch("/users/{username}")
def change_user(
    username: str, body: UserUpdate, user: AdminUser, sessions: SessionsDep
) -> UserPublic:
    """Change a user's role and/or deactivate (or reactivate) the user; 422 if that would
    leave no active admin."""
    row = set_role(sessions, username=username, role=body.role, active=body.active,
                   actor_id=user.id)
    return UserPublic.model_validate(row)


@router.post("/tokens", status_code=201)
def add_token(body: TokenCreate, user: ViewerUser, sessions: SessionsDep) -> TokenPublic:
    """Issue an API token for the current user; the token is shown only in this reply."""
    token = create_token(sessions, username=user.username, name=body.name, actor_id=user.id)
    return TokenPublic(name=body.name, token=token)
