"""Users, roles and API tokens: create and check users (Argon2id password hashes), change a
role, issue tokens (only their SHA-256 is kept) and find the user of a token."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bassplan.domain.errors import InputError
from bassplan.store.audit import add_created, delete_audited, record, snapshot
from bassplan.store.errors import AlreadyExists, Forbidden, NotFound
from bassplan.store.lookup import one_by
from bassplan.store.models import USER_ROLES, ApiToken, User, now_utc
from bassplan.store.passwords import hash_password, verify_password

MIN_PASSWORD = 8  # characters


def token_digest(token: str) -> str:
    """The SHA-256 hex digest stored for an API token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _check_role(role: str, username: str) -> None:
    if role not in USER_ROLES:
        allowed = ", ".join(USER_ROLES)
        raise InputError("user", username, "role", f"'{role}' is not one of {allowed}")


def has_role(user: User, needed: str) -> bool:
    """True if the user is active with role ``needed`` or a higher one
    (viewer < planner < program < admin)."""
    _check_role(needed, user.username)
    return user.active and USER_ROLES.index(user.role) >= USER_ROLES.index(needed)


def require_role(user: User, needed: str) -> None:
    """Raise Forbidden unless the user has role ``needed`` or a higher one (see has_role)."""
    if not has_role(user, needed):
        raise Forbidden(user.username, user.role if user.active else "inactive", needed)


def _user(session: Session, username: str) -> User:
    return one_by(session, User, User.username, username, "user")


def create_user(
    sessions: sessionmaker[Session],
    *,
    username: str,
    display_name: str,
    password: str,
    role: str = "viewer",
    actor_id: int | None = None,
) -> User:
    """Create an active user with a hashed password; AlreadyExists if the name is taken."""
    _check_role(role, username)
    _check_password(password, username)
    with sessions.begin() as session:
        if session.scalars(select(User.id).where(User.username == username)).first():
            raise AlreadyExists("user", username)
        row = User(username=username, display_name=display_name,
                   password_hash=hash_password(password), role=role, active=True)
        add_created(session, row, entity="user", actor_id=actor_id)
        return row


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError("user", username, "password",
                         f"must have at least {MIN_PASSWORD} characters")


def change_password(
    sessions: sessionmaker[Session], *, username: str, current: str, new: str
) -> None:
    """Replace a user's password after checking the current one (InputError if wrong);
    audited as the user's own change, without either hash."""
    _check_password(new, username)
    with sessions.begin() as session:
        row = _user(session, username)
        if not verify_password(current, row.password_hash):
            raise InputError("user", username, "current_password", "is not the current password")
        before = snapshot(row)
        row.password_hash = hash_password(new)
        session.flush()
        record(session, actor_id=row.id, action="update", entity="user", entity_id=row.id,
               before=before, after={**snapshot(row), "password": "changed"})


def get_user(sessions: sessionmaker[Session], *, username: str) -> User:
    """The user of this name; NotFound if none."""
    with sessions() as session:
        return _user(session, username)


def authenticate(sessions: sessionmaker[Session], *, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (no hint which was wrong)."""
    with sessions() as session:
        row = session.scalars(select(User).where(User.username == username)).one_or_none()
    if row is None or not row.active or not verify_password(password, row.password_hash):
        return None
    return row


def set_role(
    sessions: sessionmaker[Session],
    *,
    username: str,
    role: str | None = None,
    active: bool | None = None,
    actor_id: int | None = None,
) -> User:
    """Change a user's role and/or whether the user is active; the last active admin
    keeps both (InputError), so nobody can lock every admin out."""
    if role is not None:
        _check_role(role, username)
    with sessions.begin() as session:
        row = _user(session, username)
        before = snapshot(row)
        if role is not None:
            row.role = role
        if active is not None:
            row.active = active
        session.flush()
        _keep_an_admin(session, username, "role" if role not in {None, "admin"} else "active")
        record(session, actor_id=actor_id, action="update", entity="user",
               entity_id=row.id, before=before, after=snapshot(row))
        return row


def _keep_an_admin(session: Session, username: str, field: str) -> None:
    """InputError if (after the change being made) no active admin is left."""
    admins = select(User.id).where(User.role == "admin", User.active.is_(True))
    if session.scalars(admins).first() is None:
        raise InputError("user", username, field,
                         "the last active admin must stay an active admin")


def create_token(
    sessions: sessionmaker[Session], *, username: str, name: str, actor_id: int | None = None
) -> str:
    """Issue an API token for the user and return it: it is shown this once, only its
    SHA-256 digest is stored."""
    token = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        user = _user(session, username)
        row = ApiToken(user_id=user.id, token_hash=token_digest(token), name=name)
        add_created(session, row, entity="api_token", actor_id=actor_id)
    return token


def user_for_token(sessions: sessionmaker[Session], *, token: str) -> User | None:
    """The active user owning this token, else None; stamps the token's last use (a
    bookkeeping write, not audited)."""
    with sessions.begin() as session:
        found = session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_digest(token))
        ).one_or_none()
        if found is None or not found[1].active:
            return None
        found[0].last_used_at = now_utc()
        return found[1]


def revoke_token(
    sessions: sessionmaker[Session], *, token_id: int, actor_id: int | None = None
) -> None:
    """Delete an API token; NotFound if none."""
    with sessions.begin() as session:
        row = session.get(ApiToken, token_id)
        if row is None:
            raise NotFound("api token", str(token_id))
        delete_audited(session, row, entity="api_token", entity_id=token_id,
                       actor_id=actor_id)


def list_users(sessions: sessionmaker[Session]) -> list[User]:
    """Every user, by username."""
    with sessions() as session:
        return list(session.scalars(select(User).order_by(User.username)))


def ensure_first_admin(sessions: sessionmaker[Session], *, username: str = "admin") -> str | None:
    """Create an admin with a random password when the database has no user yet; return
    that password (shown once), or None when users exist already."""
    if list_users(sessions):
        return None
    password = secrets.token_urlsafe(12)
    create_user(sessions, username=username, display_name="Administrator", password=password,
                role="admin")
    return password
