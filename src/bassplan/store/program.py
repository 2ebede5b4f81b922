"""Program governance in the store: who holds which role for each specialty, the program's
work items (initiatives and deliverables, versioned alike), and meetings with their
decisions. Every change is one transaction that writes one audit entry."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import case, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bassplan.domain.errors import InputError
from bassplan.store.audit import add_created, delete_audited, record, snapshot
from bassplan.store.errors import AlreadyExists, NotFound, VersionConflict
from bassplan.store.fields import Rules
from bassplan.store.models import (
    SPECIALTY_ROLES,
    STATUSES,
    Decision,
    Deliverable,
    Initiative,
    Meeting,
    Scenario,
    SpecialtyRole,
)

WorkItem = TypeVar("WorkItem", Initiative, Deliverable)
T = TypeVar("T")

_WORK_FIELDS = frozenset({"title", "owner", "status", "due_date", "specialty_id", "scenario_id"})
INITIATIVE = Rules("initiative", Initiative, _WORK_FIELDS, frozenset({"title"}),
                   {"status": STATUSES}, {"scenario_id": (Scenario, "scenario")})
DELIVERABLE = Rules("deliverable", Deliverable, _WORK_FIELDS | {"initiative_id"},
                    frozenset({"title"}), {"status": STATUSES},
                    {"scenario_id": (Scenario, "scenario"),
                     "initiative_id": (Initiative, "initiative")})
ROLE = Rules("specialty_role", SpecialtyRole,
             frozenset({"specialty_id", "role", "person_name", "email"}),
             frozenset({"specialty_id", "role", "person_name"}), {"role": SPECIALTY_ROLES})
MEETING = Rules("meeting", Meeting, frozenset({"date", "title"}), frozenset({"date", "title"}))
DECISION = Rules("decision", Decision, frozenset({"text", "owner", "due_date"}),
                 frozenset({"text"}))


def _rules(model: type[WorkItem]) -> Rules:
    return INITIATIVE if model is Initiative else DELIVERABLE


def _specialties(specialties: Collection[str] | None) -> dict[str, Collection[str]] | None:
    """Extra choices for ``specialty_id`` when the caller knows the region's specialties."""
    return None if specialties is None else {"specialty_id": tuple(specialties)}


def _get(session: Session, model: type[T], key: int, kind: str) -> T:
    row = session.get(model, key)
    if row is None:
        raise NotFound(kind, str(key))
    return row


# --- work items: initiatives and deliverables ------------------------------------------


def create_work_item(
    sessions: sessionmaker[Session],
    model: type[WorkItem],
    fields: Mapping[str, object],
    *,
    specialties: Collection[str] | None = None,
    actor_id: int | None = None,
) -> WorkItem:
    """Store a new initiative or deliverable (``model``) at version 1."""
    rules = _rules(model)
    rules.check(fields, "new", creating=True, choices=_specialties(specialties))
    with sessions.begin() as session:
        rules.check_links(session, fields, "new")
        row = model(**fields)
        add_created(session, row, entity=rules.kind, actor_id=actor_id)
        return row


def get_work_item(
    sessions: sessionmaker[Session], model: type[WorkItem], item_id: int
) -> WorkItem:
    """The initiative or deliverable with this id; NotFound if none."""
    with sessions() as session:
        return _get(session, model, item_id, _rules(model).kind)


def list_work_items(
    sessions: sessionmaker[Session], model: type[WorkItem], *, specialty_id: str | None = None
) -> list[WorkItem]:
    """Initiatives or deliverables by due date (undated last), optionally of one specialty."""
    query = select(model).order_by(model.due_date.is_(None), model.due_date, model.id)
    if specialty_id is not None:
        query = query.where(model.specialty_id == specialty_id)
    with sessions() as session:
        return list(session.scalars(query))


def update_work_item(
    sessions: sessionmaker[Session],
    model: type[WorkItem],
    item_id: int,
    *,
    expected_version: int,
    changes: Mapping[str, object],
    specialties: Collection[str] | None = None,
    actor_id: int | None = None,
) -> WorkItem:
    """Apply ``changes`` (field → new value) to a work item read at ``expected_version``;
    VersionConflict if someone changed it since."""
    rules = _rules(model)
    where = f"id {item_id}"
    rules.check(changes, where, choices=_specialties(specialties))
    try:
        with sessions.begin() as session:
            row = _get(session, model, item_id, rules.kind)
            if row.version != expected_version:
                raise VersionConflict(rules.kind, row.title, row.version, expected_version)
            rules.check_links(session, changes, where)
            before = snapshot(row)
            for key, value in changes.items():
                setattr(row, key, value)
            session.flush()  # UPDATE ... WHERE version = read: stale if someone else won
            record(session, actor_id=actor_id, action="update", entity=rules.kind,
                   entity_id=row.id, before=before, after=snapshot(row))
            return row
    except StaleDataError:
        current = get_work_item(sessions, model, item_id)
        raise VersionConflict(rules.kind, current.title, current.version,
                              expected_version) from None


def delete_work_item(
    sessions: sessionmaker[Session],
    model: type[WorkItem],
    item_id: int,
    *,
    expected_version: int | None = None,
    actor_id: int | None = None,
) -> None:
    """Delete a work item (checking the version when given); a deleted initiative's
    deliverables stay, without the link."""
    kind = _rules(model).kind
    with sessions.begin() as session:
        row = _get(session, model, item_id, kind)
        if expected_version is not None and row.version != expected_version:
            raise VersionConflict(kind, row.title, row.version, expected_version)
        delete_audited(session, row, entity=kind, entity_id=item_id, actor_id=actor_id)


# --- people in governance roles per specialty ------------------------------------------

_ROLES = select(SpecialtyRole).order_by(
    SpecialtyRole.specialty_id,
    case({role: i for i, role in enumerate(SPECIALTY_ROLES)}, value=SpecialtyRole.role),
    SpecialtyRole.person_name,
    SpecialtyRole.id,
)


def list_roles(
    sessions: sessionmaker[Session], *, specialty_id: str | None = None
) -> list[SpecialtyRole]:
    """People in roles, by specialty, role (in SPECIALTY_ROLES order) and name."""
    query = _ROLES
    if specialty_id is not None:
        query = query.where(SpecialtyRole.specialty_id == specialty_id)
    with sessions() as session:
        return list(session.scalars(query))


def add_role(
    sessions: sessionmaker[Session],
    *,
    specialty_id: str,
    role: str,
    person_name: str,
    email: str = "",
    specialties: Collection[str] | None = None,
    actor_id: int | None = None,
) -> SpecialtyRole:
    """Name a person in a role for a specialty; AlreadyExists if they hold it already."""
    fields = {"specialty_id": specialty_id, "role": role, "person_name": person_name,
              "email": email}
    ROLE.check(fields, "new", creating=True, choices=_specialties(specialties))
    if email and "@" not in email:
        raise InputError(ROLE.kind, "new", "email", f"'{email}' is not an e-mail address")
    with sessions.begin() as session:
        same = select(SpecialtyRole.id).where(
            SpecialtyRole.specialty_id == specialty_id, SpecialtyRole.role == role,
            SpecialtyRole.person_name == person_name)
        if session.scalars(same).first() is not None:
            raise AlreadyExists("specialty_role", f"{person_name} as {role} in {specialty_id}")
        row = SpecialtyRole(**fields)
        add_created(session, row, entity=ROLE.kind, actor_id=actor_id)
        return row


def remove_role(
    sessions: sessionmaker[Session], *, role_id: int, actor_id: int | None = None
) -> None:
    """Take a person out of a role; NotFound if there is no such entry."""
    with sessions.begin() as session:
        row = _get(session, SpecialtyRole, role_id, ROLE.kind)
        delete_audited(session, row, entity=ROLE.kind, entity_id=role_id, actor_id=actor_id)


def program_overview(
    sessions: sessionmaker[Session], specialty_ids: Sequence[str]
) -> dict[str, dict[str, list[SpecialtyRole]]]:
    """Per specialty (in the order given), its people per role (every role present, in
    SPECIALTY_ROLES order, empty when nobody holds it); other specialties are left out."""
    overview: dict[str, dict[str, list[SpecialtyRole]]] = {
        s: {role: [] for role in SPECIALTY_ROLES} for s in specialty_ids
    }
    query = _ROLES.where(SpecialtyRole.specialty_id.in_(list(specialty_ids)))
    with sessions() as session:
        for row in session.scalars(query):
            overview[row.specialty_id][row.role].append(row)
    return overview


# --- meetings and their decisions -------------------------------------------------------


@dataclass(frozen=True)
class MeetingMinutes:
    """A meeting with the decisions taken at it, in the order they were recorded."""

    meeting: Meeting
    decisions: list[Decision]


def create_meeting(
    sessions: sessionmaker[Session], *, date: date, title: str, actor_id: int | None = None
) -> Meeting:
    """Record a meeting held (or planned) on ``date``."""
    fields = {"date": date, "title": title}
    MEETING.check(fields, "new", creating=True)
    with sessions.begin() as session:
        row = Meeting(**fields)
        add_created(session, row, entity=MEETING.kind, actor_id=actor_id)
        return row


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
    actor_id: int | None = None,
) -> Decision:
    """Record a decision taken at a meeting; NotFound if the meeting does not exist."""
    fields = {"text": text, "owner": owner, "due_date": due_date}
    DECISION.check(fields, "new", creating=True)
    with sessions.begin() as session:
        _get(session, Meeting, meeting_id, MEETING.kind)
        row = Decision(meeting_id=meeting_id, **fields)
        add_created(session, row, entity=DECISION.kind, actor_id=actor_id)
        return row


def update_decision(
    sessions: sessionmaker[Session],
    *,
    decision_id: int,
    changes: Mapping[str, object],
    actor_id: int | None = None,
) -> Decision:
    """Apply ``changes`` (text, owner, due_date) to a decision."""
    DECISION.check(changes, f"id {decision_id}")
    with sessions.begin() as session:
        row = _get(session, Decision, decision_id, DECISION.kind)
        before = snapshot(row)
        for key, value in changes.items():
            setattr(row, key, value)
        session.flush()
        record(session, actor_id=actor_id, action="update", entity=DECISION.kind,
               entity_id=decision_id, before=before, after=snapshot(row))
        return row


def delete_decision(
    sessions: sessionmaker[Session], *, decision_id: int, actor_id: int | None = None
) -> None:
    """Delete one decision; NotFound if there is none with this id."""
    with sessions.begin() as session:
        row = _get(session, Decision, decision_id, DECISION.kind)
        delete_audited(session, row, entity=DECISION.kind, entity_id=decision_id,
                       actor_id=actor_id)
