"""Login sessions kept by the server: the browser's cookie holds a random session id, the
store only its SHA-256. A session is open until it is ended (logout, password change,
deactivation, an admin) or times out: idle (no request for ``idle``) or absolute (older
than ``absolute``). Every function takes the time ``now`` so tests can move the clock."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store.audit import record
from bassplan.store.lookup import one_by
from bassplan.store.models import User, UserSession

TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often per session
KEEP_ENDED = timedelta(days=30)  # ended sessions are deleted this long after they ended


@dataclass(frozen=True)
class Timeouts:
    """How long a session lasts: ``idle`` after its last request, ``absolute`` after login."""

    idle: timedelta
    absolute: timedelta


def session_digest(session_id: str) -> str:
    """The SHA-256 hex digest stored for a session id."""
    return hashlib.sha256(session_id.encode("utf-8")).hexdigest()


def _open(now: datetime, timeouts: Timeouts) -> ColumnElement[bool]:
    """SQL condition: the session is neither ended nor timed out at ``now``."""
    return and_(UserSession.ended_at.is_(None),
                UserSession.last_seen_at > now - timeouts.idle,
                UserSession.created_at > now - timeouts.absolute)


def start_session(
    sessions: sessionmaker[Session], *, user_id: int, now: datetime, timeouts: Timeouts
) -> str:
    """Open a session for the user and return its random id (for the cookie; only the
    digest is stored). Sessions over for KEEP_ENDED — ended, or past the absolute time-out
    without a request to mark them — are deleted on the way."""
    session_id = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.execute(delete(UserSession).where(or_(
            UserSession.ended_at < now - KEEP_ENDED,
            UserSession.created_at < now - timeouts.absolute - KEEP_ENDED)))
        session.add(UserSession(id_hash=session_digest(session_id), user_id=user_id,
                                created_at=now, last_seen_at=now))
    return session_id


def session_user(
    sessions: sessionmaker[Session], *, session_id: str, now: datetime, timeouts: Timeouts
) -> User | None:
    """The active user of an open session, else None; marks a session that has just timed
    out as ended, and records the request time at most every TOUCH_EVERY."""
    with sessions.begin() as session:
        found = session.execute(
            select(UserSession, User).join(User, User.id == UserSession.user_id)
            .where(UserSession.id_hash == session_digest(session_id))
        ).one_or_none()
        if found is None:
            return None
        row, user = found
        if row.ended_at is not None or not user.active:
            return None
        reason = ("absolute" if now - row.created_at >= timeouts.absolute else
                  "idle" if now - row.last_seen_at >= timeouts.idle else None)
        if reason is not None:
            row.ended_at, row.end_reason = now, reason
            return None
        if now - row.last_seen_at >= TOUCH_EVERY:
            row.last_seen_at = now
        return user


def end_session(sessions: sessionmaker[Session], *, session_id: str, now: datetime) -> None:
    """End one session (logout); nothing happens if it is unknown or ended already."""
    with sessions.begin() as session:
        session.execute(
            update(UserSession)
            .where(UserSession.id_hash == session_digest(session_id),
                   UserSession.ended_at.is_(None))
            .values(ended_at=now, end_reason="logout")
        )


def end_user_sessions(session: Session, *, user_id: int | None, now: datetime, reason: str,
                      keep: str | None = None) -> int:
    """End, in the caller's transaction, every unended session of one user (or of all users
    when ``user_id`` is None) except the session id ``keep``; returns how many."""
    query = update(UserSession).where(UserSession.ended_at.is_(None))
    if user_id is not None:
        query = query.where(UserSession.user_id == user_id)
    if keep is not None:
        query = query.where(UserSession.id_hash != session_digest(keep))
    result = session.execute(query.values(ended_at=now, end_reason=reason))
    return int(getattr(result, "rowcount", 0) or 0)


def end_sessions(
    sessions: sessionmaker[Session],
    *,
    username: str | None,
    now: datetime,
    actor_id: int | None,
    keep: str | None = None,
) -> int:
    """An admin ends every session of one user (``username``) or of everyone (None) except
    the session ``keep`` (the admin's own); audited; returns how many ended."""
    with sessions.begin() as session:
        user_id = None if username is None else one_by(
            session, User, User.username, username, "user").id
        ended = end_user_sessions(session, user_id=user_id, now=now, reason="admin", keep=keep)
        record(session, actor_id=actor_id, action="revoke", entity="session",
               entity_id=username if username is not None else "*",
               before={"user": username or "*", "sessions": ended},
               after={"user": username or "*", "sessions": 0})
        return ended


def open_session_counts(
    sessions: sessionmaker[Session], *, now: datetime, timeouts: Timeouts
) -> dict[int, int]:
    """The number of open sessions per user id (users without any are left out)."""
    query = (select(UserSession.user_id, func.count()).where(_open(now, timeouts))
             .group_by(UserSession.user_id))
    with sessions() as session:
        return {int(user_id): int(n) for user_id, n in session.execute(query)}
