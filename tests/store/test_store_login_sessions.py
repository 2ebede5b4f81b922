"""Login sessions in the store, on both databases: open-session counts per user, and the
rows of sessions over for 30 days deleted when someone logs in."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa

from bassplan.store.accounts import create_user
from bassplan.store.login_sessions import (
    Timeouts,
    end_session,
    open_session_counts,
    session_user,
    start_session,
)
from bassplan.store.models import UserSession
from tests.support.clock import START

if TYPE_CHECKING:
    from tests.support.databases import Db  # the fixture's record (tests/store/conftest.py)

TIMEOUTS = Timeouts(idle=timedelta(minutes=30), absolute=timedelta(hours=8))


def test_open_sessions_are_counted_per_user_and_old_rows_are_deleted(db: Db) -> None:
    bo = create_user(db.sessions, username="bo", display_name="Bo", password="korrekt-hest-1")
    eva = create_user(db.sessions, username="eva", display_name="Eva",
                      password="korrekt-hest-2")
    ended = start_session(db.sessions, user_id=bo.id, now=START, timeouts=TIMEOUTS)
    end_session(db.sessions, session_id=ended, now=START + timedelta(minutes=5))
    start_session(db.sessions, user_id=bo.id, now=START, timeouts=TIMEOUTS)  # left to time out
    for _ in range(2):
        start_session(db.sessions, user_id=eva.id, now=START + timedelta(minutes=20),
                      timeouts=TIMEOUTS)
    at = START + timedelta(minutes=40)  # bo's open one idle 40 min, eva's 20 min
    assert open_session_counts(db.sessions, now=at, timeouts=TIMEOUTS) == {eva.id: 2}
    assert session_user(db.sessions, session_id=ended, now=at, timeouts=TIMEOUTS) is None

    # 30 days after the end, and 30 days after the absolute time-out: both rows go
    later = START + timedelta(hours=8, days=30, minutes=5)
    start_session(db.sessions, user_id=eva.id, now=later, timeouts=TIMEOUTS)
    with db.sessions() as session:
        left = session.execute(sa.select(UserSession.user_id, UserSession.created_at)).all()
    assert sorted((u, c) for u, c in left) == sorted(
        [(eva.id, START + timedelta(minutes=20))] * 2 + [(eva.id, later)])
