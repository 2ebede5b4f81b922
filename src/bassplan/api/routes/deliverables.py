"""Program deliverables: list and read (any user), create, update and delete (program or
higher); the store treats them as work items, like initiatives."""

from __future__ import annotations

from fastapi import APIRouter, Response

from bassplan.api.deps import ProgramUser, SessionsDep, ViewerUser
from bassplan.api.params import CodeQuery, IdPath, VersionQuery
from bassplan.api.routes.program import SpecialtyIdsDep
from bassplan.api.schemas_program import DeliverableCreate, DeliverablePublic, DeliverableUpdate
from bassplan.store import program
from bassplan.store.models import Deliverable

router = APIRouter(prefix="/api/deliverables", tags=["deliverables"])


@router.get("")
def list_deliverables(
    user: ViewerUser, sessions: SessionsDep, specialty: CodeQuery = None
) -> list[DeliverablePublic]:
    """Deliverables by due date (undated last), optionally of one specialty."""
    rows = program.list_work_items(sessions, Deliverable, specialty_id=specialty)
    return [DeliverablePublic.model_validate(r) for r in rows]


@router.get("/{deliverable_id}")
def get_deliverable(
    deliverable_id: IdPath, user: ViewerUser, sessions: SessionsDep
) -> DeliverablePublic:
    """One deliverable with its version."""
    row = program.get_work_item(sessions, Deliverable, deliverable_id)
    return DeliverablePublic.model_validate(row)


@router.post("", status_code=201)
def create_deliverable(
    body: DeliverableCreate, user: ProgramUser, sessions: SessionsDep, known: SpecialtyIdsDep
) -> DeliverablePublic:
    """Store a new deliverable at version 1."""
    row = program.create_work_item(sessions, Deliverable, body.model_dump(), specialties=known,
                                   actor_id=user.id)
    return DeliverablePublic.model_validate(row)


@router.put("/{deliverable_id}")
def update_deliverable(
    deliverable_id: IdPath,
    body: DeliverableUpdate,
    user: ProgramUser,
    sessions: SessionsDep,
    known: SpecialtyIdsDep,
) -> DeliverablePublic:
    """Apply the fields sent to a deliverable read at ``expected_version``; 409 if stale."""
    changes = body.model_dump(exclude_unset=True, exclude={"expected_version"})
    row = program.update_work_item(sessions, Deliverable, deliverable_id,
                                   expected_version=body.expected_version, changes=changes,
                                   specialties=known, actor_id=user.id)
    return DeliverablePublic.model_validate(row)


@router.delete("/{deliverable_id}", status_code=204)
def delete_deliverable(
    deliverable_id: IdPath,
    user: ProgramUser,
    sessions: SessionsDep,
    expected_version: VersionQuery = None,
) -> Response:
    """Delete a deliverable (checking ``expected_version`` when given)."""
    program.delete_work_item(sessions, Deliverable, deliverable_id,
                             expected_version=expected_version, actor_id=user.id)
    return Response(status_code=204)
