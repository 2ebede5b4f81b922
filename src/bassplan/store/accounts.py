"""Users, roles and API tokens: create and check users (Argon2id password hashes, the
password rule of password_policy), change a role, issue, list and revoke tokens (only their
SHA-256 is kept; each expires) and find the user of a token. A password change and a
deactivation end the user's login sessions in the same transaction."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bassplan.domain.errors import InputError
from bassplan.store.audit import add_created, record, snapshot
from bassplan.store.errors import AlreadyExists, Forbidden, NotFound
from bassplan.store.login_sessions import end_user_sessions
from bassplan.store.lookup import one_by
from bassplan.store.models import USER_ROLES, ApiToken, User, now_utc
from bassplan.store.password_policy import check_password
from bassplan.store.passwords import hash_password, verify_password

TOKEN_USE_EVERY = timedelta(seconds=60)  # a token's last_used_at is written at most this often
TOKEN_DAYS = 90  # days a new API token lasts unless asked otherwise
TOKEN_MAX_DAYS = 365  # the longest a token may be asked to last (days)


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
    check_password(password, username)
    with sessions.begin() as session:
        if session.scalars(select(User.id).where(User.username == username)).first():
            raise AlreadyExists("user", username)
        row = User(username=username, display_name=display_name,
                   password_hash=hash_password(password), role=role, active=True)
        add_created(session, row, entity="user", actor_id=actor_id)
        return row


def change_password(
    sessions: sessionmaker[Session], *, username: str, current: str, new: str,
    now: datetime | None = None,
) -> None:
    """Replace a user's password after checking the current one (InputError if wrong) and
    end all the user's login sessions; audited as the user's own change, without either
    hash."""
    check_password(new, username)
    with sessions.begin() as session:
        row = _user(session, username)
        if not verify_password(current, row.password_hash):
            raise InputError("user", username, "current_password", "is not the current password")
        before = snapshot(row)
        row.password_hash = hash_password(new)
        session.flush()
        record(session, actor_id=row.id, action="update", entity="user", entity_id=row.id,
               before=before, after={**snapshot(row), "password": "changed"})
        end_user_sessions(session, user_id=row.id, now=now or now_utc(), reason="password")


def get_user(sessions: sessionmaker[Session], *, username: str) -> User:
    """The user of this name; NotFound if none."""
    with sessions() as session:
        return _user(session, username)


@cache
def dummy_hash() -> str:
    """A hash of a random password, verified for unknown users so that they take as long
    to refuse as known ones (no timing hint which account names exist)."""
    return hash_password(secrets.token_urlsafe(16))


def authenticate(sessions: sessionmaker[Session], *, username: str, password: str) -> User | None:
    """The active user with this name and password, else None (no hint which was wrong):
    the password is verified against a hash in every case, the dummy one for an unknown
    user, so all refusals take one hash verification."""
    with sessions() as session:
        row = session.scalars(select(User).where(User.username == username)).one_or_none()
    matches = verify_password(password, row.password_hash if row is not None else dummy_hash())
    if row is None or not row.active or not matches:
        return None
    return row


def set_role(
    sessions: sessionmaker[Session],
    *,
    username: str,
    role: str | None = None,
    active: bool | None = None,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> User:
    """Change a user's role and/or whether the user is active (deactivating ends the
    user's login sessions); the last active admin keeps both (InputError), so nobody can
    lock every admin out."""
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
        if active is False:
            end_user_sessions(session, user_id=row.id, now=now or now_utc(),
                              reason="deactivated")
        return row


def _keep_an_admin(session: Session, username: str, field: str) -> None:
    """InputError if (after the change being made) no active admin is left."""
    admins = select(User.id).where(User.role == "admin", User.active.is_(True))
    if session.scalars(admins).first() is None:
        raise InputError("user", username, field,
                         "the last active admin must stay an active admin")


@dataclass(frozen=True)
class TokenInfo:
    """An API token as listed (never its digest): whose, its name, when it was made, last
    used, expires, and whether it was revoked."""

    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        """"revoked", "expired" or "active" at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_at <= now else "active"


def issue_token(
    sessions: sessionmaker[Session],
    *,
    username: str,
    name: str,
    days: int = TOKEN_DAYS,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> tuple[str, TokenInfo]:
    """Issue an API token for the user, valid for ``days`` days; returns the token (shown
    this once, only its SHA-256 digest is stored) and its listing; audited."""
    token = secrets.token_urlsafe(32)
    start = now or now_utc()
    with sessions.begin() as session:
        user = _user(session, username)
        row = ApiToken(user_id=user.id, token_hash=token_digest(token), name=name,
                       created_at=start, expires_at=start + timedelta(days=days))
        add_created(session, row, entity="api_token", actor_id=actor_id)
        info = TokenInfo(row.id, user.username, row.name, row.created_at, row.expires_at,
                         None, None)
    return token, info


def create_token(
    sessions: sessionmaker[Session],
    *,
    username: str,
    name: str,
    days: int = TOKEN_DAYS,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> str:
    """Issue an API token (see issue_token) and return just the token."""
    return issue_token(sessions, username=username, name=name, days=days, actor_id=actor_id,
                       now=now)[0]


def list_tokens(sessions: sessionmaker[Session], *, username: str | None = None
                ) -> list[TokenInfo]:
    """The tokens of one user (NotFound if no such user) or, with None, of every user;
    newest first."""
    query = (select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
             .order_by(ApiToken.created_at.desc(), ApiToken.id.desc()))
    with sessions() as session:
        if username is not None:
            query = query.where(ApiToken.user_id == _user(session, username).id)
        return [TokenInfo(t.id, name, t.name, t.created_at, t.expires_at, t.last_used_at,
                          t.revoked_at) for t, name in session.execute(query)]


def user_for_token(
    sessions: sessionmaker[Session], *, token: str, now: datetime | None = None
) -> User | None:
    """The active user owning this unexpired, unrevoked token, else None; stamps the
    token's last use at most every TOKEN_USE_EVERY (a bookkeeping write, not audited)."""
    when = now or now_utc()
    with sessions.begin() as session:
        found = session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_digest(token))
        ).one_or_none()
        if found is None:
            return None
        row, user = found
        if not user.active or row.revoked_at is not None or row.expires_at <= when:
            return None
        if row.last_used_at is None or when - row.last_used_at >= TOKEN_USE_EVERY:
            row.last_used_at = when
        return user


def revoke_token(
    sessions: sessionmaker[Session], *, token_id: int, actor: User, now: datetime | None = None
) -> bool:
    """Revoke an API token of ``actor`` (or anyone's, if ``actor`` is an admin): it stops
    working at once and stays listed; audited. NotFound if there is no such token the actor
    may see; returns False if it was revoked already (nothing changes)."""
    with sessions.begin() as session:
        row = session.get(ApiToken, token_id)
        if row is None or (row.user_id != actor.id and not has_role(actor, "admin")):
            raise NotFound("api token", str(token_id))
        if row.revoked_at is not None:
            return False
        before = snapshot(row)
        row.revoked_at = now or now_utc()
        session.flush()
        record(session, actor_id=actor.id, action="revoke", entity="api_token",
               entity_id=row.id, before=before, after=snapshot(row))
        return True


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
