"""Program governance in the store: who holds which role (for a specialty, a site or
cross-cutting), the program's work items (initiatives and deliverables, versioned alike),
and the meetings of the program's bodies with their decisions. Every change is one
transaction that writes one audit entry."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import case, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bassplan.domain.errors import InputError
from bassplan.store.audit import add_created, delete_audited, record, snapshot
from bassplan.store.errors import AlreadyExists, NotFound, VersionConflict
from bassplan.store.fields import Rules
from bassplan.store.meetings import (
    DECISION,
    MEETING,
    MeetingMinutes,
    SinceLastMeeting,
    add_decision,
    create_meeting,
    decisions_since_last_meeting,
    delete_decision,
    delete_meeting,
    get_meeting,
    list_decisions,
    list_meetings,
    update_decision,
    update_meeting,
)
from bassplan.store.models import (
    CROSS_CUTTING_ROLES,
    SITE_ROLES,
    SPECIALTY_ROLES,
    STATUSES,
    Decision,
    Deliverable,
    Initiative,
    ProgramBody,
    Scenario,
    SpecialtyRole,
)

__all__ = [  # the meeting functions live in store.meetings; callers may use either
    "DECISION", "MEETING", "MeetingMinutes", "SinceLastMeeting", "add_decision",
    "create_meeting", "decisions_since_last_meeting", "delete_decision", "delete_meeting",
    "get_meeting", "list_decisions", "list_meetings", "update_decision", "update_meeting",
]

WorkItem = TypeVar("WorkItem", Initiative, Deliverable)
T = TypeVar("T")

_WORK_FIELDS = frozenset({"title", "owner", "status", "due_date", "specialty_id", "scenario_id"})
INITIATIVE = Rules("initiative", Initiative, _WORK_FIELDS, frozenset({"title"}),
                   {"status": STATUSES}, {"scenario_id": (Scenario, "scenario")})
DELIVERABLE = Rules("deliverable", Deliverable,
                    _WORK_FIELDS | {"initiative_id", "decision_id"},
                    frozenset({"title"}), {"status": STATUSES},
                    {"scenario_id": (Scenario, "scenario"),
                     "initiative_id": (Initiative, "initiative"),
                     "decision_id": (Decision, "decision")})
_BODY_LINK = {"body_id": (ProgramBody, "program body")}
ROLE = Rules("specialty_role", SpecialtyRole,
             frozenset({"specialty_id", "role", "person_name", "email", "site_id",
                        "profession", "body_id"}),
             frozenset({"role", "person_name"}), {"role": SPECIALTY_ROLES}, _BODY_LINK)



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


def _role_choices(
    specialties: Collection[str] | None, sites: Collection[str] | None
) -> dict[str, Collection[str]] | None:
    """Extra choices for ``specialty_id`` and ``site_id`` when the caller knows them."""
    choices = dict(_specialties(specialties) or {})
    if sites is not None:
        choices["site_id"] = tuple(sites)
    return choices or None


def _check_role_shape(fields: Mapping[str, object]) -> None:
    """A specialty role names its specialty; a site only where the role has one."""
    role = fields["role"]
    if role not in CROSS_CUTTING_ROLES and not fields.get("specialty_id"):
        raise InputError(ROLE.kind, "new", "specialty_id", f"must be given for a {role}")
    if fields.get("site_id") and role not in SITE_ROLES:
        raise InputError(ROLE.kind, "new", "site_id",
                         f"is only for {' and '.join(SITE_ROLES)}, not a {role}")


def add_role(
    sessions: sessionmaker[Session],
    *,
    role: str,
    person_name: str,
    specialty_id: str | None = None,
    email: str = "",
    site_id: str | None = None,
    profession: str = "",
    body_id: int | None = None,
    specialties: Collection[str] | None = None,
    sites: Collection[str] | None = None,
    actor_id: int | None = None,
) -> SpecialtyRole:
    """Name a person in a role: for a specialty (an implementeringsansvarlig or kerneteam
    member optionally at a site, a kerneteam member with a profession) or cross-cutting
    (a konceptejer, for a department ``body_id``); AlreadyExists if they hold it already."""
    spec, site = specialty_id or None, site_id or None
    fields = {"specialty_id": spec, "role": role, "person_name": person_name,
              "email": email, "site_id": site, "profession": profession, "body_id": body_id}
    ROLE.check(fields, "new", creating=True, choices=_role_choices(specialties, sites))
    _check_role_shape(fields)
    if email and "@" not in email:
        raise InputError(ROLE.kind, "new", "email", f"'{email}' is not an e-mail address")
    with sessions.begin() as session:
        ROLE.check_links(session, fields, "new")
        same = select(SpecialtyRole.id).where(
            SpecialtyRole.specialty_id.is_not_distinct_from(spec),
            SpecialtyRole.role == role, SpecialtyRole.person_name == person_name,
            SpecialtyRole.site_id.is_not_distinct_from(site),
            SpecialtyRole.body_id.is_not_distinct_from(body_id))
        if session.scalars(same).first() is not None:
            where = spec or "the program"
            raise AlreadyExists("specialty_role", f"{person_name} as {role} in {where}")
        row = SpecialtyRole(**fields)
        add_created(session, row, entity=ROLE.kind, actor_id=actor_id)
        return row


def cross_cutting_roles(sessions: sessionmaker[Session]) -> list[SpecialtyRole]:
    """People in roles for the whole program (no specialty), by role then name."""
    with sessions() as session:
        return list(session.scalars(_ROLES.where(SpecialtyRole.specialty_id.is_(None))))


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
    SPECIALTY_ROLES order, empty when nobody holds it); other specialties are left out.
    Cross-cutting roles (konceptejer) appear here only when held for a specialty."""
    overview: dict[str, dict[str, list[SpecialtyRole]]] = {
        s: {role: [] for role in SPECIALTY_ROLES} for s in specialty_ids
    }
    query = _ROLES.where(SpecialtyRole.specialty_id.in_(list(specialty_ids)))
    with sessions() as session:
        for row in session.scalars(query):
            overview[row.specialty_id or ""][row.role].append(row)
    return overview
