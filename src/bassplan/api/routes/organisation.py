"""The program organisation: its bodies and who reports to whom (the Program page's
organisation chart). Any user reads; program (or admin) changes."""

from __future__ import annotations

from fastapi import APIRouter, Response

from bassplan.api.deps import ProgramUser, SessionsDep, ViewerUser
from bassplan.api.params import IdPath
from bassplan.api.schemas_program import ProgramBodyCreate, ProgramBodyPublic, ProgramBodyUpdate
from bassplan.store import organisation

router = APIRouter(prefix="/api/program/bodies", tags=["program"])


@router.get("")
def list_bodies(user: ViewerUser, sessions: SessionsDep) -> list[ProgramBodyPublic]:
    """Every body of the program organisation, by position then name."""
    return [ProgramBodyPublic.model_validate(b) for b in organisation.list_bodies(sessions)]


@router.post("", status_code=201)
def create_body(
    body: ProgramBodyCreate, user: ProgramUser, sessions: SessionsDep
) -> ProgramBodyPublic:
    """Add a body to the organisation; 409 if the name is taken."""
    row = organisation.create_body(sessions, body.model_dump(), actor_id=user.id)
    return ProgramBodyPublic.model_validate(row)


@router.get("/{body_id}")
def get_body(body_id: IdPath, user: ViewerUser, sessions: SessionsDep) -> ProgramBodyPublic:
    """One body of the organisation."""
    return ProgramBodyPublic.model_validate(organisation.get_body(sessions, body_id))


@router.put("/{body_id}")
def update_body(
    body_id: IdPath, body: ProgramBodyUpdate, user: ProgramUser, sessions: SessionsDep
) -> ProgramBodyPublic:
    """Apply the fields sent to a body; 422 if it would report to itself."""
    row = organisation.update_body(sessions, body_id, body.model_dump(exclude_unset=True),
                                   actor_id=user.id)
    return ProgramBodyPublic.model_validate(row)


@router.delete("/{body_id}", status_code=204)
def delete_body(body_id: IdPath, user: ProgramUser, sessions: SessionsDep) -> Response:
    """Delete a body; the bodies under it report to its parent instead."""
    organisation.delete_body(sessions, body_id, actor_id=user.id)
    return Response(status_code=204)
