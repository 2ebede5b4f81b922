"""Meetings of the program's bodies (with agenda and minutes) and the decisions recorded at
them (body, specialty, status, the scenario behind them), and which decisions a meeting
pack lists. Every change is one transaction that writes one audit entry."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bassplan.store.audit import add_created, delete_audited, record, snapshot
from bassplan.store.errors import NotFound
from bassplan.store.fields import Rules
from bassplan.store.models import DECISION_STATUSES, Decision, Meeting, ProgramBody, Scenario

_BODY_LINK = {"body_id": (ProgramBody, "program body")}
MEETING = Rules("meeting", Meeting, frozenset({"date", "title", "body_id", "agenda",
                                               "minutes"}),
                frozenset({"date", "title"}), links=_BODY_LINK)
DECISION = Rules("decision", Decision,
                 frozenset({"text", "owner", "due_date", "body_id", "specialty_id",
                            "status", "scenario_id"}),
                 frozenset({"text"}), {"status": DECISION_STATUSES},
                 {**_BODY_LINK, "scenario_id": (Scenario, "scenario")})
Row = TypeVar("Row", Meeting, Decision)


def _get(session: Session, model: type[Row], key: int, kind: str) -> Row:
    row = session.get(model, key)
    if row is None:
        raise NotFound(kind, str(key))
    return row


def _specialties(specialties: Collection[str] | None) -> dict[str, Collection[str]] | None:
    """Extra choices for ``specialty_id`` when the caller knows the region's specialties."""
    return None if specialties is None else {"specialty_id": tuple(specialties)}


@dataclass(frozen=True)
class MeetingMinutes:
    """A meeting with the decisions taken at it, in the order they were recorded."""

    meeting: Meeting
    decisions: list[Decision]


def create_meeting(
    sessions: sessionmaker[Session],
    *,
    date: date,
    title: str,
    body_id: int | None = None,
    agenda: str = "",
    minutes: str = "",
    actor_id: int | None = None,
) -> Meeting:
    """Record a meeting of a body (``body_id``) held or planned on ``date``."""
    fields = {"date": date, "title": title, "body_id": body_id, "agenda": agenda,
              "minutes": minutes}
    MEETING.check(fields, "new", creating=True)
    with sessions.begin() as session:
        MEETING.check_links(session, fields, "new")
        row = Meeting(**fields)
        add_created(session, row, entity=MEETING.kind, actor_id=actor_id)
        return row


def update_meeting(
    sessions: sessionmaker[Session],
    *,
    meeting_id: int,
    changes: Mapping[str, object],
    actor_id: int | None = None,
) -> Meeting:
    """Apply ``changes`` (date, title, body_id, agenda, minutes) to a meeting."""
    return _update(sessions, MEETING, Meeting, meeting_id, changes, actor_id=actor_id)


def list_meetings(sessions: sessionmaker[Session]) -> list[Meeting]:
    """Every meeting, newest first."""
    with sessions() as session:
        return list(session.scalars(select(Meeting).order_by(Meeting.date.desc(),
                                                             Meeting.id.desc())))


def _decisions(session: Session, meeting_id: int) -> list[Decision]:
    query = select(Decision).where(Decision.meeting_id == meeting_id).order_by(Decision.id)
    return list(session.scalars(query))


def get_meeting(sessions: sessionmaker[Session], *, meeting_id: int) -> MeetingMinutes:
    """The meeting with this id and its decisions; NotFound if none."""
    with sessions() as session:
        meeting = _get(session, Meeting, meeting_id, MEETING.kind)
        return MeetingMinutes(meeting, _decisions(session, meeting_id))


def delete_meeting(
    sessions: sessionmaker[Session], *, meeting_id: int, actor_id: int | None = None
) -> None:
    """Delete a meeting and its decisions; the audit entry keeps both."""
    with sessions.begin() as session:
        row = _get(session, Meeting, meeting_id, MEETING.kind)
        before = snapshot(row) | {"decisions": [snapshot(d) for d in
                                                _decisions(session, meeting_id)]}
        # the database deletes the decisions with it (ON DELETE CASCADE)
        delete_audited(session, row, entity=MEETING.kind, entity_id=meeting_id,
                       actor_id=actor_id, before=before)


def add_decision(
    sessions: sessionmaker[Session],
    *,
    meeting_id: int,
    text: str,
    owner: str = "",
    due_date: date | None = None,
    body_id: int | None = None,
    specialty_id: str | None = None,
    status: str = "decided",
    scenario_id: int | None = None,
    specialties: Collection[str] | None = None,
    actor_id: int | None = None,
) -> Decision:
    """Record a decision at a meeting (its body is the meeting's unless ``body_id`` says
    otherwise); NotFound if the meeting does not exist."""
    fields = {"text": text, "owner": owner, "due_date": due_date, "body_id": body_id,
              "specialty_id": specialty_id or None, "status": status,
              "scenario_id": scenario_id}
    DECISION.check(fields, "new", creating=True, choices=_specialties(specialties))
    with sessions.begin() as session:
        meeting = _get(session, Meeting, meeting_id, MEETING.kind)
        DECISION.check_links(session, fields, "new")
        if fields["body_id"] is None:
            fields["body_id"] = meeting.body_id
        row = Decision(meeting_id=meeting_id, **fields)
        add_created(session, row, entity=DECISION.kind, actor_id=actor_id)
        return row


def update_decision(
    sessions: sessionmaker[Session],
    *,
    decision_id: int,
    changes: Mapping[str, object],
    specialties: Collection[str] | None = None,
    actor_id: int | None = None,
) -> Decision:
    """Apply ``changes`` (text, owner, due_date, body_id, specialty_id, status,
    scenario_id) to a decision."""
    return _update(sessions, DECISION, Decision, decision_id, changes,
                   choices=_specialties(specialties), actor_id=actor_id)


def list_decisions(
    sessions: sessionmaker[Session], *, status: str | None = None, body_id: int | None = None
) -> list[Decision]:
    """Decisions newest meeting first, optionally of one status or body."""
    query = (select(Decision).join(Meeting, Decision.meeting_id == Meeting.id)
             .order_by(Meeting.date.desc(), Decision.id.desc()))
    if status is not None:
        query = query.where(Decision.status == status)
    if body_id is not None:
        query = query.where(Decision.body_id == body_id)
    with sessions() as session:
        return list(session.scalars(query))


@dataclass(frozen=True)
class SinceLastMeeting:
    """The decisions a meeting pack lists: those of meetings on or after the steering
    group's last meeting held (``last``; None when it has not met: then every decision)."""

    last: Meeting | None
    decisions: list[tuple[Meeting, Decision]]


def decisions_since_last_meeting(
    sessions: sessionmaker[Session], body_ids: Collection[int], today: date
) -> SinceLastMeeting:
    """Decisions (any body) of meetings from the last meeting held (on or before ``today``)
    of the bodies ``body_ids`` (the implementeringsstyregruppe) to ``today``, oldest
    first; planned meetings after today are left out."""
    with sessions() as session:
        last = session.scalars(
            select(Meeting).where(Meeting.body_id.in_(list(body_ids)), Meeting.date <= today)
            .order_by(Meeting.date.desc(), Meeting.id.desc())).first()
        query = (select(Meeting, Decision).join(Decision, Decision.meeting_id == Meeting.id)
                 .where(Meeting.date <= today).order_by(Meeting.date, Meeting.id, Decision.id))
        if last is not None:
            query = query.where(Meeting.date >= last.date)
        pairs = [(m, d) for m, d in session.execute(query)]
        return SinceLastMeeting(last, pairs)



def _update(
    sessions: sessionmaker[Session],
    rules: Rules,
    model: type[Row],
    key: int,
    changes: Mapping[str, object],
    *,
    choices: dict[str, Collection[str]] | None = None,
    actor_id: int | None = None,
) -> Row:
    """Check and apply ``changes`` to one meeting or decision, with its audit entry."""
    where = f"id {key}"
    rules.check(changes, where, choices=choices)
    with sessions.begin() as session:
        row = _get(session, model, key, rules.kind)
        rules.check_links(session, changes, where)
        before = snapshot(row)
        for name, value in changes.items():
            setattr(row, name, value)
        session.flush()
        record(session, actor_id=actor_id, action="update", entity=rules.kind,
               entity_id=key, before=before, after=snapshot(row))
        return row


def delete_decision(
    sessions: sessionmaker[Session], *, decision_id: int, actor_id: int | None = None
) -> None:
    """Delete one decision (deliverables linked to it stay, without the link); NotFound if
    there is none with this id."""
    with sessions.begin() as session:
        row = _get(session, Decision, decision_id, DECISION.kind)
        delete_audited(session, row, entity=DECISION.kind, entity_id=decision_id,
                       actor_id=actor_id)
