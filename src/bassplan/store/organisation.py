"""The program organisation in the store: its bodies (programledelse, the steering groups,
the secretariat, the delivery organisation, resource-giving departments…) and which body
each reports to, read as a tree for the organisation chart. Every change is one
transaction with one audit entry; a change that would make a body report to itself
(directly or through others) is refused."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bassplan.domain.errors import InputError
from bassplan.store.audit import add_created, delete_audited, record, snapshot
from bassplan.store.errors import AlreadyExists, NotFound
from bassplan.store.fields import Rules
from bassplan.store.models import BODY_KINDS, ProgramBody

BODY = Rules("program_body", ProgramBody,
             frozenset({"name", "kind", "parent_id", "position", "note"}),
             frozenset({"name", "kind"}), {"kind": BODY_KINDS},
             {"parent_id": (ProgramBody, "program body")})
MAX_POSITION = 1000  # the largest sibling position accepted
STEERING_KIND = "implementeringsstyregruppe"  # whose meetings the meeting pack follows


@dataclass
class OrgNode:
    """A body of the organisation chart with the bodies that report to it, in order."""

    body: ProgramBody
    children: list[OrgNode] = field(default_factory=list)


def _order(body: ProgramBody) -> tuple[int, str, int]:
    return body.position, body.name, body.id


def organisation_tree(bodies: Sequence[ProgramBody]) -> list[OrgNode]:
    """The bodies as a forest: roots are bodies reporting to nobody (or to a body not in
    ``bodies``), children by position then name."""
    nodes = {b.id: OrgNode(b) for b in sorted(bodies, key=_order)}
    roots: list[OrgNode] = []
    for node in nodes.values():
        parent = nodes.get(node.body.parent_id) if node.body.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def list_bodies(sessions: sessionmaker[Session]) -> list[ProgramBody]:
    """Every body of the organisation, by position then name."""
    query = select(ProgramBody).order_by(ProgramBody.position, ProgramBody.name,
                                         ProgramBody.id)
    with sessions() as session:
        return list(session.scalars(query))


def _get(session: Session, body_id: int) -> ProgramBody:
    row = session.get(ProgramBody, body_id)
    if row is None:
        raise NotFound(BODY.kind, str(body_id))
    return row


def get_body(sessions: sessionmaker[Session], body_id: int) -> ProgramBody:
    """The body with this id; NotFound if none."""
    with sessions() as session:
        return _get(session, body_id)


def _check(fields: Mapping[str, object], where: str, *, creating: bool = False) -> None:
    BODY.check(fields, where, creating=creating)
    position = fields.get("position")
    if isinstance(position, int) and not 0 <= position <= MAX_POSITION:
        raise InputError(BODY.kind, where, "position", f"must be between 0 and {MAX_POSITION}")


def _same_name(session: Session, name: object, other_than: int | None = None) -> None:
    query = select(ProgramBody.id).where(ProgramBody.name == name)
    if other_than is not None:
        query = query.where(ProgramBody.id != other_than)
    if session.scalars(query).first() is not None:
        raise AlreadyExists(BODY.kind, str(name))


def create_body(
    sessions: sessionmaker[Session], fields: Mapping[str, object], *,
    actor_id: int | None = None,
) -> ProgramBody:
    """Add a body (name, kind, parent_id, position, note); AlreadyExists if the name is
    taken."""
    _check(fields, "new", creating=True)
    with sessions.begin() as session:
        BODY.check_links(session, fields, "new")
        _same_name(session, fields["name"])
        row = ProgramBody(**fields)
        add_created(session, row, entity=BODY.kind, actor_id=actor_id)
        return row


def _reports_to_itself(session: Session, body_id: int, parent_id: int) -> bool:
    """Whether making ``body_id`` report to ``parent_id`` closes a loop."""
    seen: set[int] = set()
    current: int | None = parent_id
    while current is not None and current not in seen:
        if current == body_id:
            return True
        seen.add(current)
        current = session.scalars(
            select(ProgramBody.parent_id).where(ProgramBody.id == current)).first()
    return False


def update_body(
    sessions: sessionmaker[Session], body_id: int, changes: Mapping[str, object], *,
    actor_id: int | None = None,
) -> ProgramBody:
    """Apply ``changes`` to a body; InputError if it would report to itself."""
    where = f"id {body_id}"
    _check(changes, where)
    with sessions.begin() as session:
        row = _get(session, body_id)
        BODY.check_links(session, changes, where)
        if "name" in changes:
            _same_name(session, changes["name"], other_than=body_id)
        parent = changes.get("parent_id")
        if isinstance(parent, int) and _reports_to_itself(session, body_id, parent):
            raise InputError(BODY.kind, where, "parent_id",
                             "would make the body report to itself")
        before = snapshot(row)
        for key, value in changes.items():
            setattr(row, key, value)
        session.flush()
        record(session, actor_id=actor_id, action="update", entity=BODY.kind,
               entity_id=body_id, before=before, after=snapshot(row))
        return row


def delete_body(
    sessions: sessionmaker[Session], body_id: int, *, actor_id: int | None = None
) -> None:
    """Delete a body; the bodies reporting to it report to its parent instead, and its
    meetings, decisions and roles keep their other fields (the body becomes empty)."""
    with sessions.begin() as session:
        row = _get(session, body_id)
        session.execute(update(ProgramBody).where(ProgramBody.parent_id == body_id)
                        .values(parent_id=row.parent_id))
        delete_audited(session, row, entity=BODY.kind, entity_id=body_id, actor_id=actor_id)


def steering_group_ids(sessions: sessionmaker[Session]) -> list[int]:
    """The ids of the implementeringsstyregruppe bodies (usually one)."""
    query = select(ProgramBody.id).where(ProgramBody.kind == STEERING_KIND)
    with sessions() as session:
        return list(session.scalars(query))
