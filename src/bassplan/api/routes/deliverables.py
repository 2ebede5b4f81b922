"""Program deliverables: list and read (any user), create and update (program or higher)."""

from __future__ import annotations

from fastapi import APIRouter

from bassplan.api.deps import ProgramUser, SessionsDep, ViewerUser
from bassplan.api.schemas import DeliverableCreate, DeliverablePublic, DeliverableUpdate
from bassplan.store import repository

router = APIRouter(prefix="/api/deliverables", tags=["deliverables"])


@router.get("")
def list_deliverables(
    user: ViewerUser, sessions: SessionsDep, specialty: str | None = None
) -> list[DeliverablePublic]:
    """Deliverables by due date (undated last), optionally of one specialty."""
    rows = repository.list_deliverables(sessions, specialty_id=specialty)
    return [DeliverablePublic.model_validate(r) for r in rows]


@router.get("/{deliverable_id}")
def get_deliverable(
    deliverable_id: int, user: ViewerUser, sessions: SessionsDep
) -> DeliverablePublic:
    """One deliverable with its version."""
    row = repository.get_deliverable(sessions, deliverable_id=deliverable_id)
    return DeliverablePublic.model_validate(row)


@router.post("", status_code=201)
def create_deliverable(
    body: DeliverableCreate, user: ProgramUser, sessions: SessionsDep
) -> DeliverablePublic:
    """Store a new deliverable at version 1."""
    row = repository.create_deliverable(sessions, actor_id=user.id, **body.model_dump())
    return DeliverablePublic.model_validate(row)


@router.put("/{deliverable_id}")
def update_deliverable(
    deliverable_id: int, body: DeliverableUpdate, user: ProgramUser, sessions: SessionsDep
) -> DeliverablePublic:
    """Apply the fields sent to a deliverable read at ``expected_version``; 409 if stale."""
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    row = repository.update_deliverable(sessions, deliverable_id=deliverable_id,
                                        expected_version=body.expected_version,
                                        changes=changes, actor_id=user.id)
    return DeliverablePublic.model_validate(row)
